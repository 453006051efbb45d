import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Press references had the sequence number padded *and cut* to 4 digits (lpad truncates), so the
 * 10,000th enquiry got MED-YYYY-1000 again, the unique index refused the forward, and triage's
 * automatic action failed. Found by bench:reports. Numbers now keep all their digits, at least 4.
 */
export class PressReferenceWidth1764400000000 implements MigrationInterface {
  name = 'PressReferenceWidth1764400000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION assign_press_reference() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE n text;
      BEGIN
        IF NEW.kind = 'press_forward' AND NEW.reference IS NULL THEN
          n := nextval('press_reference_seq')::text;
          NEW.reference := 'MED-' || to_char(now() AT TIME ZONE 'Europe/London', 'YYYY') || '-' || lpad(n, greatest(4, length(n)), '0');
        END IF;
        RETURN NEW;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE OR REPLACE FUNCTION assign_press_reference() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.kind = 'press_forward' AND NEW.reference IS NULL THEN
          NEW.reference := 'MED-' || to_char(now() AT TIME ZONE 'Europe/London', 'YYYY') || '-' ||
                           lpad(nextval('press_reference_seq')::text, 4, '0');
        END IF;
        RETURN NEW;
      END $$`);
  }
}
