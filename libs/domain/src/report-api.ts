import type { Channel } from './channel.js';
import type { Route } from './route.js';
import type { UserRef } from './desk-api.js';

/**
 * The reports' HTTP contract (GET /api/reports/*, roles manager and admin). Every report takes
 * `from` and `to` (London dates, YYYY-MM-DD, both included). Times are ISO strings, durations
 * milliseconds. Each table has a CSV twin at the same path plus `.csv`, with the same query.
 */

export interface ReportRange {
  from: string;
  to: string;
}

/** A bank holiday (or trust closure) inside the range, for marking time series. */
export interface ClosedDay {
  date: string;
  title: string;
}

export interface ReportBase {
  range: ReportRange;
  generatedAt: string;
  closedDays: ClosedDay[];
}

export type ReportPeriod = 'week' | 'month';
/** How the SLA report is cut. Team is the officer's team, set on the Users page. */
export type ReportCut = 'channel' | 'route' | 'officer' | 'team';

/** A working-time distribution: the figures are the upper end of the step the middle item falls in. */
export interface Percentiles {
  count: number;
  medianMs: number | null;
  p90Ms: number | null;
}

/**
 * Compliance for one group. An item counts towards compliance once decided: answered (met or late)
 * or past due with no answer (overdue). Pending items are unanswered and not yet due.
 */
export interface ComplianceFigures {
  items: number;
  met: number;
  late: number;
  overdue: number;
  pending: number;
  /** met / (met + late + overdue); null when nothing is decided. */
  compliance: number | null;
  automatic: { answered: number; met: number; compliance: number | null };
  /** Items not answered automatically: answered by a person, or not yet answered. */
  human: { met: number; late: number; overdue: number; compliance: number | null };
  response: Percentiles;
  automaticResponse: Percentiles;
  humanResponse: Percentiles;
}

export interface ComplianceGroup extends ComplianceFigures {
  /** The cut's value: a channel, a route, an officer's id, a team name; '' for none. */
  key: string;
  label: string;
}

export interface SeriesPoint extends ComplianceFigures {
  /** First day of the week (Monday) or month. */
  period: string;
  /** ClosedDays in this period, so charts can mark them. */
  closedDays: ClosedDay[];
}

/** GET /api/reports/sla?from&to&period&by */
export interface SlaReport extends ReportBase {
  period: ReportPeriod;
  by: ReportCut;
  total: ComplianceFigures;
  groups: ComplianceGroup[];
  /** The whole team per period. */
  series: SeriesPoint[];
  /** Per period and group, for the chart's lines. */
  groupSeries: Array<{ key: string; label: string; points: SeriesPoint[] }>;
}

/** GET /api/reports/volumes?from&to */
export interface VolumeReport extends ReportBase {
  total: number;
  outOfHours: number;
  /** outOfHours / total; null when there is nothing. */
  outOfHoursShare: number | null;
  days: Array<{ day: string; items: number; outOfHours: number; closed: string | null }>;
  /** heatmap[weekday 0 = Monday][hour 0–23], London time. */
  heatmap: number[][];
  byChannel: Array<{ channel: Channel; items: number; outOfHours: number }>;
}

/** An item in a report's list: where, who, what, when, and who had it. */
export interface ReportItem {
  itemId: string;
  conversationId: string | null;
  channel: Channel;
  route: Route | null;
  author: string | null;
  /** First line of the text, capped. */
  preview: string;
  receivedAt: string;
  dueAt: string;
  heldBy: UserRef | null;
}

export interface BreachRow extends ReportItem {
  /** The "why is this due then" explanation, from libs/sla. */
  explanation: string;
  firstResponseAt: string | null;
  firstResponseAutomatic: boolean | null;
  /** Working time past due when answered, or until now when not. */
  workingMsLate: number;
}

/** GET /api/reports/breaches?from&to&cursor&limit: newest due first. */
export interface BreachPage extends ReportBase {
  rows: BreachRow[];
  total: number;
  nextCursor: string | null;
}

export interface AtRiskRow extends ReportItem {
  workingMsLeft: number;
}

/** GET /api/reports/at-risk: items unanswered now with less than the at-risk threshold left. */
export interface AtRiskReport {
  generatedAt: string;
  thresholdMs: number;
  rows: AtRiskRow[];
}

export interface DeflectionFigures {
  route: 'clinical' | 'appointment';
  /** Items triage gave this route and answered automatically. */
  autoAnswered: number;
  /** Of those, how many an officer later re-routed. */
  rerouted: number;
  /** rerouted / autoAnswered; null when none. */
  errorRate: number | null;
  /** Where the re-routed ones went. */
  reroutedTo: Array<{ route: Route; items: number }>;
}

