import type { MigrationInterface, QueryRunner } from 'typeorm';

const COUNTERS = [
  'items', 'out_of_hours', 'hidden', 'owed', 'answered', 'met', 'auto_answered', 'auto_met', 'unanswered', 'deflected',
  'deflection_rerouted', 'urgent', 'urgent_touched', 'urgent_touched_hour', 'press_forwarded', 'press_acknowledged', 'press_answered',
];

/**
 * Daily rollups for the manager reports (libs/reports/src/rollup.ts): counters and response-time
 * histograms per London day and cut, kept by deltas in the same transaction that changes a fact.
 * Facts gain who had the item, whether a response is owed, the urgent touch in clock time and the
 * press office's times; existing facts are dropped and every item marked dirty, so the desk
 * rebuilds facts and rollups together.
 */
export class ReportRollups1764300000000 implements MigrationInterface {
  name = 'ReportRollups1764300000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "user" ADD COLUMN team text CHECK (length(team) BETWEEN 1 AND 60)`);

    await db.query(`DELETE FROM report_fact`);
    await db.query(`
      ALTER TABLE report_fact
        ADD COLUMN owed boolean NOT NULL,
        ADD COLUMN owner_id uuid REFERENCES "user"(id),
        ADD COLUMN human_touch_ms bigint,
        ADD COLUMN press_forwarded_at timestamptz,
        ADD COLUMN press_answered_at timestamptz,
        ADD COLUMN press_response_working_ms bigint`);
    await db.query(`UPDATE inbound_item SET report_dirty = true WHERE NOT report_dirty`);

    await db.query(`
      CREATE TABLE report_count (
        cut text NOT NULL CHECK (cut IN ('all','channel','route','officer','hour','triage')),
        day date NOT NULL,
        key text NOT NULL,
        ${COUNTERS.map((c) => `${c} integer NOT NULL DEFAULT 0`).join(',\n        ')},
        PRIMARY KEY (cut, day, key)
      )`);
    await db.query(`
      CREATE TABLE report_hist (
        cut text NOT NULL,
        day date NOT NULL,
        key text NOT NULL,
        series text NOT NULL CHECK (series IN ('auto','human','touch','press_ack','press')),
        bucket smallint NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (cut, day, key, series, bucket)
      )`);

    // Live figures that depend on "now": unanswered items (overdue or at risk) and breaches.
    await db.query(`CREATE INDEX report_fact_unanswered ON report_fact (received_day) WHERE owed AND first_response_at IS NULL`);
    await db.query(`CREATE INDEX report_fact_at_risk ON report_fact (due_at) WHERE owed AND first_response_at IS NULL`);
    await db.query(
      `CREATE INDEX report_fact_breach ON report_fact (due_at DESC, item_id DESC) INCLUDE (received_day)
        WHERE owed AND (first_response_at IS NULL OR first_response_at > due_at)`,
    );
    await db.query(`CREATE INDEX report_fact_rerouted ON report_fact (received_day) WHERE rerouted_from IS NOT NULL`);
    await db.query(`CREATE INDEX strike_created ON strike (created_at)`);
    await db.query(`CREATE INDEX contact_flagged ON contact (flagged_for_block_at) WHERE flagged_for_block_at IS NOT NULL`);

    // The press office marking an enquiry answered changes its item's press figures.
    await db.query(`
      CREATE TRIGGER outbound_message_press_report_dirty AFTER INSERT OR UPDATE OF press_answered_at ON outbound_message FOR EACH ROW
      WHEN (NEW.kind = 'press_forward' AND NEW.inbound_item_id IS NOT NULL)
      EXECUTE FUNCTION mark_reply_report_dirty()`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TRIGGER outbound_message_press_report_dirty ON outbound_message`);
    for (const index of ['contact_flagged', 'strike_created', 'report_fact_rerouted', 'report_fact_breach', 'report_fact_at_risk', 'report_fact_unanswered']) {
      await db.query(`DROP INDEX ${index}`);
    }
    await db.query(`DROP TABLE report_hist`);
    await db.query(`DROP TABLE report_count`);
    await db.query(`DELETE FROM report_fact`);
    await db.query(`UPDATE inbound_item SET report_dirty = true WHERE NOT report_dirty`);
    await db.query(
      `ALTER TABLE report_fact DROP COLUMN owed, DROP COLUMN owner_id, DROP COLUMN human_touch_ms, DROP COLUMN press_forwarded_at,
         DROP COLUMN press_answered_at, DROP COLUMN press_response_working_ms`,
    );
    await db.query(`ALTER TABLE "user" DROP COLUMN team`);
  }
}
