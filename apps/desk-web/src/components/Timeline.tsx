import { canHide, safeHref, type AuditView, type ConversationView, type InboundView, type NoteView, type OutboundView, type TimelineEntry } from '@desk/domain';
import { api } from '../api/client.ts';
import { CHANNEL_LABELS, formatDateTime, formatWhen, humanise, OUTBOUND_KIND_LABELS, percent, ROUTE_LABELS } from '../format.ts';
import { useAction, useNow } from '../hooks.ts';
import { AuthorName, FlagList, OutboundStatusBadge, UserInitials } from './Badges.tsx';
import { SafeText, safeString } from './SafeText.tsx';

interface TimelineProps {
  view: ConversationView;
  /** Reload the conversation after an action here. */
  onChanged: () => void;
}

/** Everything that happened in the conversation, in the server's order. */
export function Timeline({ view, onChanged }: TimelineProps) {
  const now = useNow(60_000);
  if (view.timeline.length === 0) return <p className="muted">Nothing here yet.</p>;
  return (
    <ol className="timeline">
      {view.timeline.map((entry) => (
        <li key={`${entry.type}-${entry.id}`} className={`timeline-entry entry-${entry.type}`}>
          <Entry entry={entry} view={view} now={now} onChanged={onChanged} />
        </li>
      ))}
    </ol>
  );
}

function Entry({ entry, view, now, onChanged }: { entry: TimelineEntry; view: ConversationView; now: number; onChanged: () => void }) {
  switch (entry.type) {
    case 'inbound':
      return <Inbound item={entry} view={view} now={now} onChanged={onChanged} />;
    case 'outbound':
      return <Outbound out={entry} now={now} onChanged={onChanged} />;
    case 'note':
      return <Note note={entry} now={now} />;
    case 'event':
      return <Audit event={entry} now={now} />;
  }
}

function When({ iso, now }: { iso: string; now: number }) {
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      {formatWhen(iso, now)}
    </time>
  );
}

function Inbound({ item, view, now, onChanged }: { item: InboundView; view: ConversationView; now: number; onChanged: () => void }) {
  const original = item.url ? safeHref(item.url) : null;
  return (
    <article className="inbound" data-testid="timeline-inbound" data-item-id={item.id} aria-label={`Message from the public, ${formatDateTime(item.at)}`}>
      <header className="entry-header">
        <strong>
          <AuthorName author={view.author} />
        </strong>
        <span className="muted">
          {' · '}
          {CHANNEL_LABELS[item.channel]} · <When iso={item.at} now={now} />
        </span>
        {original ? (
          <>
            {' · '}
            <a href={original} rel="noopener noreferrer nofollow" target="_blank">
              Open original<span className="visually-hidden"> (opens in a new tab)</span>
            </a>
          </>
        ) : (
          item.url && <span className="muted"> · Original: {safeString(item.url, 120)}</span>
        )}
      </header>

      {item.subject && (
        <p className="subject">
          <span className="label">Subject: </span>
          <SafeText text={item.subject} max={300} />
        </p>
      )}
      <div className="body">
        {item.body ? <SafeText text={item.body} links explainBidi /> : <span className="muted">(no text)</span>}
      </div>

      {item.attachments.length > 0 && (
        <ul className="attachments" aria-label="Attachments">
          {item.attachments.map((a, i) => (
            <li key={i}>
              <SafeText text={a.filename ?? 'Unnamed attachment'} max={120} /> <span className="muted">({a.contentType ?? 'unknown type'}, {Math.ceil(a.size / 1024)} KB)</span>
            </li>
          ))}
        </ul>
      )}

      <ItemState item={item} />

      <div className="triage">
        <p>
          <span className="label">Route: </span>
          {item.route ? ROUTE_LABELS[item.route] : 'Not triaged'}
          {item.reroutedFrom && <span className="muted"> (re-routed from {ROUTE_LABELS[item.reroutedFrom]})</span>}
          {item.confidence !== null && (
            <>
              {' · '}
              <span className="label">Confidence: </span>
              {percent(item.confidence)}
            </>
          )}
        </p>
        <FlagList flags={item.flags} />
        {item.reasons.length > 0 && (
          <ul className="reasons" aria-label="Why this route">
            {item.reasons.map((reason, i) => (
              <li key={i}>
                <span className="signal">{humanise(reason.signal)}</span>
                {reason.evidence.length > 0 && ': '}
                {reason.evidence.map((evidence, j) => (
                  <q key={j} className="evidence">
                    <SafeText text={evidence} max={200} />
                  </q>
                ))}
              </li>
            ))}
          </ul>
        )}
        {(item.dueAt || item.firstResponseAt) && (
          <p className="muted">
            {item.dueAt && <>Due {formatDateTime(item.dueAt)}. </>}
            {item.firstResponseAt && (
              <>
                First response {formatDateTime(item.firstResponseAt)}
                {item.firstResponseAutomatic ? ' (automatic)' : ''}.
              </>
            )}
          </p>
        )}
      </div>

      {canHide(item.channel) && !item.removedAt && <HideControl item={item} onChanged={onChanged} />}
    </article>
  );
}

function ItemState({ item }: { item: InboundView }) {
  return (
    <>
      {item.hiddenAt && <p className="state state-hidden">Hidden on {CHANNEL_LABELS[item.channel]} since {formatDateTime(item.hiddenAt)}.</p>}
      {item.removedAt && <p className="state state-removed">Removed by its author or the platform on {formatDateTime(item.removedAt)}.</p>}
      {item.editedAt && <p className="state">Edited by its author on {formatDateTime(item.editedAt)}.</p>}
      {item.parseError && (
        <div className="state state-error">
          <p>The desk could not read this message: {item.parseError}</p>
          {item.raw && (
            <details>
              <summary>Show the original as received</summary>
              <pre className="raw">
                <SafeText text={item.raw} max={20_000} />
              </pre>
            </details>
          )}
        </div>
      )}
    </>
  );
}