/** GET /api/reports/deflections?from&to */
export interface DeflectionReport extends ReportBase {
  deflections: DeflectionFigures[];
  total: { autoAnswered: number; rerouted: number; errorRate: number | null };
  urgent: {
    items: number;
    touched: number;
    untouched: number;
    /** Clock time (not working time): urgent items are watched round the clock. */
    touchMedianMs: number | null;
    touchP90Ms: number | null;
    touchedWithinHour: number;
  };
}

/** GET /api/reports/press?from&to */
export interface PressReport extends ReportBase {
  forwarded: number;
  acknowledged: number;
  /** Working time from arrival to the acknowledgement reaching the journalist. */
  acknowledgement: Percentiles;
  answered: number;
  open: number;
  /** Working time from the forward to the press office marking it answered. */
  pressResponse: Percentiles;
  byChannel: Array<{ channel: Channel; forwarded: number; answered: number }>;
}

/** GET /api/reports/moderation?from&to */
export interface ModerationReport extends ReportBase {
  hidden: number;
  hiddenByRoute: Array<{ route: Route | null; items: number }>;
  strikes: number;
  authorsStruck: number;
  flaggedForBlocking: number;
  flagged: Array<{ contactId: string; handle: string | null; displayName: string | null; channel: Channel | null; strikes: number; flaggedAt: string }>;
}

/** Plain-words definitions, one per figure; the pages show them one click away. */
export const REPORT_DEFINITIONS = {
  compliance:
    'Of the items that arrived in the range and have an outcome, the share whose first response reached the public at or before its due time. An item has an outcome once it is answered, or once its due time has passed with no answer (then it counts as a breach). Items not yet due and not yet answered are left out until they are.',
  automatic:
    'Items whose first response was an automatic reply (emergency signposting, clinical or appointment deflection, press acknowledgement). They are almost always on time, so they are shown apart.',
  human:
    'Items whose first response was not automatic: answered by an officer, or still waiting for one. This is the team\'s own compliance, with automatic replies excluded.',
  met: 'Answered at or before the due time.',
  late: 'Answered, but after the due time.',
  overdue: 'Not answered and now past the due time. Each of these is a breach.',
  pending: 'Not answered and not yet due. Not counted in compliance until answered or due.',
  due:
    'Due time: 24 working hours after the item arrived, counting Monday–Friday 09:00–17:00 London time and skipping bank holidays and trust closure days. Items arriving out of hours start the clock at the next opening.',
  responseTime:
    'Working time from arrival to the first response, counting only opening hours. The median is the time by which half the items were answered; the 90th percentile the time by which nine in ten were. Times are counted in steps: 5 minutes up to an hour, 15 minutes up to 8 hours, 30 minutes up to 40 hours, 4 hours up to 200 hours; the figure shown is the end of the step the item falls in.',
  officer:
    'The officer who had the item: who sent its first reply, or the conversation\'s assignee when no officer replied. "Nobody" means no officer replied and it was not assigned.',
  team: 'The team of the officer who had the item, as set on the Users page now.',
  volume: 'Items the public sent that were triaged: posts, comments, messages and emails. Automatic and bounce emails are not counted.',
  outOfHours: 'Arrived outside opening hours (evenings, weekends, bank holidays and closure days), London time.',
  heatmap: 'How many items arrived in each hour of the week, London time, over the range.',
  breach: 'An item answered after its due time, or not answered and past its due time now.',
  atRisk: 'Not answered yet, not yet due, and less than the at-risk threshold of working time left.',
  deflection:
    'Clinical and appointment questions that triage answered automatically with a signposting template and closed, by the route triage gave.',
  deflectionError:
    'Deflection error rate: of the items deflected automatically, the share an officer later re-routed to another route, because the deflection was wrong.',
  urgentTouch:
    'Urgent safety items: clock time (not working time, because these are watched round the clock) from arrival to the first thing a person did with them: a reply, a note, a claim or an assignment.',
  pressForwarded: 'Media enquiries triage forwarded to the press office.',
  pressAcknowledgement: 'Working time from arrival to the acknowledgement reaching the journalist.',
  pressResponse: 'Working time from the forward to the press office marking the enquiry answered.',
  hidden: 'Items hidden on their channel in the range, automatically (abuse, spam, personal data) or by an officer.',
  strikes: 'Strikes given to authors for abusive items in the range.',
  flagged: 'Authors who reached 3 strikes in 90 days, or were flagged by an officer, in the range.',
} as const;

export type ReportDefinitionKey = keyof typeof REPORT_DEFINITIONS;
