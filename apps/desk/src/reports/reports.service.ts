import { Inject, Injectable } from '@nestjs/common';
import {
  CHANNEL_LABELS,
  COUNTERS,
  ROUTE_LABELS,
  isRoute,
  type AtRiskReport,
  type BreachPage,
  type BreachRow,
  type Channel,
  type CountSum,
  type DeflectionReport,
  type DeskUser,
  type HistSum,
  type ModerationReport,
  type PressReport,
  type ReportItem,
  type ReportCut,
  type ReportPeriod,
  type SlaReport,
  type UserRef,
  type VolumeReport,
} from '@desk/domain';
import { ReportsRepository, UsersRepository, type BreachCursor, type BreachRecord } from '@desk/persistence';
import { addTo, emptyCounters, percentiles, slaFigures, type Histogram } from '@desk/reports';
import { CalendarSource } from '@desk/runtime';
import { explainDue, type WorkingCalendar } from '@desk/sla';
import { DESK_SETTINGS, type DeskRuntimeSettings } from '../tokens.js';
import { closedDays, daysOf, periodOf, periodsOf, type ResolvedRange } from './report-range.js';

const PREVIEW_CHARS = 140;
/** At-risk candidates are looked for this far ahead in clock time; working time decides. */
const AT_RISK_LOOKAHEAD_MS = 21 * 24 * 3_600_000;
const AT_RISK_LIMIT = 500;

