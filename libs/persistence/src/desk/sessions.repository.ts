import type { DeskUser } from '@desk/domain';
import type { DataSource } from 'typeorm';
import { rowsOf } from '../rows.js';

export interface StoredSession {
  user: DeskUser;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
}

/** Sessions by the SHA-256 of their cookie token. An inactive user's sessions find nothing. */
export class SessionsRepository {
  constructor(private readonly db: DataSource) {}

  async create(session: { idHash: string; userId: string; csrfToken: string; expiresAt: Date; ip: string | null; userAgent: string | null }): Promise<void> {
    await this.db.query(
      `INSERT INTO desk_session (id, user_id, csrf_token, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)`,
      [session.idHash, session.userId, session.csrfToken, session.expiresAt, session.ip, session.userAgent?.slice(0, 300) ?? null],
    );
  }

  async find(idHash: string, now: Date): Promise<StoredSession | undefined> {
    const [row] = await this.db.query(
      `SELECT s.csrf_token, s.expires_at, s.last_seen_at, u.id, u.email, u.name, u.initials, u.role, u.active, u.team
         FROM desk_session s JOIN "user" u ON u.id = s.user_id
        WHERE s.id = $1 AND s.expires_at > $2 AND u.active`,
      [idHash, now],
    );
    if (!row) return undefined;
    return {
      user: { id: row.id, email: row.email, name: row.name, initials: row.initials, role: row.role, active: row.active, team: row.team },
      csrfToken: row.csrf_token,
      expiresAt: row.expires_at,
      lastSeenAt: row.last_seen_at,
    };
  }

  /** Slides the expiry forward; called at most once a minute per session. */
  async touch(idHash: string, expiresAt: Date): Promise<void> {
    await this.db.query(`UPDATE desk_session SET last_seen_at = now(), expires_at = $2 WHERE id = $1`, [idHash, expiresAt]);
  }

  async delete(idHash: string): Promise<void> {
    await this.db.query(`DELETE FROM desk_session WHERE id = $1`, [idHash]);
  }

  /** Ends every session of a user, e.g. when an admin deactivates them or resets the password. */
  async deleteForUser(userId: string): Promise<number> {
    return rowsOf<unknown>(await this.db.query(`DELETE FROM desk_session WHERE user_id = $1 RETURNING id`, [userId])).length;
  }

  async purgeExpired(now: Date): Promise<number> {
    return rowsOf<unknown>(await this.db.query(`DELETE FROM desk_session WHERE expires_at <= $1 RETURNING id`, [now])).length;
  }
}
