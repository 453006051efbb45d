import { useState, type FormEvent } from 'react';
import type { ConversationView } from '@desk/domain';
import { api } from '../api/client.ts';
import { CHANNEL_LABELS, formatDateTime, ROUTE_LABELS, STATUS_LABELS } from '../format.ts';
import { useAction } from '../hooks.ts';
import { conversationPath, Link } from '../router.tsx';
import { AuthorName } from './Badges.tsx';
import { SafeText } from './SafeText.tsx';

/** Who sent this: their strikes, their other conversations, and what to do about a repeat offender. */
export function ContactPanel({ view, onChanged }: { view: ConversationView; onChanged: () => void }) {
  const { author } = view;
  return (
    <section className="panel contact" aria-labelledby="contact-heading">
      <h2 id="contact-heading">Sender</h2>
      <p>
        <AuthorName author={author} />
      </p>
      {!author.contactId ? (
        <p className="muted">The sender could not be identified, so there is no history for them.</p>
      ) : (
        <>
          <h3>Strikes ({view.strikes.length})</h3>
          {view.strikes.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ol className="strikes" data-testid="strikes">
              {view.strikes.map((s) => (
                <li key={s.id}>
                  <time dateTime={s.at}>{formatDateTime(s.at)}</time>: <SafeText text={s.reason} max={300} />
                  {s.by && <span className="muted"> – {s.by.initials}</span>}
                </li>
              ))}
            </ol>
          )}

          <h3>Other conversations</h3>
          {view.history.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul className="history" data-testid="contact-history">
              {view.history.map((h) => (
                <li key={h.conversationId}>
                  <Link to={conversationPath(h.conversationId)}>{h.preview ? <SafeText text={h.preview} max={80} /> : '(no text)'}</Link>
                  <span className="muted">
                    {' '}
                    · {CHANNEL_LABELS[h.channel]} · {h.route ? ROUTE_LABELS[h.route] : 'Not triaged'} · {STATUS_LABELS[h.status]}
                    {h.lastInboundAt && ` · ${formatDateTime(h.lastInboundAt)}`}
                  </span>
                </li>
              ))}
            </ul>
          )}

          <FlagForBlocking contactId={author.contactId} flaggedAt={author.flaggedForBlockAt} strikes={view.strikes.length} onChanged={onChanged} />

          <p className="csv">
            <a href={api.offencesCsvHref(author.contactId)} download className="csv-link" data-testid="offences-csv">
              Repeat-offender report (CSV)
            </a>
          </p>
        </>
      )}
    </section>
  );
}

function FlagForBlocking({ contactId, flaggedAt, strikes, onChanged }: { contactId: string; flaggedAt: string | null; strikes: number; onChanged: () => void }) {
  const action = useAction();
  // A reason is asked for every time; the usual one is offered so one click does the usual thing.
  const [reason, setReason] = useState(strikes > 0 ? `Repeat offender: ${strikes} ${strikes === 1 ? 'strike' : 'strikes'}` : '');
  if (flaggedAt) {
    return (
      <p className="state state-flagged" data-testid="flagged-for-blocking">
        <span aria-hidden="true">⚑ </span>Flagged for blocking on {formatDateTime(flaggedAt)}.
      </p>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) return;
    void action.run(() => api.flagBlock(contactId, reason.trim()), 'Sender flagged for blocking.', onChanged);
  };
  return (
    <form className="stack action-group" onSubmit={submit}>
      <div className="field">
        <label htmlFor="flag-block-reason">Reason to block</label>
        <input id="flag-block-reason" type="text" value={reason} required onChange={(e) => setReason(e.target.value)} data-testid="flag-block-reason" />
      </div>
      <div>
        <button type="submit" className="button button-danger" disabled={action.busy} data-testid="flag-block-button">
          Flag for blocking
        </button>
        {action.error && <span className="error-text"> {action.error}</span>}
      </div>
    </form>
  );
}
