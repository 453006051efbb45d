import type { Channel, FactSource, ItemFact, Route } from '@desk/domain';
import type { DataSource, EntityManager } from 'typeorm';

// Facts are stored as a JSON batch and expanded in SQL: one statement per batch, not one per item.
const RECORD = `item_id uuid, channel text, route text, rerouted_from text, received_at timestamptz, received_day date,
  hour_of_week smallint, out_of_hours boolean, due_at timestamptz, first_response_at timestamptz, first_response_automatic boolean,
  response_working_ms bigint, met boolean, first_human_response_at timestamptz, first_human_responder_id uuid,
  human_response_working_ms bigint, human_met boolean, first_human_touch_at timestamptz, human_touch_working_ms bigint, hidden boolean`;
const COLUMNS = RECORD.split(',').map((c) => c.trim().split(/\s+/)[0]!);

function record(f: ItemFact): Record<string, unknown> {
  return {
    item_id: f.itemId,
    channel: f.channel,
    route: f.route,
    rerouted_from: f.reroutedFrom,
    received_at: f.receivedAt,
    received_day: f.receivedDay,
    hour_of_week: f.hourOfWeek,
    out_of_hours: f.outOfHours,
    due_at: f.dueAt,
    first_response_at: f.firstResponseAt,
    first_response_automatic: f.firstResponseAutomatic,
    response_working_ms: f.responseWorkingMs,
    met: f.met,
    first_human_response_at: f.firstHumanResponseAt,
    first_human_responder_id: f.firstHumanResponderId,
    human_response_working_ms: f.humanResponseWorkingMs,
    human_met: f.humanMet,
    first_human_touch_at: f.firstHumanTouchAt,
    human_touch_working_ms: f.humanTouchWorkingMs,
    hidden: f.hidden,
  };
}

/**
 * Keeps report facts in step with items. A batch of dirty items is locked, read, computed by the
 * caller and written, and the dirty marks cleared, in one transaction: a change made meanwhile
 * waits for the lock and marks the item dirty again, so nothing is lost between read and write.
 */
export class ReportFactsRepository {
  constructor(private readonly db: DataSource) {}

  async refresh(limit: number, compute: (sources: FactSource[]) => ItemFact[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      const dirty: Array<{ id: string; counts: boolean }> = await tx.query(
        `SELECT id, (kind = 'message' AND triaged_at IS NOT NULL) AS counts FROM inbound_item
          WHERE report_dirty ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      if (!dirty.length) return 0;
      const counted = dirty.filter((d) => d.counts).map((d) => d.id);
      const facts = compute(await sources(tx, counted));
      if (facts.length) {
        const updates = COLUMNS.slice(1).map((c) => `${c} = EXCLUDED.${c}`).join(', ');
        await tx.query(
          `INSERT INTO report_fact (${COLUMNS.join(', ')})
           SELECT ${COLUMNS.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS f(${RECORD})
           ON CONFLICT (item_id) DO UPDATE SET ${updates}, computed_at = now()`,
          [JSON.stringify(facts.map(record))],
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

async function sources(tx: Pick<EntityManager, 'query'>, ids: string[]): Promise<FactSource[]> {
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
    }),
  );
}
