import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops four indexes of inbound_item that no query of ours needs, and one of which misled the
 * planner. Every item is written three times (stored, triaged, answered), and each write of a row
 * adds an entry to every index of the table, so an index nobody reads is paid for three times.
 *
 * - `inbound_item_awaiting_by_due (due_at) WHERE unanswered`: nothing orders items by due time
 *   across the queue (the desk orders conversations, the reports read report_fact). It was a trap:
 *   for "the earliest unanswered item of this conversation" (`min(due_at) … WHERE conversation_id =
 *   $1`), which triage and every sent reply compute, the planner may read this index in due-time
 *   order and filter by conversation instead of using `inbound_item_conversation_awaiting`. In the
 *   pipeline bench it did, as soon as the table had statistics: 8,547 scans read 38.5 million index
 *   entries, a reply's record took 2.4 ms and triage's conversation update 3.6 ms.
 * - `inbound_item_received`, `inbound_item_channel_received`, `inbound_item_route_received`: the
 *   reports once read inbound_item by period; they read report_fact, indexed for them, since
 *   1764200000000.
 */
export class InboundItemUnusedIndexes1764900000000 implements MigrationInterface {
  name = 'InboundItemUnusedIndexes1764900000000';

  async up(db: QueryRunner): Promise<void> {
    for (const index of DROPPED) await db.query(`DROP INDEX ${index.name}`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const index of DROPPED) await db.query(`CREATE INDEX ${index.name} ON inbound_item ${index.definition}`);
  }
}

const DROPPED = [
  { name: 'inbound_item_awaiting_by_due', definition: '(due_at) WHERE first_response_at IS NULL AND removed_at IS NULL' },
  { name: 'inbound_item_received', definition: '(received_at)' },
  { name: 'inbound_item_channel_received', definition: '(channel, received_at)' },
  { name: 'inbound_item_route_received', definition: '(route, received_at)' },
];
