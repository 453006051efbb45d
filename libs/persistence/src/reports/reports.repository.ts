import { COUNTERS, type Channel, type CountSum, type Cut, type Grain, type HistSum, type Route, type Series, type Unanswered } from '@desk/domain';
import type { DataSource } from 'typeorm';

export interface DayRange {
  /** London dates, both included. */
  from: string;
  to: string;
}

export interface BreachRecord {
  itemId: string;
  conversationId: string | null;
  channel: Channel;
  route: Route | null;
  handle: string | null;
  displayName: string | null;
  subject: string | null;
  body: string | null;
  receivedAt: Date;
  dueAt: Date;
  /** Postgres's own text of due_at, for the cursor: exact to the microsecond. */
  dueAtText: string;
  firstResponseAt: Date | null;
  firstResponseAutomatic: boolean | null;
  ownerId: string | null;
}

export interface BreachCursor {
  dueAtText: string;
  itemId: string;
}

function breachRecord(r: Record<string, unknown>): BreachRecord {
  return {
    itemId: r.item_id as string,
    conversationId: (r.conversation_id as string | null) ?? null,
    channel: r.channel as Channel,
    route: (r.route as Route | null) ?? null,
    handle: (r.handle as string | null) ?? null,
    displayName: (r.display_name as string | null) ?? null,
    subject: (r.subject as string | null) ?? null,
    body: (r.body as string | null) ?? null,
    receivedAt: r.received_at as Date,
    dueAt: r.due_at as Date,
    dueAtText: r.due_at_text as string,
    firstResponseAt: (r.first_response_at as Date | null) ?? null,
    firstResponseAutomatic: (r.first_response_automatic as boolean | null) ?? null,
    ownerId: (r.owner_id as string | null) ?? null,
  };
}

function periodSql(grain: Grain): string {
  return grain === 'range' ? `''` : grain === 'day' ? `day::text` : `date_trunc('${grain}', day)::date::text`;
}

/** Which fact column an unanswered item is grouped by for a cut. */
const FACT_KEY: Partial<Record<Cut, string>> = {
  all: `''`,
  channel: 'channel',
  route: `coalesce(route, '')`,
  officer: `coalesce(owner_id::text, '')`,
};

const BREACHED = `owed AND (first_response_at > due_at OR (first_response_at IS NULL AND due_at < $3))`;

/** Reads for the manager reports: sums of the daily rollups, and the few figures that depend on now. */
export class ReportsRepository {
  constructor(private readonly db: DataSource) {}

  async counts(range: DayRange, cuts: readonly Cut[], grain: Grain): Promise<CountSum[]> {
    const period = periodSql(grain);
    const rows = await this.db.query(
      `SELECT cut, key, ${period} AS period, ${COUNTERS.map((c) => `sum(${c})::int AS ${c}`).join(', ')}
         FROM report_count WHERE cut = ANY ($1::text[]) AND day BETWEEN $2::date AND $3::date
        GROUP BY cut, key, 3`,
      [cuts, range.from, range.to],
    );
    return rows as CountSum[];
  }

  async histograms(range: DayRange, cuts: readonly Cut[], series: readonly Series[], grain: Grain): Promise<HistSum[]> {
    if (grain === 'week' || grain === 'month') return this.periodHistograms(range, cuts, series, grain);
    const period = periodSql(grain);
    const rows: Array<HistSum & { n: string | number }> = await this.db.query(
      `SELECT cut, key, ${period} AS period, series, bucket, sum(n)::int AS n
         FROM report_hist WHERE cut = ANY ($1::text[]) AND series = ANY ($2::text[]) AND day BETWEEN $3::date AND $4::date
        GROUP BY cut, key, 3, series, bucket HAVING sum(n) <> 0`,
      [cuts, series, range.from, range.to],
    );
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  }

  /**
   * Whole weeks or months inside the range come from their own rows; the partial periods at
   * either end are summed from days, so any range is exact and a long one reads few rows.
   */
  private async periodHistograms(range: DayRange, cuts: readonly Cut[], series: readonly Series[], grain: 'week' | 'month'): Promise<HistSum[]> {
    const rows: Array<HistSum & { n: string | number }> = await this.db.query(
      `WITH b AS (
         SELECT CASE WHEN date_trunc('${grain}', $3::date)::date = $3::date THEN $3::date
                     ELSE (date_trunc('${grain}', $3::date) + interval '1 ${grain}')::date END AS full_from,
                date_trunc('${grain}', $4::date + 1)::date AS full_until)
       SELECT p.cut, p.key, p.start::text AS period, p.series, p.bucket, p.n
         FROM report_hist_period p, b
        WHERE p.grain = '${grain}' AND p.cut = ANY ($1::text[]) AND p.series = ANY ($2::text[])
          AND p.start >= b.full_from AND p.start < b.full_until AND p.n <> 0
       UNION ALL
       SELECT h.cut, h.key, date_trunc('${grain}', h.day)::date::text, h.series, h.bucket, sum(h.n)::int
         FROM report_hist h, b
        WHERE h.cut = ANY ($1::text[]) AND h.series = ANY ($2::text[]) AND h.day BETWEEN $3::date AND $4::date
          AND (h.day < b.full_from OR h.day >= b.full_until)
        GROUP BY 1, 2, 3, 4, 5 HAVING sum(h.n) <> 0`,
      [cuts, series, range.from, range.to],
    );
    return rows.map((r) => ({ ...r, n: Number(r.n) }));
  }

