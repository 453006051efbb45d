import type { DataSource } from 'typeorm';

/** Where each poller got to (X since_id, IMAP UIDVALIDITY + last UID), so a restart resumes there. */
export class CheckpointRepository {
  constructor(private readonly db: DataSource) {}

  async get<T>(key: string): Promise<T | undefined> {
    const rows: Array<{ value: T }> = await this.db.query(`SELECT value FROM checkpoint WHERE key = $1`, [key]);
    return rows[0]?.value;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.db.query(
      `INSERT INTO checkpoint (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [key, JSON.stringify(value)],
    );
  }
}
