import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the web desk needs: sessions kept in Postgres (so a restart or a second desk process keeps
 * everyone logged in, and an admin can end them), internal notes, the press office's handling of
 * a forwarded enquiry, officers' re-routes (kept for the deflection error rate), and indexes for
 * the queue's keyset paging and its text search at a million items.
 */
export class Desk1764100000000 implements MigrationInterface {
  name = 'Desk1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await db.query(`ALTER TABLE "user" ADD COLUMN last_login_at timestamptz`);

    // The cookie holds a random token; only its SHA-256 is stored, so a read of this table logs no one in.
    await db.query(`
      CREATE TABLE desk_session (
        id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
        user_id uuid NOT NULL REFERENCES "user"(id) ON DELETE CASCADE,
        csrf_token text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        ip text,
        user_agent text
      )`);
    await db.query(`CREATE INDEX desk_session_user ON desk_session (user_id)`);
    await db.query(`CREATE INDEX desk_session_expires ON desk_session (expires_at)`);

    await db.query(`
      CREATE TABLE conversation_note (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        conversation_id uuid NOT NULL REFERENCES conversation(id),
        author_id uuid REFERENCES "user"(id),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX conversation_note_conversation ON conversation_note (conversation_id, created_at)`);

    await db.query(`
      ALTER TABLE outbound_message
        ADD COLUMN press_handler_id uuid REFERENCES "user"(id),
        ADD COLUMN press_claimed_at timestamptz,
        ADD COLUMN press_answered_at timestamptz,
        ADD COLUMN press_note text`);
    await db.query(`CREATE INDEX outbound_message_press ON outbound_message (created_at) WHERE kind = 'press_forward'`);

    await db.query(`
      ALTER TABLE inbound_item
        ADD COLUMN rerouted_from text,
        ADD COLUMN rerouted_at timestamptz,
        ADD COLUMN rerouted_by uuid REFERENCES "user"(id)`);

    // Keyset paging: (priority, due, id) within a status, nulls last by treating them as infinity.
    await db.query(`
      CREATE INDEX conversation_queue_keyset ON conversation
        (status, priority, (coalesce(due_at, 'infinity'::timestamptz)), id)`);
    await db.query(`CREATE INDEX conversation_assignee_queue ON conversation (assignee_id, status, priority)`);
    await db.query(`CREATE INDEX conversation_snoozed ON conversation (snoozed_until) WHERE status = 'snoozed'`);
    // The queue's flag filter checks each conversation in queue order for a flagged item. For the rare
    // flags most conversations have none, so the check must not read every item: these small indexes
    // answer it (out_of_hours is common enough that the first few conversations answer it anyway).
    await db.query(`CREATE INDEX inbound_item_flag_pii ON inbound_item (conversation_id) WHERE 'pii' = ANY (flags)`);
    await db.query(`CREATE INDEX inbound_item_flag_repeat_offender ON inbound_item (conversation_id) WHERE 'repeat_offender' = ANY (flags)`);
    // Search: substring matches in text and author, served by trigram indexes.
    await db.query(`CREATE INDEX inbound_item_body_trgm ON inbound_item USING gin (body gin_trgm_ops)`);
    // The search ORs body and subject: without this one the planner can't use either and reads every item.
    await db.query(`CREATE INDEX inbound_item_subject_trgm ON inbound_item USING gin (subject gin_trgm_ops)`);
    await db.query(`CREATE INDEX contact_name_trgm ON contact USING gin ((coalesce(handle, '') || ' ' || coalesce(display_name, '')) gin_trgm_ops)`);
    await db.query(`CREATE INDEX strike_contact ON strike (contact_id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const index of ['strike_contact', 'contact_name_trgm', 'inbound_item_subject_trgm', 'inbound_item_body_trgm', 'inbound_item_flag_repeat_offender', 'inbound_item_flag_pii', 'conversation_snoozed', 'conversation_assignee_queue', 'conversation_queue_keyset', 'outbound_message_press']) {
      await db.query(`DROP INDEX ${index}`);
    }
    await db.query(`ALTER TABLE inbound_item DROP COLUMN rerouted_from, DROP COLUMN rerouted_at, DROP COLUMN rerouted_by`);
    await db.query(`ALTER TABLE outbound_message DROP COLUMN press_handler_id, DROP COLUMN press_claimed_at, DROP COLUMN press_answered_at, DROP COLUMN press_note`);
    await db.query(`DROP TABLE conversation_note`);
    await db.query(`DROP TABLE desk_session`);
    await db.query(`ALTER TABLE "user" DROP COLUMN last_login_at`);
  }
}
