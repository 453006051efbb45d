/**
 * The shape of the reports' daily rollups (see libs/reports/src/rollup.ts for how facts feed them):
 * shared by the code that computes deltas and the repository that stores them.
 */
export const CUTS = ['all', 'channel', 'route', 'officer', 'hour', 'triage'] as const;
export type Cut = (typeof CUTS)[number];

export const COUNTERS = [
  'items',
  'out_of_hours',
  'hidden',
  'owed',
  'answered',
  'met',
  'auto_answered',
  'auto_met',
  'unanswered',
  'deflected',
  'deflection_rerouted',
  'urgent',
  'urgent_touched',
  'urgent_touched_hour',
  'press_forwarded',
  'press_acknowledged',
  'press_answered',
] as const;
export type Counter = (typeof COUNTERS)[number];
export type Counters = Record<Counter, number>;

/** Histogram series: automatic and human first responses, urgent first touch, press ack and press response. */
export const SERIES = ['auto', 'human', 'touch', 'press_ack', 'press'] as const;
export type Series = (typeof SERIES)[number];

export interface CountRow extends Counters {
  day: string;
  cut: Cut;
  key: string;
}

export interface HistRow {
  day: string;
  cut: Cut;
  key: string;
  series: Series;
  bucket: number;
  n: number;
}


/** How rows are grouped in time: per day, per week (Monday), per month, or the whole range. */
export type Grain = 'day' | 'week' | 'month' | 'range';

export interface CountSum extends Counters {
  cut: Cut;
  key: string;
  /** The grain's first day, or '' for the whole range. */
  period: string;
}

export interface HistSum {
  cut: Cut;
  key: string;
  period: string;
  series: Series;
  bucket: number;
  n: number;
}

export interface Unanswered {
  key: string;
  period: string;
  unanswered: number;
  overdue: number;
}

