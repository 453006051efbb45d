import type { Channel, Route } from '@desk/domain';
import type { DataSource, EntityManager } from 'typeorm';

/** What a report fact is computed from, read from an item's rows (mirrors libs/reports' FactSource). */
export interface FactSourceRow {
  itemId: string;
  channel: Channel;
  route: Route | null;
  reroutedFrom: Route | null;
  receivedAt: Date;
  dueAt: Date | null;
  firstResponseAt: Date | null;
  firstResponseAutomatic: boolean | null;
  firstHumanResponseAt: Date | null;
  firstHumanResponderId: string | null;
  firstHumanTouchAt: Date | null;
  hiddenAt: Date | null;
}

/** A computed fact, as stored (mirrors libs/reports' ItemFact). */
export interface StoredFact {
  itemId: string;
  channel: Channel;
  route: Route | null;
  reroutedFrom: Route | null;
  receivedAt: Date;
  receivedDay: string;
  hourOfWeek: number;
  outOfHours: boolean;
  dueAt: Date | null;
  firstResponseAt: Date | null;
  firstResponseAutomatic: boolean | null;
  responseWorkingMs: number | null;
  met: boolean | null;
  firstHumanResponseAt: Date | null;
  firstHumanResponderId: string | null;
  humanResponseWorkingMs: number | null;
  humanMet: boolean | null;
  firstHumanTouchAt: Date | null;
  humanTouchWorkingMs: number | null;
  hidden: boolean;
}

const COLUMNS = [
  'item_id', 'channel', 'route', 'rerouted_from', 'received_at', 'received_day', 'hour_of_week', 'out_of_hours', 'due_at',
  'first_response_at', 'first_response_automatic', 'response_working_ms', 'met', 'first_human_response_at',
  'first_human_responder_id', 'human_response_working_ms', 'human_met', 'first_human_touch_at', 'human_touch_working_ms', 'hidden',
] as const;

function values(f: StoredFact): unknown[] {
  return [
    f.itemId, f.channel, f.route, f.reroutedFrom, f.receivedAt, f.receivedDay, f.hourOfWeek, f.outOfHours, f.dueAt,
    f.firstResponseAt, f.firstResponseAutomatic, f.responseWorkingMs, f.met, f.firstHumanResponseAt,
    f.firstHumanResponderId, f.humanResponseWorkingMs, f.humanMet, f.firstHumanTouchAt, f.humanTouchWorkingMs, f.hidden,
  ];
}

/**
 * Keeps report facts in step with items. A batch of dirty items is locked, read, computed by the
 * caller and written, and the dirty marks cleared, in one transaction: a change made meanwhile
 * waits for the lock and marks the item dirty again, so nothing is lost between read and write.
 */
export class ReportFactsRepository {
  constructor(private readonly db: DataSource) {}

  async refresh(limit: number, compute: (sources: FactSourceRow[]) => StoredFact[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      const dirty: Array<{ id: string; counts: boolean }> = await tx.query(
        `SELECT id, (kind = 'message' AND triaged_at IS NOT NULL) AS counts FROM inbound_item
          WHERE report_dirty ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (!dirty.length) return 0;
      const counted = dirty.filter((d) => d.counts).map((d) => d.id);
      const facts = compute(await sources(tx, counted));
      for (const fact of facts) {
        const placeholders = COLUMNS.map((_, i) => `$${i + 1}`).join(', ');
        const updates = COLUMNS.slice(1).map((c) => `${c} = EXCLUDED.${c}`).join(', ');
        await tx.query(
          `INSERT INTO report_fact (${COLUMNS.join(', ')}) VALUES (${placeholders})
           ON CONFLICT (item_id) DO UPDATE SET ${updates}, computed_at = now()`,
          values(fact),
        );
      }
      // Items that don't count (auto-replies, bounces, untriaged) have no fact.
      const uncounted = dirty.filter((d) => !d.counts).map((d) => d.id);
      if (uncounted.length) await tx.query(`DELETE FROM report_fact WHERE item_id = ANY ($1::uuid[])`, [uncounted]);
      await tx.query(`UPDATE inbound_item SET report_dirty = false WHERE id = ANY ($1::uuid[])`, [dirty.map((d) => d.id)]);
      return dirty.length;
    });
  }

  async fact(itemId: string): Promise<Record<string, unknown> | undefined> {
    const [row] = await this.db.query(`SELECT * FROM report_fact WHERE item_id = $1`, [itemId]);
    return row;
  }
}

async function sources(tx: Pick<EntityManager, 'query'>, ids: string[]): Promise<FactSourceRow[]> {
  if (!ids.length) return [];
  const rows = await tx.query(
    `SELECT i.id, i.channel, i.route, i.rerouted_from, i.received_at, i.due_at, i.first_response_at, i.first_response_automatic, i.hidden_at,
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
      first_human_response_at: Date | null; first_human_responder_id: string | null; first_human_touch_at: Date | null;
    }): FactSourceRow => ({
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
    }),
  );
}
