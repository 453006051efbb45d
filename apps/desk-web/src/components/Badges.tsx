import type { AuthorView, Flag, OutboundStatus, SlaState, UserRef } from '@desk/domain';
import { FLAG_LABELS, formatWorkingMs, OUTBOUND_STATUS_LABELS, SLA_LABELS } from '../format.ts';
import { SafeText } from './SafeText.tsx';

/*
 * Every state is said in words and marked with a shape as well as a colour, so nothing depends on
 * telling red from amber.
 */

const SLA_ICONS: Partial<Record<SlaState, string>> = { at_risk: '▲', breached: '■', answered: '✓' };

/** "3h 20m left", "▲ At risk · 45m left", "■ breached 1h 05m". */
export function SlaBadge({ sla, workingMsLeft }: { sla: SlaState; workingMsLeft: number | null }) {
  const icon = SLA_ICONS[sla];
  let words: string;
  if (workingMsLeft === null) words = sla === 'answered' ? 'Answered' : SLA_LABELS.none;
  else if (sla === 'at_risk') words = `At risk · ${formatWorkingMs(workingMsLeft)}`;
  else words = formatWorkingMs(workingMsLeft);
  return (
    <span className={`sla sla-${sla}`} data-sla={sla}>
      {icon && (
        <span className="sla-icon" aria-hidden="true">
          {icon}{' '}
        </span>
      )}
      {words}
    </span>
  );
}

const OUTBOUND_ICONS: Record<OutboundStatus, string> = { pending: '◷', sending: '↻', sent: '✓', failed: '✕' };

export function OutboundStatusBadge({ status }: { status: OutboundStatus }) {
  return (
    <span className={`status status-${status}`}>
      <span aria-hidden="true">{OUTBOUND_ICONS[status]} </span>
      {OUTBOUND_STATUS_LABELS[status]}
    </span>
  );
}

export function FlagList({ flags }: { flags: readonly Flag[] }) {
  if (flags.length === 0) return null;
  return (
    <ul className="badges">
      {flags.map((flag) => (
        <li key={flag} className={`badge badge-flag badge-${flag}`}>
          {FLAG_LABELS[flag]}
        </li>
      ))}
    </ul>
  );
}

/** Handle and display name as the channel gave them, neutralised; "Unknown sender" when it gave neither. */
export function AuthorName({ author }: { author: AuthorView }) {
  const { handle, displayName } = author;
  if (!handle && !displayName) return <span className="muted">Unknown sender</span>;
  return (
    <span className="author-name">
      {handle && (
        <span className="handle">
          <SafeText text={handle} max={80} />
        </span>
      )}
      {handle && displayName && ' '}
      {displayName && (
        <span className="display-name">
          <SafeText text={displayName} max={60} />
        </span>
      )}
    </span>
  );
}

/** Strikes and the blocking flag beside an author. */
export function AuthorBadges({ author }: { author: AuthorView }) {
  if (author.strikes === 0 && !author.flaggedForBlockAt) return null;
  return (
    <span className="badges">
      {author.strikes > 0 && (
        <span className="badge badge-strikes" data-testid="author-strikes">
          {author.strikes} {author.strikes === 1 ? 'strike' : 'strikes'}
        </span>
      )}
      {author.flaggedForBlockAt && (
        <span className="badge badge-block" data-testid="author-flagged">
          <span aria-hidden="true">⚑ </span>Flagged for blocking
        </span>
      )}
    </span>
  );
}

/** Initials to the eye, the full name to a screen reader; "—" (read as "Unassigned") for nobody in a dense cell. */
export function UserInitials({ user, compact = false }: { user: UserRef | null; compact?: boolean }) {
  if (!user) {
    return compact ? (
      <span className="muted">
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">Unassigned</span>
      </span>
    ) : (
      <span className="muted">Unassigned</span>
    );
  }
  return (
    <span className="initials" title={user.name}>
      <span aria-hidden="true">{user.initials}</span>
      <span className="visually-hidden">{user.name}</span>
    </span>
  );
}