function preview(record: Pick<BreachRecord, 'subject' | 'body'>): string {
  const text = [record.subject, record.body].filter(Boolean).join(' — ');
  const line = text.split(/\r?\n/).find((l) => l.trim()) ?? '';
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS - 1)}…` : line;
}

const author = (r: Pick<BreachRecord, 'handle' | 'displayName'>): string | null => r.displayName ?? (r.handle ? `@${r.handle}` : null);

function sumCounters(rows: CountSum[], match: (row: CountSum) => boolean) {
  const sum = emptyCounters();
  for (const row of rows) if (match(row)) for (const c of COUNTERS) sum[c] += row[c];
  return sum;
}

function histogramOf(rows: HistSum[], match: (row: HistSum) => boolean): Histogram {
  const hist: Histogram = new Map();
  for (const row of rows) if (match(row)) addTo(hist, row.bucket, row.n);
  return hist;
}

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

/** Cursors are opaque to the client: Postgres's text of due_at (exact to the µs) and the item id. */
export function encodeCursor(c: BreachCursor): string {
  return Buffer.from(JSON.stringify([c.dueAtText, c.itemId])).toString('base64url');
}

export function decodeCursor(value: string): BreachCursor | null {
  try {
    const [dueAtText, itemId] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof dueAtText !== 'string' || typeof itemId !== 'string' || !/^[0-9a-f-]{36}$/.test(itemId) || dueAtText.length > 40) return null;
    return { dueAtText, itemId };
  } catch {
    return null;
  }
}

/** The manager reports, read from the daily rollups with the same calendar the queue uses. */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly users: UsersRepository,
    private readonly calendars: CalendarSource,
    @Inject(DESK_SETTINGS) private readonly settings: DeskRuntimeSettings,
  ) {}

  calendar(): Promise<WorkingCalendar> {
    return this.calendars.current();
  }

  async sla(range: ResolvedRange, period: ReportPeriod, by: ReportCut, now: Date): Promise<SlaReport> {
    const calendar = await this.calendars.current();
    const cut = by === 'team' ? 'officer' : by;
    const [counts, hist, teamUnanswered, groupUnanswered, users] = await Promise.all([
      this.reports.counts(range, ['all', cut], period),
      this.reports.histograms(range, ['all', cut], ['auto', 'human'], period),
      this.reports.unanswered(range, 'all', period, now),
      this.reports.unanswered(range, cut, period, now),
      this.users.list(),
    ]);
    const byId = new Map(users.map((u) => [u.id, u]));
    const groupOf = by === 'team' ? (key: string) => byId.get(key)?.team ?? '' : (key: string) => key;
    const closed = closedDays(range, calendar);
    const figures = slaFigures(
      { counts, hist, teamUnanswered, groupUnanswered },
      { cut, groupOf, labelOf: (key) => groupLabel(by, key, byId), periods: periodsOf(range, period), closedDays: closed, periodOfDay: (d) => periodOf(d, period) },
    );
    return { range: { from: range.from, to: range.to }, generatedAt: now.toISOString(), closedDays: closed, period, by, ...figures };
  }

  async volumes(range: ResolvedRange, now: Date): Promise<VolumeReport> {
    const calendar = await this.calendars.current();
    const [daily, whole] = await Promise.all([this.reports.counts(range, ['all'], 'day'), this.reports.counts(range, ['hour', 'channel'], 'range')]);
    const closed = closedDays(range, calendar);
    const closedOn = new Map(closed.map((d) => [d.date, d.title]));
    const byDay = new Map(daily.map((r) => [r.period, r]));
    const days = daysOf(range).map((day) => ({
      day,
      items: byDay.get(day)?.items ?? 0,
      outOfHours: byDay.get(day)?.out_of_hours ?? 0,
      closed: closedOn.get(day) ?? null,
    }));
    const heatmap = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    for (const row of whole) {
      if (row.cut !== 'hour') continue;
      const hour = Number(row.key);
      heatmap[Math.floor(hour / 24)]![hour % 24] += row.items;
    }
    const total = days.reduce((n, d) => n + d.items, 0);
    const outOfHours = days.reduce((n, d) => n + d.outOfHours, 0);
    const byChannel = (Object.keys(CHANNEL_LABELS) as Channel[]).map((channel) => {
      const c = sumCounters(whole, (r) => r.cut === 'channel' && r.key === channel);
      return { channel, items: c.items, outOfHours: c.out_of_hours };
    });
    return {
      range: { from: range.from, to: range.to },
      generatedAt: now.toISOString(),
      closedDays: closed,
      total,
      outOfHours,
      outOfHoursShare: ratio(outOfHours, total),
      days,
      heatmap,
      byChannel,
    };
  }

  async breaches(range: ResolvedRange, now: Date, limit: number, cursor: BreachCursor | null): Promise<BreachPage> {
    const calendar = await this.calendars.current();
    const [records, total, users] = await Promise.all([
      this.reports.breaches(range, now, limit + 1, cursor),
      cursor ? Promise.resolve(-1) : this.reports.breachCount(range, now),
      this.users.list(),
    ]);
    const page = records.slice(0, limit);
    const last = page[page.length - 1];
    return {
      range: { from: range.from, to: range.to },
      generatedAt: now.toISOString(),
      closedDays: closedDays(range, calendar),
      rows: page.map((r) => this.breachRow(r, calendar, now, users)),
      total,
      nextCursor: records.length > limit && last ? encodeCursor({ dueAtText: last.dueAtText, itemId: last.itemId }) : null,
    };
  }

  /** Every breach in the range, a page at a time, for streaming out. */
  async *allBreaches(range: ResolvedRange, now: Date): AsyncGenerator<BreachRow[]> {
    const calendar = await this.calendars.current();
    const users = await this.users.list();
    let cursor: BreachCursor | null = null;
    for (;;) {
      const records = await this.reports.breaches(range, now, 1000, cursor);
      if (!records.length) return;
      yield records.map((r) => this.breachRow(r, calendar, now, users));
      const last = records[records.length - 1]!;
      cursor = { dueAtText: last.dueAtText, itemId: last.itemId };
      if (records.length < 1000) return;
    }
  }

  async atRisk(now: Date): Promise<AtRiskReport> {
    const calendar = await this.calendars.current();
    const [records, users] = await Promise.all([
      this.reports.dueSoon(now, new Date(now.getTime() + AT_RISK_LOOKAHEAD_MS), AT_RISK_LIMIT),
      this.users.list(),
    ]);
    const rows = records
      .map((r) => ({ r, left: calendar.workingTimeRemaining(r.dueAt, now) }))
      .filter(({ left }) => left < this.settings.atRiskMs)
      .map(({ r, left }) => ({ ...itemSummary(r, users), workingMsLeft: left }));
    return { generatedAt: now.toISOString(), thresholdMs: this.settings.atRiskMs, rows };
  }

  async deflections(range: ResolvedRange, now: Date): Promise<DeflectionReport> {
    const calendar = await this.calendars.current();
    const [counts, touch, rerouted] = await Promise.all([
      this.reports.counts(range, ['all', 'triage'], 'range'),
      this.reports.histograms(range, ['all'], ['touch'], 'range'),
      this.reports.reroutedDeflections(range),
    ]);
    const deflections = (['clinical', 'appointment'] as const).map((route) => {
      const c = sumCounters(counts, (r) => r.cut === 'triage' && r.key === route);
      return {
        route,
        autoAnswered: c.deflected,
        rerouted: c.deflection_rerouted,
        errorRate: ratio(c.deflection_rerouted, c.deflected),
        reroutedTo: rerouted.filter((r) => r.from === route && isRoute(r.to)).map((r) => ({ route: r.to, items: r.items })),
      };
    });
    const all = sumCounters(counts, (r) => r.cut === 'all');
    const touchTimes = percentiles(histogramOf(touch, () => true));
    return {
      range: { from: range.from, to: range.to },
      generatedAt: now.toISOString(),
      closedDays: closedDays(range, calendar),
      deflections,
      total: { autoAnswered: all.deflected, rerouted: all.deflection_rerouted, errorRate: ratio(all.deflection_rerouted, all.deflected) },
      urgent: {
        items: all.urgent,
        touched: all.urgent_touched,
        untouched: all.urgent - all.urgent_touched,
        touchMedianMs: touchTimes.medianMs,
        touchP90Ms: touchTimes.p90Ms,
        touchedWithinHour: all.urgent_touched_hour,
      },
    };
  }

  async press(range: ResolvedRange, now: Date): Promise<PressReport> {
    const calendar = await this.calendars.current();
    const [counts, hist] = await Promise.all([
      this.reports.counts(range, ['all', 'channel'], 'range'),
      this.reports.histograms(range, ['all'], ['press_ack', 'press'], 'range'),
    ]);
    const all = sumCounters(counts, (r) => r.cut === 'all');
    return {
      range: { from: range.from, to: range.to },
      generatedAt: now.toISOString(),
      closedDays: closedDays(range, calendar),
      forwarded: all.press_forwarded,
      acknowledged: all.press_acknowledged,
      acknowledgement: percentiles(histogramOf(hist, (r) => r.series === 'press_ack')),
      answered: all.press_answered,
      open: all.press_forwarded - all.press_answered,
      pressResponse: percentiles(histogramOf(hist, (r) => r.series === 'press')),
      byChannel: (Object.keys(CHANNEL_LABELS) as Channel[]).map((channel) => {
        const c = sumCounters(counts, (r) => r.cut === 'channel' && r.key === channel);
        return { channel, forwarded: c.press_forwarded, answered: c.press_answered };
      }),
    };
  }

  async moderation(range: ResolvedRange, now: Date): Promise<ModerationReport> {
    const calendar = await this.calendars.current();
    const [counts, strikes, flagged] = await Promise.all([
      this.reports.counts(range, ['all', 'route'], 'range'),
      this.reports.strikes(range.start, range.end),
      this.reports.flagged(range.start, range.end),
    ]);
    const all = sumCounters(counts, (r) => r.cut === 'all');
    return {
      range: { from: range.from, to: range.to },
      generatedAt: now.toISOString(),
      closedDays: closedDays(range, calendar),
      hidden: all.hidden,
      hiddenByRoute: counts
        .filter((r) => r.cut === 'route' && r.hidden > 0)
        .map((r) => ({ route: isRoute(r.key) ? r.key : null, items: r.hidden }))
        .sort((a, b) => b.items - a.items),
      strikes: strikes.strikes,
      authorsStruck: strikes.authors,
      flaggedForBlocking: flagged.length,
      flagged: flagged.map((f) => ({ ...f, flaggedAt: f.flaggedAt.toISOString() })),
    };
  }

  private breachRow(r: BreachRecord, calendar: WorkingCalendar, now: Date, users: DeskUser[]): BreachRow {
    const until = r.firstResponseAt ?? now;
    return {
      ...itemSummary(r, users),
      explanation: explainDue(r.receivedAt, calendar, this.settings.targetHours).text,
      firstResponseAt: r.firstResponseAt?.toISOString() ?? null,
      firstResponseAutomatic: r.firstResponseAutomatic,
      workingMsLate: calendar.workingTimeBetween(r.dueAt, until),
    };
  }
}

/** What the breach and at-risk lists say about an item: where, who, what, when, who had it. */
function itemSummary(r: BreachRecord, users: DeskUser[]): ReportItem {
  return {
    itemId: r.itemId,
    conversationId: r.conversationId,
    channel: r.channel,
    route: r.route,
    author: author(r),
    preview: preview(r),
    receivedAt: r.receivedAt.toISOString(),
    dueAt: r.dueAt.toISOString(),
    heldBy: userRef(r.ownerId, users),
  };
}

function userRef(id: string | null, users: DeskUser[]): UserRef | null {
  const user = id ? users.find((u) => u.id === id) : undefined;
  return user ? { id: user.id, name: user.name, initials: user.initials } : null;
}

function groupLabel(by: ReportCut, key: string, users: Map<string, DeskUser>): string {
  if (by === 'channel') return CHANNEL_LABELS[key as Channel] ?? key;
  if (by === 'route') return isRoute(key) ? ROUTE_LABELS[key] : 'No route';
  if (by === 'officer') return users.get(key)?.name ?? 'Nobody';
  return key || 'No team';
}