  /** Items owed a response and not answered, and how many of them are past due now. */
  async unanswered(range: DayRange, cut: Cut, grain: Grain, now: Date): Promise<Unanswered[]> {
    const key = FACT_KEY[cut];
    if (!key) throw new Error(`no live figures by ${cut}`);
    const period = periodSql(grain).replaceAll('day', 'received_day');
    return this.db.query(
      `SELECT ${key} AS key, ${period} AS period, count(*)::int AS unanswered, count(*) FILTER (WHERE due_at < $3)::int AS overdue
         FROM report_fact WHERE owed AND first_response_at IS NULL AND received_day BETWEEN $1::date AND $2::date
        GROUP BY 1, 2`,
      [range.from, range.to, now],
    );
  }

  /** Breached items, latest due first, `limit` after the cursor. */
  async breaches(range: DayRange, now: Date, limit: number, after: BreachCursor | null): Promise<BreachRecord[]> {
    const values: unknown[] = [range.from, range.to, now, limit];
    let keyset = '';
    if (after) {
      values.push(after.dueAtText, after.itemId);
      keyset = `AND (f.due_at, f.item_id) < ($5::timestamptz, $6::uuid)`;
    }
    const rows = await this.db.query(
      `SELECT f.item_id, i.conversation_id, f.channel, f.route, ct.handle, ct.display_name, i.subject, left(i.body, 400) AS body,
              f.received_at, f.due_at, f.due_at::text AS due_at_text, f.first_response_at, f.first_response_automatic, f.owner_id
         FROM report_fact f
         JOIN inbound_item i ON i.id = f.item_id
         LEFT JOIN contact ct ON ct.id = i.contact_id
        WHERE ${BREACHED.replaceAll(/\b(owed|first_response_at|due_at)\b/g, 'f.$1')}
          AND f.received_day BETWEEN $1::date AND $2::date AND f.due_at >= $1::date - interval '1 day' ${keyset}
        ORDER BY f.due_at DESC, f.item_id DESC
        LIMIT $4`,
      values,
    );
    return rows.map(breachRecord);
  }

  async breachCount(range: DayRange, now: Date): Promise<number> {
    const [row] = await this.db.query(
      `SELECT count(*)::int AS n FROM report_fact
        WHERE ${BREACHED} AND received_day BETWEEN $1::date AND $2::date AND due_at >= $1::date - interval '1 day'`,
      [range.from, range.to, now],
    );
    return row.n;
  }

  /** Unanswered items due after now and before `until` (clock time; the caller checks working time). */
  async dueSoon(now: Date, until: Date, limit: number): Promise<BreachRecord[]> {
    const rows = await this.db.query(
      `SELECT f.item_id, i.conversation_id, f.channel, f.route, ct.handle, ct.display_name, i.subject, left(i.body, 400) AS body,
              f.received_at, f.due_at, f.due_at::text AS due_at_text, f.first_response_at, f.first_response_automatic,
              coalesce(f.owner_id, c.assignee_id) AS owner_id
         FROM report_fact f
         JOIN inbound_item i ON i.id = f.item_id
         LEFT JOIN conversation c ON c.id = i.conversation_id
         LEFT JOIN contact ct ON ct.id = i.contact_id
        WHERE f.owed AND f.first_response_at IS NULL AND f.due_at > $1 AND f.due_at <= $2
        ORDER BY f.due_at, f.item_id LIMIT $3`,
      [now, until, limit],
    );
    return rows.map(breachRecord);
  }

  /** Deflected items an officer re-routed: where from and where to. */
  async reroutedDeflections(range: DayRange): Promise<Array<{ from: Route; to: Route; items: number }>> {
    return this.db.query(
      `SELECT rerouted_from AS "from", route AS "to", count(*)::int AS items FROM report_fact
        WHERE rerouted_from IN ('clinical', 'appointment') AND first_response_automatic AND route IS NOT NULL
          AND received_day BETWEEN $1::date AND $2::date
        GROUP BY 1, 2 ORDER BY 3 DESC`,
      [range.from, range.to],
    );
  }

  /** Strikes given between two instants. */
  async strikes(start: Date, end: Date): Promise<{ strikes: number; authors: number }> {
    const [row] = await this.db.query(
      `SELECT count(*)::int AS strikes, count(DISTINCT contact_id)::int AS authors FROM strike WHERE created_at >= $1 AND created_at < $2`,
      [start, end],
    );
    return row;
  }

  async flagged(
    start: Date,
    end: Date,
  ): Promise<Array<{ contactId: string; handle: string | null; displayName: string | null; channel: Channel | null; strikes: number; flaggedAt: Date }>> {
    return this.db.query(
      `SELECT ct.id AS "contactId", ct.handle, ct.display_name AS "displayName", ct.platform AS channel,
              (SELECT count(*)::int FROM strike s WHERE s.contact_id = ct.id) AS strikes, ct.flagged_for_block_at AS "flaggedAt"
         FROM contact ct WHERE ct.flagged_for_block_at >= $1 AND ct.flagged_for_block_at < $2
        ORDER BY ct.flagged_for_block_at DESC LIMIT 1000`,
      [start, end],
    );
  }
}