/** Hide or unhide on the platform; the responder does it, so the button only queues the request. */
function HideControl({ item, onChanged }: { item: InboundView; onChanged: () => void }) {
  const action = useAction();
  const hidden = item.hiddenAt !== null;
  const done = `${hidden ? 'Unhide' : 'Hide'} requested. It will show here once the platform confirms.`;
  const run = () => void action.run(() => (hidden ? api.unhide(item.id) : api.hide(item.id)), done, onChanged);
  return (
    <div className="entry-actions">
      {hidden ? (
        <button type="button" className="button button-small" onClick={run} disabled={action.busy} data-testid="unhide-button">
          Unhide on {CHANNEL_LABELS[item.channel]}
        </button>
      ) : (
        <button type="button" className="button button-small" onClick={run} disabled={action.busy} data-testid="hide-button">
          Hide on {CHANNEL_LABELS[item.channel]}
        </button>
      )}
      {action.error && <span className="error-text"> {action.error}</span>}
    </div>
  );
}

function Outbound({ out, now, onChanged }: { out: OutboundView; now: number; onChanged: () => void }) {
  const retry = useAction();
  const who = out.automatic ? 'Automatic' : out.author ? out.author.name : 'The desk';
  return (
    <article className={`outbound outbound-${out.status}`} data-testid="timeline-outbound" data-status={out.status} data-outbound-id={out.id} aria-label={`${OUTBOUND_KIND_LABELS[out.kind]} from us, ${formatDateTime(out.at)}`}>
      <header className="entry-header">
        <strong>{OUTBOUND_KIND_LABELS[out.kind]}</strong>
        <span className="muted">
          {' · '}
          {who}
          {out.author && !out.automatic && (
            <>
              {' '}(<UserInitials user={out.author} />)
            </>
          )}
          {' · '}
          {CHANNEL_LABELS[out.channel]} · <When iso={out.at} now={now} />
        </span>{' '}
        <OutboundStatusBadge status={out.status} />
      </header>
      {out.template && <p className="muted">Template: {out.template}</p>}
      {out.recipient && (
        <p className="muted">
          To: <SafeText text={out.recipient} max={200} />
        </p>
      )}
      {out.reference && <p className="muted">Reference: {out.reference}</p>}
      {out.body && (
        <div className="body">
          <SafeText text={out.body} links />
        </div>
      )}
      {out.status === 'sent' && out.sentAt && <p className="muted">Sent {formatDateTime(out.sentAt)}.</p>}
      {out.attempts > 1 && <p className="muted">{out.attempts} attempts.</p>}
      {out.status === 'failed' && (
        <div className="failure">
          <p data-testid="outbound-failure">
            <span aria-hidden="true">✕ </span>Not sent: {out.failure ?? 'the platform gave no reason.'}
          </p>
          <button
            type="button"
            className="button button-small"
            disabled={retry.busy}
            data-testid="retry-button"
            onClick={() => void retry.run(() => api.retry(out.id), 'Retry queued.', onChanged)}
          >
            Retry
          </button>
          {retry.error && <span className="error-text"> {retry.error}</span>}
        </div>
      )}
    </article>
  );
}

function Note({ note, now }: { note: NoteView; now: number }) {
  return (
    <article className="note" data-testid="timeline-note" aria-label={`Internal note, ${formatDateTime(note.at)}`}>
      <header className="entry-header">
        <strong>Note</strong>
        <span className="muted">
          {' · '}
          {note.author ? note.author.name : 'The desk'} · <When iso={note.at} now={now} />
        </span>
      </header>
      <div className="body">
        <SafeText text={note.body} links />
      </div>
    </article>
  );
}

function Audit({ event, now }: { event: AuditView; now: number }) {
  const summary = auditSummary(event.action, event.details);
  return (
    <div className="audit" data-testid="timeline-event">
      <span className="audit-who">{event.actor ? event.actor.name : 'The desk'}</span> {humanise(event.action)} · <When iso={event.at} now={now} />
      {summary && (
        <span className="audit-details">
          {' — '}
          <SafeText text={summary} max={300} />
        </span>
      )}
    </div>
  );
}

/** The few details of an audit event a person wants, in words; the rest stays in the log. */
function auditSummary(action: string, details: Record<string, unknown>): string | null {
  const text = (value: unknown) => (typeof value === 'string' ? value : value === null || value === undefined ? '' : JSON.stringify(value));
  switch (action) {
    case 'item.triaged': {
      const confidence = typeof details.confidence === 'number' ? ` (${Math.round(details.confidence * 100)}% sure)` : '';
      const actions = Array.isArray(details.actions) && details.actions.length ? `; automatic: ${details.actions.map((a) => text(a).split(':').pop()).join(', ')}` : '';
      return `route ${humanise(text(details.route))}${confidence}${actions}`;
    }
    case 'item.rerouted':
      return `${humanise(text(details.from))} → ${humanise(text(details.to))}: ${text(details.reason)}`;
    case 'conversation.snoozed':
      return `until ${text(details.until)}`;
    case 'strike.added':
      return `${text(details.reason)} (${text(details.strikes)} in the window)`;
    case 'reply.queued':
      return details.forced ? 'sent despite the warning' : null;
    case 'outbound.retried':
      return 'after a failed send';
    default:
      return null;
  }
}
