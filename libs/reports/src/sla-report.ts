import type { ClosedDay, ComplianceFigures, ComplianceGroup, CountSum, HistSum, SeriesPoint, Unanswered } from '@desk/domain';
import { COUNTERS, type Counters } from '@desk/domain';
import { addTo, type Histogram } from './buckets.js';
import { complianceFigures } from './figures.js';
import { emptyCounters } from './rollup.js';

/** What one group holds for one period while rows are summed. */
interface Tally {
  counters: Counters;
  unanswered: number;
  overdue: number;
  auto: Histogram;
  human: Histogram;
}

const emptyTally = (): Tally => ({ counters: emptyCounters(), unanswered: 0, overdue: 0, auto: new Map(), human: new Map() });

function addTally(into: Tally, from: Tally): void {
  for (const c of COUNTERS) into.counters[c] += from.counters[c];
  into.unanswered += from.unanswered;
  into.overdue += from.overdue;
  for (const [b, n] of from.auto) addTo(into.auto, b, n);
  for (const [b, n] of from.human) addTo(into.human, b, n);
}

const figuresOf = (t: Tally): ComplianceFigures => complianceFigures(t.counters, t, { auto: t.auto, human: t.human });

export interface SlaRows {
  /** Rows of the 'all' cut and the chosen cut, per period. */
  counts: CountSum[];
  hist: HistSum[];
  /** Live unanswered per period: the whole team (key '') and per cut key. */
  teamUnanswered: Unanswered[];
  groupUnanswered: Unanswered[];
}

export interface SlaShape {
  /** The cut's rows are grouped under this: a channel, route, officer or (mapped from officer) team. */
  groupOf: (key: string) => string;
  labelOf: (group: string) => string;
  cut: CountSum['cut'];
  periods: string[];
  closedDays: ClosedDay[];
  periodOfDay: (day: string) => string;
}

/**
 * The SLA report from summed rollup rows: the team's total and per period, and each group's total
 * and per period. Groups are ordered by how many items they had.
 */
export function slaFigures(rows: SlaRows, shape: SlaShape): {
  total: ComplianceFigures;
  groups: ComplianceGroup[];
  series: SeriesPoint[];
  groupSeries: Array<{ key: string; label: string; points: SeriesPoint[] }>;
} {
  const team = new Map<string, Tally>();
  const groups = new Map<string, Map<string, Tally>>();
  const tallyFor = (cut: string, key: string, period: string): Tally => {
    const byPeriod = cut === 'all' ? team : groups.get(shape.groupOf(key)) ?? groups.set(shape.groupOf(key), new Map()).get(shape.groupOf(key))!;
    return byPeriod.get(period) ?? byPeriod.set(period, emptyTally()).get(period)!;
  };
  for (const row of rows.counts) {
    if (row.cut !== 'all' && row.cut !== shape.cut) continue;
    const t = tallyFor(row.cut, row.key, row.period);
    for (const c of COUNTERS) t.counters[c] += row[c];
  }
  for (const row of rows.hist) {
    if (row.cut !== 'all' && row.cut !== shape.cut) continue;
    if (row.series !== 'auto' && row.series !== 'human') continue;
    addTo(tallyFor(row.cut, row.key, row.period)[row.series], row.bucket, row.n);
  }
  for (const row of rows.teamUnanswered) {
    const t = tallyFor('all', '', row.period);
    t.unanswered += row.unanswered;
    t.overdue += row.overdue;
  }
  for (const row of rows.groupUnanswered) {
    const t = tallyFor(shape.cut, row.key, row.period);
    t.unanswered += row.unanswered;
    t.overdue += row.overdue;
  }

  const closedByPeriod = new Map<string, ClosedDay[]>();
  for (const day of shape.closedDays) {
    const period = shape.periodOfDay(day.date);
    closedByPeriod.set(period, [...(closedByPeriod.get(period) ?? []), day]);
  }
  const closedIn = (period: string) => closedByPeriod.get(period) ?? [];
  const pointsOf = (byPeriod: Map<string, Tally>): SeriesPoint[] =>
    shape.periods.map((period) => ({ period, closedDays: closedIn(period), ...figuresOf(byPeriod.get(period) ?? emptyTally()) }));
  const sumOf = (byPeriod: Map<string, Tally>): Tally => {
    const sum = emptyTally();
    for (const t of byPeriod.values()) addTally(sum, t);
    return sum;
  };

  const ordered = [...groups.entries()]
    .map(([key, byPeriod]) => ({ key, byPeriod, sum: sumOf(byPeriod) }))
    .sort((a, b) => b.sum.counters.items - a.sum.counters.items || a.key.localeCompare(b.key));
  return {
    total: figuresOf(sumOf(team)),
    groups: ordered.map(({ key, sum }) => ({ key, label: shape.labelOf(key), ...figuresOf(sum) })),
    series: pointsOf(team),
    groupSeries: ordered.map(({ key, byPeriod }) => ({ key, label: shape.labelOf(key), points: pointsOf(byPeriod) })),
  };
}
