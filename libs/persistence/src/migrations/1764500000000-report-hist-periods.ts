import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Response-time histograms per week and per month, beside the daily ones. A two-year report by
 * officer per week read ~440k daily rows and took ~1 s (bench:reports); whole weeks and months now
 * come from these rows and only the partial periods at a range's ends from the daily ones. Kept
 * by the same deltas, in the same transaction; filled here from the daily rows.
 */
export class ReportHistPeriods1764500000000 implements MigrationInterface {
  name = 'ReportHistPeriods1764500000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE report_hist_period (
        grain text NOT NULL CHECK (grain IN ('week','month')),
        cut text NOT NULL,
        start date NOT NULL,
        key text NOT NULL,
        series text NOT NULL,
        bucket smallint NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (grain, cut, start, key, series, bucket)
      )`);
    await db.query(`
      INSERT INTO report_hist_period (grain, cut, start, key, series, bucket, n)
      SELECT g.grain, h.cut, date_trunc(g.grain, h.day)::date, h.key, h.series, h.bucket, sum(h.n)
        FROM report_hist h CROSS JOIN (VALUES ('week'), ('month')) AS g(grain)
       GROUP BY 1, 2, 3, 4, 5, 6`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE report_hist_period`);
  }
}
