import { COUNTERS, type Channel, type CountRow, type FactSource, type HistRow, type ItemFact, type Route } from '@desk/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { FACT_COLUMNS, FACT_RECORD, FACT_SELECT, factFromRow, factRecord } from './fact-record.js';

export interface RollupDelta {
  counts: CountRow[];
  hist: HistRow[];
}

export interface FactComputation {
  compute: (sources: FactSource[]) => ItemFact[];
  /** The rollups' change when facts go from before to after. */
  delta: (before: ItemFact[], after: ItemFact[]) => RollupDelta;
}

/** One refresh at a time: deltas to the same rollup rows from two transactions could deadlock. */
const REFRESH_LOCK = 0x7265_706f; // "repo"
const COUNT_RECORD = `cut text, day date, key text, ${COUNTERS.map((c) => `${c} integer`).join(', ')}`;
const HIST_RECORD = `cut text, day date, key text, series text, bucket smallint, n integer`;

/**
 * Keeps report facts in step with items. A batch of dirty items is read, computed by the caller
 * and written, and the dirty marks cleared, in one transaction. The items are not locked while
 * that runs (it took up to 600 ms under load, and triage and the responder queued behind it): a
 * mark is cleared only if it is still the one that was read, so an item changed meanwhile stays
 * dirty and is computed again by the next refresh. Only one refresh runs at a time.
 */
export class ReportFactsRepository {
  constructor(private readonly db: DataSource) {}

  /** Recomputes up to `limit` dirty items; returns how many were looked at (0 when another refresh holds the lock). */
  async refresh(limit: number, computation: FactComputation): Promise<number> {
    return this.db.transaction(async (tx) => {
      // Committed without waiting for the disk: a refresh lost in a Postgres crash loses its
      // facts, rollups and cleared marks together, and the marks have the next one redo it.
      const [{ locked }] = await tx.query(`SELECT pg_try_advisory_xact_lock($1) AS locked, set_config('synchronous_commit', 'off', true)`, [
        REFRESH_LOCK,
      ]);
      if (!locked) return 0;
      const dirty: Array<{ id: string; mark: string; counts: boolean }> = await tx.query(
        `SELECT d.item_id AS id, d.mark::text AS mark, coalesce(i.kind = 'message' AND i.triaged_at IS NOT NULL, false) AS counts
           FROM report_dirty_item d LEFT JOIN inbound_item i ON i.id = d.item_id
          ORDER BY d.item_id LIMIT $1`,
        [limit],
      );
      if (!dirty.length) return 0;
      const ids = dirty.map((d) => d.id);
      const before: ItemFact[] = (await tx.query(`SELECT ${FACT_SELECT} FROM report_fact WHERE item_id = ANY ($1::uuid[]) FOR UPDATE`, [ids])).map(
        factFromRow,
      );
      const counted = dirty.filter((d) => d.counts).map((d) => d.id);
      const after = computation.compute(await sources(tx, counted));
      if (after.length) {
        const updates = FACT_COLUMNS.slice(1).map((c) => `${c} = EXCLUDED.${c}`).join(', ');
        await tx.query(
          `INSERT INTO report_fact (${FACT_COLUMNS.join(', ')})
           SELECT ${FACT_COLUMNS.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS f(${FACT_RECORD})
           ON CONFLICT (item_id) DO UPDATE SET ${updates}, computed_at = now()`,
          [JSON.stringify(after.map(factRecord))],
        );
      }
      // Items that don't count (auto-replies, bounces, untriaged, deleted) have no fact.
      const uncounted = dirty.filter((d) => !d.counts).map((d) => d.id);
      if (uncounted.length) await tx.query(`DELETE FROM report_fact WHERE item_id = ANY ($1::uuid[])`, [uncounted]);
      await applyDelta(tx, computation.delta(before, after));
      // Every mark holds the id of the transaction that made it, so a mark still equal to the one
      // read was committed before the marks were read, hence before the sources were: it goes. A
      // mark made since and committed, even while this statement runs, is unequal and stays. A
      // writer still at work holds its mark's row: skipped rather than waited for, its mark stays
      // whether it commits or not, and a refresh never waits on (nor deadlocks with) a writer. One
      // marking an item after this delete waits for this refresh to commit, then inserts its mark.
      // One index probe per item (a join let the planner scan every mark: 48 ms with 49,000).
      await tx.query(
        `DELETE FROM report_dirty_item WHERE item_id IN (
           SELECT d.item_id FROM unnest($1::uuid[], $2::xid8[]) AS r(item_id, mark),
             LATERAL (SELECT item_id FROM report_dirty_item WHERE item_id = r.item_id AND mark = r.mark FOR UPDATE SKIP LOCKED) d)`,
        [ids, dirty.map((d) => d.mark)],
      );
      return dirty.length;
    });
  }

  /**
   * Marks every item for recomputing, e.g. after the working calendar changed. Marked ones are
   * marked again: a refresh may be computing them with the old calendar.
   */
  async markAllDirty(): Promise<number> {
    const [row] = await this.db.query(
      `WITH marked AS (
         INSERT INTO report_dirty_item (item_id) SELECT id FROM inbound_item WHERE kind = 'message' ORDER BY id
         ON CONFLICT (item_id) DO UPDATE SET mark = EXCLUDED.mark RETURNING 1)
       SELECT count(*)::int AS n FROM marked`,
    );
    return row.n;
  }

