import {
  CHANNEL_LABELS,
  ROUTE_LABELS,
  type AtRiskReport,
  type BreachRow,
  type ComplianceFigures,
  type DeflectionReport,
  type ModerationReport,
  type Percentiles,
  type PressReport,
  type SlaReport,
  type VolumeReport,
} from '@desk/domain';

/*
 * Each report's tables as CSV rows (arrays of cells; csvLine quotes them). Durations are decimal
 * working hours and shares are percentages, so a spreadsheet can chart them as they are.
 */
type Cell = string | number | boolean | null;
export type Rows = Cell[][];

const hours = (ms: number | null): Cell => (ms === null ? null : Math.round((ms / 3_600_000) * 100) / 100);
const percent = (share: number | null): Cell => (share === null ? null : Math.round(share * 1000) / 10);
const route = (r: string | null): string => (r && r in ROUTE_LABELS ? ROUTE_LABELS[r as keyof typeof ROUTE_LABELS] : (r ?? ''));

const FIGURE_HEADER = [
  'items_owed_a_response', 'met', 'late', 'overdue', 'pending', 'compliance_percent',
  'automatic_answered', 'automatic_met', 'automatic_compliance_percent',
  'human_met', 'human_late', 'human_compliance_percent',
  'response_median_working_hours', 'response_p90_working_hours',
  'automatic_median_working_hours', 'automatic_p90_working_hours',
  'human_median_working_hours', 'human_p90_working_hours',
];

function figureCells(f: ComplianceFigures): Cell[] {
  const p = (x: Percentiles) => [hours(x.medianMs), hours(x.p90Ms)];
  return [
    f.items, f.met, f.late, f.overdue, f.pending, percent(f.compliance),
    f.automatic.answered, f.automatic.met, percent(f.automatic.compliance),
    f.human.met, f.human.late, percent(f.human.compliance),
    ...p(f.response), ...p(f.automaticResponse), ...p(f.humanResponse),
  ];
}

/** Long format: one row per (period, group), with "all" for the whole range and the whole team. */
export function slaRows(r: SlaReport): Rows {
  const rows: Rows = [['period', r.by, 'label', ...FIGURE_HEADER]];
  rows.push(['all', 'all', 'Whole team', ...figureCells(r.total)]);
  for (const g of r.groups) rows.push(['all', g.key, g.label, ...figureCells(g)]);
  for (const p of r.series) rows.push([p.period, 'all', 'Whole team', ...figureCells(p)]);
  for (const g of r.groupSeries) for (const p of g.points) rows.push([p.period, g.key, g.label, ...figureCells(p)]);
  return rows;
}

export function volumeRows(r: VolumeReport): Rows {
  return [['day', 'items', 'out_of_hours', 'bank_holiday_or_closure'], ...r.days.map((d) => [d.day, d.items, d.outOfHours, d.closed])];
}

export function channelVolumeRows(r: VolumeReport): Rows {
  return [
    ['channel', 'items', 'out_of_hours', 'out_of_hours_percent'],
    ...r.byChannel.map((c) => [CHANNEL_LABELS[c.channel], c.items, c.outOfHours, percent(c.items ? c.outOfHours / c.items : null)]),
  ];
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function heatmapRows(r: VolumeReport): Rows {
  const header: Cell[] = ['weekday', ...Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`)];
  return [header, ...r.heatmap.map((hoursOfDay, day) => [WEEKDAYS[day]!, ...hoursOfDay])];
}

export const BREACH_HEADER: Cell[] = [
  'item_id', 'conversation_id', 'channel', 'route', 'author', 'text', 'received_at_utc', 'due_at_utc', 'why_due_then',
  'first_response_at_utc', 'first_response_automatic', 'working_hours_late', 'held_by',
];

export function breachRows(rows: BreachRow[]): Rows {
  return rows.map((b) => [
    b.itemId, b.conversationId, CHANNEL_LABELS[b.channel], route(b.route), b.author, b.preview, b.receivedAt, b.dueAt, b.explanation,
    b.firstResponseAt, b.firstResponseAutomatic, hours(b.workingMsLate), b.heldBy?.name ?? null,
  ]);
}

export function atRiskRows(r: AtRiskReport): Rows {
  return [
    ['item_id', 'conversation_id', 'channel', 'route', 'author', 'text', 'received_at_utc', 'due_at_utc', 'working_hours_left', 'held_by'],
    ...r.rows.map((a) => [
      a.itemId, a.conversationId, CHANNEL_LABELS[a.channel], route(a.route), a.author, a.preview, a.receivedAt, a.dueAt, hours(a.workingMsLeft),
      a.heldBy?.name ?? null,
    ]),
  ];
}

export function deflectionRows(r: DeflectionReport): Rows {
  const rows: Rows = [['figure', 'route', 'value']];
  for (const d of r.deflections) {
    rows.push(['auto_answered', route(d.route), d.autoAnswered], ['rerouted_by_officer', route(d.route), d.rerouted]);
    rows.push(['deflection_error_percent', route(d.route), percent(d.errorRate)]);
    for (const to of d.reroutedTo) rows.push([`rerouted_to ${route(to.route)}`, route(d.route), to.items]);
  }
  rows.push(['auto_answered', 'all', r.total.autoAnswered], ['rerouted_by_officer', 'all', r.total.rerouted]);
  rows.push(['deflection_error_percent', 'all', percent(r.total.errorRate)]);
  const u = r.urgent;
  rows.push(['urgent_items', 'Urgent safety', u.items], ['urgent_touched', 'Urgent safety', u.touched], ['urgent_untouched', 'Urgent safety', u.untouched]);
  rows.push(['urgent_touched_within_an_hour', 'Urgent safety', u.touchedWithinHour]);
  rows.push(['urgent_touch_median_clock_hours', 'Urgent safety', hours(u.touchMedianMs)], ['urgent_touch_p90_clock_hours', 'Urgent safety', hours(u.touchP90Ms)]);
  return rows;
}

export function pressRows(r: PressReport): Rows {
  const rows: Rows = [['figure', 'channel', 'value']];
  rows.push(['forwarded', 'all', r.forwarded], ['acknowledged', 'all', r.acknowledged], ['answered', 'all', r.answered], ['open', 'all', r.open]);
  rows.push(['acknowledgement_median_working_hours', 'all', hours(r.acknowledgement.medianMs)]);
  rows.push(['acknowledgement_p90_working_hours', 'all', hours(r.acknowledgement.p90Ms)]);
  rows.push(['press_response_median_working_hours', 'all', hours(r.pressResponse.medianMs)]);
  rows.push(['press_response_p90_working_hours', 'all', hours(r.pressResponse.p90Ms)]);
  for (const c of r.byChannel) rows.push(['forwarded', CHANNEL_LABELS[c.channel], c.forwarded], ['answered', CHANNEL_LABELS[c.channel], c.answered]);
  return rows;
}

export function moderationRows(r: ModerationReport): Rows {
  const rows: Rows = [['figure', 'detail', 'value']];
  rows.push(['hidden', 'all', r.hidden], ...r.hiddenByRoute.map((h): Cell[] => ['hidden', route(h.route), h.items]));
  rows.push(['strikes', 'all', r.strikes], ['authors_struck', 'all', r.authorsStruck], ['flagged_for_blocking', 'all', r.flaggedForBlocking]);
  for (const f of r.flagged) rows.push(['flagged_author', `${f.channel ?? ''} ${f.handle ?? f.displayName ?? f.contactId}`.trim(), f.flaggedAt]);
  return rows;
}
