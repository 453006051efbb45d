import { COUNTERS, type Counters, type CountRow, type Cut, type HistRow, type ItemFact, type Route, type Series } from '@desk/domain';
import { bucketOf } from './buckets.js';

/**
 * Daily rollups of facts: for each London day, per cut (the whole team, each channel, route,
 * officer, hour of the week, the route triage gave), counters and response-time histograms. A
 * report over any range sums days, so it reads tens of thousands of rows instead of millions of
 * items. They are kept by deltas: when an item's fact changes, its old contribution is taken off
 * and the new one added in the same transaction, so a late item or a late reply corrects the
 * day it belongs to.
 */
const DEFLECTED_ROUTES: readonly Route[] = ['clinical', 'appointment'];
const HOUR_MS = 3_600_000;

export function emptyCounters(): Counters {
  return Object.fromEntries(COUNTERS.map((c) => [c, 0])) as Counters;
}

/** The route triage gave, before any officer re-routed it. */
export function triageRoute(fact: Pick<ItemFact, 'route' | 'reroutedFrom'>): Route | null {
  return fact.reroutedFrom ?? fact.route;
}

function countersOf(f: ItemFact): Counters {
  const c = emptyCounters();
  const answered = f.firstResponseAt !== null;
  const automatic = answered && f.firstResponseAutomatic === true;
  const original = triageRoute(f);
  c.items = 1;
  c.out_of_hours = f.outOfHours ? 1 : 0;
  c.hidden = f.hidden ? 1 : 0;
  if (f.owed) {
    c.owed = 1;
    c.answered = answered ? 1 : 0;
    c.met = f.met ? 1 : 0;
    c.auto_answered = automatic ? 1 : 0;
    c.auto_met = automatic && f.met ? 1 : 0;
    c.unanswered = answered ? 0 : 1;
  }
  if (automatic && original && DEFLECTED_ROUTES.includes(original)) {
    c.deflected = 1;
    c.deflection_rerouted = f.reroutedFrom !== null ? 1 : 0;
  }
  if (f.route === 'urgent_safety') {
    c.urgent = 1;
    c.urgent_touched = f.humanTouchMs !== null ? 1 : 0;
    c.urgent_touched_hour = f.humanTouchMs !== null && f.humanTouchMs <= HOUR_MS ? 1 : 0;
  }
  if (f.pressForwardedAt) {
    c.press_forwarded = 1;
    c.press_acknowledged = answered ? 1 : 0;
    c.press_answered = f.pressAnsweredAt ? 1 : 0;
  }
  return c;
}

function keysOf(f: ItemFact): Array<[Cut, string]> {
  return [
    ['all', ''],
    ['channel', f.channel],
    ['route', f.route ?? ''],
    ['officer', f.ownerId ?? ''],
    ['hour', String(f.hourOfWeek)],
    ['triage', triageRoute(f) ?? ''],
  ];
}

/** Cuts that carry histograms: the hour-of-week and triage cuts only count. */
const HIST_CUTS: readonly Cut[] = ['all', 'channel', 'route', 'officer'];
/** Series only the whole-team view shows. */
const TEAM_ONLY: readonly Series[] = ['touch', 'press_ack', 'press'];

function samplesOf(f: ItemFact): Array<[Series, number]> {
  const out: Array<[Series, number]> = [];
  if (f.owed && f.responseWorkingMs !== null) out.push([f.firstResponseAutomatic ? 'auto' : 'human', f.responseWorkingMs]);
  if (f.route === 'urgent_safety' && f.humanTouchMs !== null) out.push(['touch', f.humanTouchMs]);
  if (f.pressForwardedAt && f.responseWorkingMs !== null) out.push(['press_ack', f.responseWorkingMs]);
  if (f.pressResponseWorkingMs !== null) out.push(['press', f.pressResponseWorkingMs]);
  return out;
}

/** What one fact adds to the rollups. */
export function contribution(f: ItemFact): { counts: CountRow[]; hist: HistRow[] } {
  const counters = countersOf(f);
  const keys = keysOf(f);
  const counts = keys.map(([cut, key]) => ({ day: f.receivedDay, cut, key, ...counters }));
  const hist: HistRow[] = [];
  for (const [series, ms] of samplesOf(f)) {
    const bucket = bucketOf(ms);
    for (const [cut, key] of keys) {
      if (!HIST_CUTS.includes(cut) || (TEAM_ONLY.includes(series) && cut !== 'all')) continue;
      hist.push({ day: f.receivedDay, cut, key, series, bucket, n: 1 });
    }
  }
  return { counts, hist };
}

/**
 * The change to the rollups when facts go from `before` to `after` (either may lack an item: a
 * new fact, or one that stopped counting). Rows whose change is all zero are left out.
 */
export function rollupDelta(before: readonly ItemFact[], after: readonly ItemFact[]): { counts: CountRow[]; hist: HistRow[] } {
  const counts = new Map<string, CountRow>();
  const hist = new Map<string, HistRow>();
  const apply = (fact: ItemFact, sign: 1 | -1) => {
    const part = contribution(fact);
    for (const row of part.counts) {
      const id = `${row.day}|${row.cut}|${row.key}`;
      const into = counts.get(id) ?? { day: row.day, cut: row.cut, key: row.key, ...emptyCounters() };
      for (const c of COUNTERS) into[c] += sign * row[c];
      counts.set(id, into);
    }
    for (const row of part.hist) {
      const id = `${row.day}|${row.cut}|${row.key}|${row.series}|${row.bucket}`;
      const into = hist.get(id) ?? { ...row, n: 0 };
      into.n += sign * row.n;
      hist.set(id, into);
    }
  };
  for (const fact of before) apply(fact, -1);
  for (const fact of after) apply(fact, 1);
  return {
    counts: [...counts.values()].filter((row) => COUNTERS.some((c) => row[c] !== 0)),
    hist: [...hist.values()].filter((row) => row.n !== 0),
  };
}
