import type { MigrationInterface, QueryRunner } from 'typeorm';

/** An item's own columns its fact is computed from: a change to any of them marks it. */
const FACT_INPUTS = ['route', 'due_at', 'first_response_at', 'hidden_at', 'rerouted_from', 'received_at', 'conversation_id'];
const REMARK = `ON CONFLICT (item_id) DO UPDATE SET mark = EXCLUDED.mark`;

/**
 * Report-dirty marks in a table of their own. The mark was a column of inbound_item, so clearing it
 * rewrote the item's row once more, a non-HOT update into all sixteen of its indexes (two of them
 * trigram GIN): 63 ms and 1.7 MB of WAL per refresh batch of 500, against 3 ms and 54 kB now. A
 * person's reply, note or action rewrote the item the same way just to mark it. Now marking and
 * clearing write one narrow row here, and inbound_item is rewritten only when the item changes.
 *
 * A mark holds the id of the transaction that made it, new on every re-mark, so the refresh can
 * clear only the marks it read (ReportFactsRepository.refresh). Marked items are marked again, not
 * skipped as before: the refresh may be computing them from their state before this change.
 *
 * No foreign key to inbound_item: its check locks the item's row and cost more than the mark
 * itself (~9 µs more per item marked in a batch). Items are not deleted; should one be, the next
 * refresh clears its mark.
 *
 * Items are marked per statement, from the statement's rows: marking a batch stored or updated in
 * one statement costs ~4 µs (stored) and ~10 µs (updated) per item, against ~13 and ~20 with a
 * trigger per row. An update that changes nothing a fact is made of still runs the query, ~30 µs;
 * such updates (edits, removals) are rare. Replies, notes and audit events come one at a time, and
 * their WHEN conditions keep rows that cannot matter from reaching a function.
 */
export class ReportDirtyTable1764800000000 implements MigrationInterface {
  name = 'ReportDirtyTable1764800000000';

  async up(db: QueryRunner): Promise<void> {
    // Nothing marks an item between the copy and the drop.
    await db.query(`LOCK TABLE inbound_item IN ACCESS EXCLUSIVE MODE`);
    await db.query(`CREATE TABLE report_dirty_item (item_id uuid PRIMARY KEY, mark xid8 NOT NULL DEFAULT pg_current_xact_id())`);
    await db.query(`INSERT INTO report_dirty_item (item_id) SELECT id FROM inbound_item WHERE report_dirty`);
    await db.query(`DROP TRIGGER inbound_item_report_dirty ON inbound_item`);
    await db.query(`DROP FUNCTION mark_item_report_dirty()`);
    await db.query(`DROP INDEX inbound_item_report_dirty`);
    await db.query(`ALTER TABLE inbound_item DROP COLUMN report_dirty`);

    await db.query(`
      CREATE FUNCTION mark_new_items_report_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO report_dirty_item (item_id) SELECT id FROM new_item;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER inbound_item_stored_report_dirty AFTER INSERT ON inbound_item
      REFERENCING NEW TABLE AS new_item FOR EACH STATEMENT EXECUTE FUNCTION mark_new_items_report_dirty()`);
    // Several items are marked in id order, here and below, so two statements marking the same
    // ones take their marks' locks in turn.
    await db.query(`
      CREATE FUNCTION mark_changed_items_report_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO report_dirty_item (item_id)
        SELECT n.id FROM new_item n JOIN old_item o ON o.id = n.id
         WHERE (${FACT_INPUTS.map((c) => `o.${c}`).join(', ')}) IS DISTINCT FROM (${FACT_INPUTS.map((c) => `n.${c}`).join(', ')})
         ORDER BY n.id
        ${REMARK};
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE TRIGGER inbound_item_changed_report_dirty AFTER UPDATE ON inbound_item
      REFERENCING OLD TABLE AS old_item NEW TABLE AS new_item FOR EACH STATEMENT EXECUTE FUNCTION mark_changed_items_report_dirty()`);

    // The same functions, so the same triggers (and the press office's, from ReportRollups) call them.
    await db.query(`
      CREATE OR REPLACE FUNCTION mark_reply_report_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO report_dirty_item (item_id) VALUES (NEW.inbound_item_id) ${REMARK};
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE OR REPLACE FUNCTION mark_conversation_report_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO report_dirty_item (item_id) SELECT id FROM inbound_item WHERE conversation_id = NEW.conversation_id ORDER BY id ${REMARK};
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE OR REPLACE FUNCTION mark_audited_report_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Compared as uuids so the indexes serve it; other subjects are not items' business.
        IF NEW.subject_id !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN RETURN NULL; END IF;
        IF NEW.subject_type = 'conversation' THEN
          INSERT INTO report_dirty_item (item_id) SELECT id FROM inbound_item WHERE conversation_id = NEW.subject_id::uuid ORDER BY id ${REMARK};
        ELSIF NEW.subject_type = 'inbound_item' THEN
          INSERT INTO report_dirty_item (item_id) SELECT id FROM inbound_item WHERE id = NEW.subject_id::uuid ${REMARK};
        END IF;
        RETURN NULL;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`LOCK TABLE inbound_item, report_dirty_item IN ACCESS EXCLUSIVE MODE`);
    await db.query(`ALTER TABLE inbound_item ADD COLUMN report_dirty boolean NOT NULL DEFAULT false`);
    await db.query(`UPDATE inbound_item i SET report_dirty = true FROM report_dirty_item d WHERE d.item_id = i.id`);
    await db.query(`ALTER TABLE inbound_item ALTER COLUMN report_dirty SET DEFAULT true`);
    await db.query(`CREATE INDEX inbound_item_report_dirty ON inbound_item (id) WHERE report_dirty`);

    await db.query(`DROP TRIGGER inbound_item_stored_report_dirty ON inbound_item`);
    await db.query(`DROP FUNCTION mark_new_items_report_dirty()`);
    await db.query(`DROP TRIGGER inbound_item_changed_report_dirty ON inbound_item`);
    await db.query(`DROP FUNCTION mark_changed_items_report_dirty()`);
    await db.query(`
      CREATE FUNCTION mark_item_report_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.report_dirty := true; RETURN NEW; END $$`);
    await db.query(`
      CREATE TRIGGER inbound_item_report_dirty BEFORE UPDATE ON inbound_item FOR EACH ROW
      WHEN (${FACT_INPUTS.map((c) => `OLD.${c} IS DISTINCT FROM NEW.${c}`).join(' OR ')})
      EXECUTE FUNCTION mark_item_report_dirty()`);

    await db.query(`
      CREATE OR REPLACE FUNCTION mark_reply_report_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE inbound_item SET report_dirty = true WHERE id = NEW.inbound_item_id AND NOT report_dirty;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE OR REPLACE FUNCTION mark_conversation_report_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE inbound_item SET report_dirty = true WHERE conversation_id = NEW.conversation_id AND NOT report_dirty;
        RETURN NULL;
      END $$`);
    await db.query(`
      CREATE OR REPLACE FUNCTION mark_audited_report_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
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
    await db.query(`DROP TABLE report_dirty_item`);
  }
}