  async dirtyCount(): Promise<number> {
    const [row] = await this.db.query(`SELECT count(*)::int AS n FROM report_dirty_item`);
    return row.n;
  }

  async fact(itemId: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.db.query(`SELECT * FROM report_fact WHERE item_id = $1`, [itemId]);
    return row;
  }
}

async function applyDelta(tx: Pick<EntityManager, 'query'>, delta: RollupDelta): Promise<void> {
  if (delta.counts.length) {
    const sets = COUNTERS.map((c) => `${c} = report_count.${c} + EXCLUDED.${c}`).join(', ');
    await tx.query(
      `INSERT INTO report_count (cut, day, key, ${COUNTERS.join(', ')})
       SELECT cut, day, key, ${COUNTERS.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS d(${COUNT_RECORD})
       ON CONFLICT (cut, day, key) DO UPDATE SET ${sets}`,
      [JSON.stringify(delta.counts)],
    );
  }
  if (delta.hist.length) {
    await tx.query(
      `INSERT INTO report_hist (cut, day, key, series, bucket, n)
       SELECT cut, day, key, series, bucket, n FROM jsonb_to_recordset($1::jsonb) AS d(${HIST_RECORD})
       ON CONFLICT (cut, day, key, series, bucket) DO UPDATE SET n = report_hist.n + EXCLUDED.n`,
      [JSON.stringify(delta.hist)],
    );
    // The same change summed into its week and month.
    await tx.query(
      `INSERT INTO report_hist_period (grain, cut, start, key, series, bucket, n)
       SELECT g.grain, d.cut, date_trunc(g.grain, d.day)::date, d.key, d.series, d.bucket, sum(d.n)
         FROM jsonb_to_recordset($1::jsonb) AS d(${HIST_RECORD}) CROSS JOIN (VALUES ('week'), ('month')) AS g(grain)
        GROUP BY 1, 2, 3, 4, 5, 6
       ON CONFLICT (grain, cut, start, key, series, bucket) DO UPDATE SET n = report_hist_period.n + EXCLUDED.n`,
      [JSON.stringify(delta.hist)],
    );
  }
}

async function sources(tx: Pick<EntityManager, 'query'>, ids: string[]): Promise<FactSource[]> {
  if (!ids.length) return [];
  const rows = await tx.query(
    `SELECT i.id, i.channel, i.route, i.rerouted_from, i.received_at, i.due_at, i.first_response_at, i.first_response_automatic, i.hidden_at,
            c.assignee_id, p.created_at AS press_forwarded_at, p.press_answered_at,
            h.sent_at AS first_human_response_at, h.author_id AS first_human_responder_id,
            (SELECT min(t) FROM (
               SELECT min(o.created_at) AS t FROM outbound_message o WHERE o.inbound_item_id = i.id AND NOT o.automatic
               UNION ALL
               SELECT min(n.created_at) FROM conversation_note n WHERE n.conversation_id = i.conversation_id AND n.created_at >= i.received_at
               UNION ALL
               SELECT min(e.at) FROM audit_event e
                WHERE e.actor_id IS NOT NULL AND e.at >= i.received_at
                  AND ((e.subject_type = 'conversation' AND e.subject_id = i.conversation_id::text)
                    OR (e.subject_type = 'inbound_item' AND e.subject_id = i.id::text))) touches) AS first_human_touch_at
       FROM inbound_item i
       LEFT JOIN conversation c ON c.id = i.conversation_id
       LEFT JOIN LATERAL (
         SELECT o.created_at, o.press_answered_at FROM outbound_message o
          WHERE o.inbound_item_id = i.id AND o.kind = 'press_forward' ORDER BY o.created_at LIMIT 1) p ON true
       LEFT JOIN LATERAL (
         SELECT o.sent_at, o.author_id FROM outbound_message o
          WHERE o.inbound_item_id = i.id AND NOT o.automatic AND o.status = 'sent' AND o.kind IN ('reply','direct_message','email')
          ORDER BY o.sent_at LIMIT 1) h ON true
      WHERE i.id = ANY ($1::uuid[])`,
    [ids],
  );
  return rows.map(
    (r: {
      id: string; channel: Channel; route: Route | null; rerouted_from: Route | null; received_at: Date; due_at: Date | null;
      first_response_at: Date | null; first_response_automatic: boolean | null; hidden_at: Date | null;
      assignee_id: string | null; press_forwarded_at: Date | null; press_answered_at: Date | null;
      first_human_response_at: Date | null; first_human_responder_id: string | null; first_human_touch_at: Date | null;
    }): FactSource => ({
      itemId: r.id,
      channel: r.channel,
      route: r.route,
      reroutedFrom: r.rerouted_from,
      receivedAt: r.received_at,
      dueAt: r.due_at,
      firstResponseAt: r.first_response_at,
      firstResponseAutomatic: r.first_response_automatic,
      firstHumanResponseAt: r.first_human_response_at,
      firstHumanResponderId: r.first_human_responder_id,
      firstHumanTouchAt: r.first_human_touch_at,
      hiddenAt: r.hidden_at,
      assigneeId: r.assignee_id,
      pressForwardedAt: r.press_forwarded_at,
      pressAnsweredAt: r.press_answered_at,
    }),
  );
}
