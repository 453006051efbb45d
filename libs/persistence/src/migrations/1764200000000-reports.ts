import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Report facts: one row per inbound message, saying how it counts (working time to first and first
 * human response, met, out of hours, …), computed by the desk with the SLA calendar. An item is
 * marked dirty whenever something that changes its fact happens — triage, a response, a hide, a
 * re-route, a person's first touch — so a late item or a late reply simply gets its fact
 * (re)computed, and figures built from facts stay right.
 */
export class Reports1764200000000 implements MigrationInterface {
  name = 'Reports1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE report_fact (
        item_id uuid PRIMARY KEY REFERENCES inbound_item(id) ON DELETE CASCADE,
        channel text NOT NULL,
        route text,
        rerouted_from text,
        received_at timestamptz NOT NULL,
        received_day date NOT NULL,
        hour_of_week smallint NOT NULL CHECK (hour_of_week BETWEEN 0 AND 167),
        out_of_hours boolean NOT NULL,
        due_at timestamptz,
        first_response_at timestamptz,
        first_response_automatic boolean,
        response_working_ms bigint,
        met boolean,
        first_human_response_at timestamptz,
        first_human_responder_id uuid REFERENCES "user"(id),
        human_response_working_ms bigint,
        human_met boolean,
        first_human_touch_at timestamptz,
        human_touch_working_ms bigint,
        hidden boolean NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX report_fact_day ON report_fact (received_day)`);

    await db.query(`ALTER TABLE inbound_item ADD COLUMN report_dirty boolean NOT NULL DEFAULT true`);
    await db.query(`CREATE INDEX inbound_item_report_dirty ON inbound_item (id) WHERE report_dirty`);

    await db.query(`
      CREATE FUNCTION mark_item_report_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.report_dirty := true; RETURN NEW; END $$`);
    await db.query(`
      CREATE TRIGGER inbound_item_report_dirty BEFORE UPDATE ON inbound_item FOR EACH ROW
      WHEN (OLD.route IS DISTINCT FROM NEW.route OR OLD.due_at IS DISTINCT FROM NEW.due_at
            OR OLD.first_response_at IS DISTINCT FROM NEW.first_response_at OR OLD.hidden_at IS DISTINCT FROM NEW.hidden_at
            OR OLD.rerouted_from IS DISTINCT FROM NEW.rerouted_from OR OLD.received_at IS DISTINCT FROM NEW.received_at
            OR OLD.conversation_id IS DISTINCT FROM NEW.conversation_id)
      EXECUTE FUNCTION mark_item_report_dirty()`);

    // A person's reply, note or action on a conversation can be its items' first human touch.
    await db.query(`
      CREATE FUNCTION mark_reply_report_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE inbound_item SET report_dirty = true WHERE id = NEW.inbound_item_id AND NOT report_dirty;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER outbound_message_report_dirty AFTER INSERT OR UPDATE OF status ON outbound_message FOR EACH ROW
      WHEN (NOT NEW.automatic AND NEW.inbound_item_id IS NOT NULL)
      EXECUTE FUNCTION mark_reply_report_dirty()`);
    await db.query(`
      CREATE FUNCTION mark_conversation_report_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE inbound_item SET report_dirty = true WHERE conversation_id = NEW.conversation_id AND NOT report_dirty;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER conversation_note_report_dirty AFTER INSERT ON conversation_note FOR EACH ROW
      EXECUTE FUNCTION mark_conversation_report_dirty()`);
    await db.query(`
      CREATE FUNCTION mark_audited_report_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Compared as uuids so the indexes serve it; other subjects are not items' business.
        IF NEW.subject_id !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN RETURN NULL; END IF;
        IF NEW.subject_type = 'conversation' THEN
          UPDATE inbound_item SET report_dirty = true WHERE conversation_id = NEW.subject_id::uuid AND NOT report_dirty;
        ELSIF NEW.subject_type = 'inbound_item' THEN
          UPDATE inbound_item SET report_dirty = true WHERE id = NEW.subject_id::uuid AND NOT report_dirty;
        END IF;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER audit_event_report_dirty AFTER INSERT ON audit_event FOR EACH ROW
      WHEN (NEW.actor_id IS NOT NULL) EXECUTE FUNCTION mark_audited_report_dirty()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER audit_event_report_dirty ON audit_event`);
    await db.query(`DROP FUNCTION mark_audited_report_dirty()`);
    await db.query(`DROP TRIGGER conversation_note_report_dirty ON conversation_note`);
    await db.query(`DROP FUNCTION mark_conversation_report_dirty()`);
    await db.query(`DROP TRIGGER outbound_message_report_dirty ON outbound_message`);
    await db.query(`DROP FUNCTION mark_reply_report_dirty()`);
    await db.query(`DROP TRIGGER inbound_item_report_dirty ON inbound_item`);
    await db.query(`DROP FUNCTION mark_item_report_dirty()`);
    await db.query(`DROP INDEX inbound_item_report_dirty`);
    await db.query(`ALTER TABLE inbound_item DROP COLUMN report_dirty`);
    await db.query(`DROP TABLE report_fact`);
  }
}
