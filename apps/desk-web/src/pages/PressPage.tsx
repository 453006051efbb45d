import { useCallback, useEffect, useRef, useState } from 'react';
import { safeHref, type PressEnquiry } from '@desk/domain';
import { api, describeError } from '../api/client.ts';
import { useDebounced, useDeskEvents } from '../api/events.ts';
import { UserInitials } from '../components/Badges.tsx';
import { SafeText } from '../components/SafeText.tsx';
import { CHANNEL_LABELS, formatAgo, formatDateTime, formatHoursMinutes, PRESS_STATUS_LABELS } from '../format.ts';
import { useAction, useDocumentTitle, useNow } from '../hooks.ts';
import { useSession } from '../session.ts';

const STATUS_ICONS: Record<PressEnquiry['status'], string> = { new: '●', in_progress: '◐', answered: '✓' };

export function PressPage() {
  useDocumentTitle('Press enquiries');
  const [enquiries, setEnquiries] = useState<PressEnquiry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const requestNo = useRef(0);
  // "Forwarded 12m ago" moves on by itself.
  const now = useNow(30_000);

  const load = useCallback(async () => {
    const mine = ++requestNo.current;
    try {
      const loaded = await api.press();
      if (mine !== requestNo.current) return;
      setEnquiries(loaded);
      setError(null);
    } catch (e) {
      if (mine === requestNo.current) setError(describeError(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const refresh = useDebounced(() => void load(), 300);
  useDeskEvents((event) => {
    if (event.type === 'press.changed' || event.type === 'resync') refresh();
  });

  return (
    <div className="page page-press">
      <h1 tabIndex={-1}>Press enquiries</h1>
      {error && (
        <div className="error-summary" role="alert">
          {error}{' '}
          <button type="button" className="button button-small" onClick={() => void load()}>
            Try again
          </button>
        </div>
      )}
      <div className="table-wrap">
        <table className="press" aria-busy={enquiries === null}>
          <caption className="visually-hidden">Enquiries forwarded to the press office</caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Status</th>
              <th scope="col">Journalist</th>
              <th scope="col">Message</th>
              <th scope="col">Deadline</th>
              <th scope="col">Since forwarding</th>
              <th scope="col">Handler</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {enquiries === null && !error && (
              <tr>
                <td colSpan={8} className="muted">
                  Loading…
                </td>
              </tr>
            )}
            {enquiries?.length === 0 && (
              <tr>
                <td colSpan={8} className="muted">
                  No press enquiries.
                </td>
              </tr>
            )}
            {enquiries?.map((e) => <PressRow key={e.id} enquiry={e} now={now} onChanged={load} />)}
          </tbody>
        </table>
      </div>
    </div>
  );
}

function PressRow({ enquiry: e, now, onChanged }: { enquiry: PressEnquiry; now: number; onChanged: () => Promise<void> }) {
  const { session } = useSession();
  const action = useAction();
  const original = e.itemUrl ? safeHref(e.itemUrl) : null;
  const label = e.reference ?? 'this enquiry';
  const mine = e.handler?.id === session.user.id;
  return (
    <tr data-testid="press-row" data-reference={e.reference ?? ''} className={`press-${e.status}`}>
      <th scope="row" className="reference">
        {e.reference ?? <span className="muted">No reference</span>}
      </th>
      <td>
        <span className={`press-status press-status-${e.status}`}>
          <span aria-hidden="true">{STATUS_ICONS[e.status]} </span>
          {PRESS_STATUS_LABELS[e.status]}
        </span>
        {e.forwardStatus === 'failed' && (
          <span className="state-error block">
            <span aria-hidden="true">✕ </span>Forward failed
          </span>
        )}
        {e.forwardStatus !== 'sent' && e.forwardStatus !== 'failed' && <span className="muted block">Forward {e.forwardStatus}</span>}
      </td>
      <td>
        {e.journalist ? <SafeText text={e.journalist} max={80} /> : <span className="muted">Unknown</span>}
        {e.outlet && (
          <span className="muted block">
            <SafeText text={e.outlet} max={80} />
          </span>
        )}
      </td>
      <td className="col-message">
        <SafeText text={e.preview} max={160} />
        <span className="muted block">
          {CHANNEL_LABELS[e.channel]}
          {original && (
            <>
              {' · '}
              <a href={original} rel="noopener noreferrer nofollow" target="_blank">
                Original<span className="visually-hidden"> message for {label} (opens in a new tab)</span>
              </a>
            </>
          )}
        </span>
      </td>
      <td>
        {e.deadline ? (
          // Quoted as the journalist wrote it ("by 4pm today"): their day, read by a person.
          <q data-testid="press-deadline">
            <SafeText text={e.deadline} max={80} />
          </q>
        ) : (
          <span className="muted">None given</span>
        )}
      </td>
      <td>
        {e.forwardedAt ? <time dateTime={e.forwardedAt} title={formatDateTime(e.forwardedAt)}>{formatAgo(e.forwardedAt, now)}</time> : <span className="muted">Not yet</span>}
        {e.answeredAt && e.pressResponseWorkingMs !== null && <span className="muted block">Answered in {formatHoursMinutes(e.pressResponseWorkingMs)} working time</span>}
      </td>
      <td>
        <UserInitials user={e.handler} compact />
      </td>
      <td className="actions-cell">
        {e.status !== 'answered' && !mine && (
          <button type="button" className="button button-small" disabled={action.busy} onClick={() => void action.run(() => api.pressClaim(e.id), `You are handling ${label}.`, onChanged)} data-testid="press-claim">
            I’ll take it<span className="visually-hidden"> ({label})</span>
          </button>
        )}
        {e.status !== 'answered' && (
          <button type="button" className="button button-small" disabled={action.busy} onClick={() => void action.run(() => api.pressAnswered(e.id), `${label} marked answered.`, onChanged)} data-testid="press-answered">
            Mark answered<span className="visually-hidden"> ({label})</span>
          </button>
        )}
        {action.error && <span className="error-text block">{action.error}</span>}
      </td>
    </tr>
  );
}
