import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What ingest needs beyond the first schema: message kinds and attachments. */
export class Ingest1763800000000 implements MigrationInterface {
  name = 'Ingest1763800000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      ALTER TABLE inbound_item
        ADD COLUMN kind text NOT NULL DEFAULT 'message' CHECK (kind IN ('message','auto_reply','bounce')),
        ADD COLUMN thread_subject text`);
    await db.query(`CREATE INDEX inbound_item_thread_key ON inbound_item (channel, thread_key)`);
    await db.query(`CREATE INDEX inbound_item_contact_subject ON inbound_item (contact_id, thread_subject) WHERE thread_subject IS NOT NULL`);
    await db.query(`
      CREATE TABLE inbound_attachment (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        inbound_item_id uuid NOT NULL REFERENCES inbound_item(id) ON DELETE CASCADE,
        position integer NOT NULL,
        filename text,
        content_type text NOT NULL,
        size integer NOT NULL CHECK (size >= 0),
        content bytea,
        UNIQUE (inbound_item_id, position)
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE inbound_attachment`);
    await db.query(`DROP INDEX inbound_item_contact_subject`);
    await db.query(`DROP INDEX inbound_item_thread_key`);
    await db.query(`ALTER TABLE inbound_item DROP COLUMN thread_subject, DROP COLUMN kind`);
  }
}
