import type { QueueRow } from '@desk/domain';
import { CHANNEL_LABELS, formatDateTime, ROUTE_LABELS, STATUS_LABELS } from '../format.ts';
import { Link, conversationPath } from '../router.tsx';
import { AuthorBadges, AuthorName, FlagList, SlaBadge, UserInitials } from './Badges.tsx';
import { SafeText } from './SafeText.tsx';

interface QueueTableProps {
  rows: QueueRow[];
  selectedId: string | null;
  /** First load: nothing to show yet. */
  loading: boolean;
  /** Any load, including a live refresh behind rows already shown. */
  busy: boolean;
  /** Filled with each row's link, so j/k can move focus to it. */
  rowLinks: Map<string, HTMLAnchorElement>;
  onOpen: (id: string) => void;
}

export function QueueTable({ rows, selectedId, loading, busy, rowLinks, onOpen }: QueueTableProps) {
  return (
    <div className="table-wrap">
      <table className="queue" aria-busy={busy} data-testid="queue-table">
        <caption className="visually-hidden">Conversations in the order the desk ranks them. Press j and k to move, Enter to open.</caption>
        <thead>
          <tr>
            <th scope="col">Channel</th>
            <th scope="col">Author</th>
            <th scope="col">Message</th>
            <th scope="col">Route</th>
            <th scope="col">Flags</th>
            <th scope="col">Time left</th>
            <th scope="col">Assignee</th>
          </tr>
        </thead>
        <tbody>
          {loading && (
            <tr>
              <td colSpan={7} className="muted">
                Loading…
              </td>
            </tr>
          )}
          {rows.map((row) => {
            const selected = row.conversationId === selectedId;
            return (
              <tr
                key={row.conversationId}
                className={`${selected ? 'is-selected ' : ''}sla-row-${row.sla}`}
                data-testid="queue-row"
                data-conversation-id={row.conversationId}
                data-selected={selected ? 'true' : undefined}
              >
                <td className="col-channel">{CHANNEL_LABELS[row.channel]}</td>
                <td className="col-author">
                  <AuthorName author={row.author} />
                  <AuthorBadges author={row.author} />
                </td>
                <td className="col-message">
                  <Link
                    to={conversationPath(row.conversationId)}
                    className="row-link"
                    onClick={(event) => {
                      // Remember the row before leaving; Link navigates unless it is a new-tab click.
                      if (event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey) {
                        event.preventDefault();
                        onOpen(row.conversationId);
                      }
                    }}
                    ref={(el) => {
                      if (el) rowLinks.set(row.conversationId, el);
                      else rowLinks.delete(row.conversationId);
                    }}
                  >
                    {row.preview ? <SafeText text={row.preview} max={140} /> : <span className="muted">(no text)</span>}
                  </Link>
                  {row.status !== 'open' && (
                    <span className="row-status">
                      {STATUS_LABELS[row.status]}
                      {row.snoozedUntil && ` until ${formatDateTime(row.snoozedUntil)}`}
                    </span>
                  )}
                  {row.itemCount > 1 && <span className="muted row-count"> · {row.itemCount} messages</span>}
                </td>
                <td className="col-route">{row.route ? ROUTE_LABELS[row.route] : <span className="muted">Not triaged</span>}</td>
                <td className="col-flags">
                  <FlagList flags={row.flags} />
                </td>
                <td className="col-sla">
                  <SlaBadge sla={row.sla} workingMsLeft={row.workingMsLeft} />
                </td>
                <td className="col-assignee">
                  <UserInitials user={row.assignee} compact />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
