import type { SlaState } from '@desk/domain';
import type { WorkingCalendar } from '@desk/sla';

/** SLA.md's states for something awaiting an answer: breached past due, at risk under the threshold. */
export function slaState(
  calendar: WorkingCalendar,
  dueAt: Date | null,
  awaiting: boolean,
  now: Date,
  atRiskMs: number,
): { sla: SlaState; workingMsLeft: number | null } {
  if (!dueAt) return { sla: 'none', workingMsLeft: null };
  if (!awaiting) return { sla: 'answered', workingMsLeft: null };
  const left = calendar.workingTimeRemaining(dueAt, now);
  // Working time stops at due while the wall clock runs on: past due is breached even out of hours.
  if (left < 0 || now.getTime() > dueAt.getTime()) return { sla: 'breached', workingMsLeft: Math.min(left, 0) };
  return { sla: left < atRiskMs ? 'at_risk' : 'ok', workingMsLeft: left };
}
