import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the responder needs: a `sending` state (the provider may be acting on the row), when the
 * first attempt began (reconciliation looks for our post from then on), and a press reference the
 * desk and the press office both quote.
 */
export class Responder1764000000000 implements MigrationInterface {
  name = 'Responder1764000000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE outbound_message DROP CONSTRAINT outbound_message_status_check`);
    await db.query(
      `ALTER TABLE outbound_message ADD CONSTRAINT outbound_message_status_check CHECK (status IN ('pending','sending','sent','failed'))`,
    );
    await db.query(`ALTER TABLE outbound_message ADD COLUMN first_attempt_at timestamptz, ADD COLUMN reference text`);
    await db.query(`CREATE UNIQUE INDEX outbound_message_reference_unique ON outbound_message (reference) WHERE reference IS NOT NULL`);
    // The sweeper's work list: rows no responder has finished.
    await db.query(`DROP INDEX outbound_message_unsent`);
    await db.query(`CREATE INDEX outbound_message_unsent ON outbound_message (updated_at) WHERE status IN ('pending','sending')`);
    await db.query(`CREATE INDEX outbound_message_failed ON outbound_message (updated_at) WHERE status = 'failed'`);

    // Every press forward gets its reference when it is created, whoever creates it, so the desk can
    // show it before the email goes. The year is London's, as the press office reads it.
    await db.query(`CREATE SEQUENCE press_reference_seq`);
    await db.query(`
      CREATE FUNCTION assign_press_reference() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.kind = 'press_forward' AND NEW.reference IS NULL THEN
          NEW.reference := 'MED-' || to_char(now() AT TIME ZONE 'Europe/London', 'YYYY') || '-' ||
                           lpad(nextval('press_reference_seq')::text, 4, '0');
        END IF;
        RETURN NEW;
      END $$`);
    await db.query(
      `CREATE TRIGGER outbound_message_press_reference BEFORE INSERT ON outbound_message FOR EACH ROW EXECUTE FUNCTION assign_press_reference()`,
    );
    await db.query(`UPDATE outbound_message SET reference = 'MED-' || to_char(created_at AT TIME ZONE 'Europe/London', 'YYYY') || '-' ||
                      lpad(nextval('press_reference_seq')::text, 4, '0') WHERE kind = 'press_forward' AND reference IS NULL`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER outbound_message_press_reference ON outbound_message`);
    await db.query(`DROP FUNCTION assign_press_reference()`);
    await db.query(`DROP SEQUENCE press_reference_seq`);
    await db.query(`DROP INDEX outbound_message_failed`);
    await db.query(`DROP INDEX outbound_message_unsent`);
    await db.query(`CREATE INDEX outbound_message_unsent ON outbound_message (created_at) WHERE status = 'pending'`);
    await db.query(`DROP INDEX outbound_message_reference_unique`);
    await db.query(`ALTER TABLE outbound_message DROP COLUMN first_attempt_at, DROP COLUMN reference`);
    // The earlier schema cannot say "the provider may have acted": those rows become pending again.
    await db.query(`UPDATE outbound_message SET status = 'pending' WHERE status = 'sending'`);
    await db.query(`ALTER TABLE outbound_message DROP CONSTRAINT outbound_message_status_check`);
    await db.query(`ALTER TABLE outbound_message ADD CONSTRAINT outbound_message_status_check CHECK (status IN ('pending','sent','failed'))`);
  }
}
