import type { Channel, OutboundStatus } from '@desk/domain';
import type { DataSource } from 'typeorm';
import { rowsOf } from '../rows.js';
import { audit } from './desk-actions.repository.js';

export interface PressRecord {
  id: string;
  reference: string | null;
  forwardStatus: OutboundStatus;
  forwardedAt: Date | null;
  createdAt: Date;
  handler: { id: string; name: string; initials: string } | null;
  claimedAt: Date | null;
  answeredAt: Date | null;
  item: {
    id: string;
    channel: Channel;
    subject: string | null;
    body: string;
    url: string | null;
    receivedAt: Date;
    raw: unknown;
    author: { handle: string | null; displayName: string | null } | null;
  } | null;
}

/** Media enquiries the triage forwarded to the press office, and the press office's handling. */
export class PressRepository {
  constructor(private readonly db: DataSource) {}

  /** Open enquiries first (oldest first), then the most recently answered. */
  async list(limit: number): Promise<PressRecord[]> {
    const rows = await this.db.query(
      `SELECT o.id, o.reference, o.status, o.sent_at, o.created_at, o.press_claimed_at, o.press_answered_at,
              h.id AS handler_id, h.name AS handler_name, h.initials AS handler_initials,
              i.id AS item_id, i.channel, i.subject, left(i.body, 2000) AS body, i.url, i.received_at,
              CASE WHEN i.channel = 'email' THEN i.raw END AS raw, ct.handle, ct.display_name
         FROM outbound_message o
         LEFT JOIN "user" h ON h.id = o.press_handler_id
         LEFT JOIN inbound_item i ON i.id = o.inbound_item_id
         LEFT JOIN contact ct ON ct.id = i.contact_id
        WHERE o.kind = 'press_forward'
        ORDER BY (o.press_answered_at IS NOT NULL), CASE WHEN o.press_answered_at IS NULL THEN o.created_at END,
                 o.press_answered_at DESC
        LIMIT $1`,
      [limit],
    );
    return rows.map((r: PressRow): PressRecord => ({
      id: r.id,
      reference: r.reference,
      forwardStatus: r.status,
      forwardedAt: r.sent_at,
      createdAt: r.created_at,
      handler: r.handler_id ? { id: r.handler_id, name: r.handler_name ?? '', initials: r.handler_initials ?? '' } : null,
      claimedAt: r.press_claimed_at,
      answeredAt: r.press_answered_at,
      item: r.item_id
        ? {
            id: r.item_id,
            channel: r.channel!,
            subject: r.subject,
            body: r.body ?? '',
            url: r.url,
            receivedAt: r.received_at!,
            raw: r.raw,
            author: { handle: r.handle, displayName: r.display_name },
          }
        : null,
    }));
  }

  /**
   * Takes an enquiry. Refused when it doesn't exist, isn't a press forward, is answered, or another
   * press officer has it (then `holder` says who).
   */
  async claim(id: string, userId: string): Promise<{ ok: true } | { ok: false; holder?: { id: string; name: string; initials: string } }> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        `SELECT o.press_handler_id, o.press_answered_at, u.name, u.initials FROM outbound_message o
           LEFT JOIN "user" u ON u.id = o.press_handler_id WHERE o.id = $1 AND o.kind = 'press_forward' FOR UPDATE OF o`,
        [id],
      );
      if (!row || row.press_answered_at) return { ok: false } as const;
      if (row.press_handler_id && row.press_handler_id !== userId) {
        return { ok: false, holder: { id: row.press_handler_id, name: row.name, initials: row.initials } } as const;
      }
      if (row.press_handler_id === userId) return { ok: true } as const;
      await tx.query(`UPDATE outbound_message SET press_handler_id = $2, press_claimed_at = coalesce(press_claimed_at, now()) WHERE id = $1`, [id, userId]);
      await audit(tx, userId, 'press.claimed', 'outbound_message', id, {});
      return { ok: true } as const;
    });
  }

  /** Records the press response; the first answer's time stands (a second click changes nothing). */
  async answered(id: string, userId: string, note: string | null): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const updated = rowsOf<{ id: string }>(
        await tx.query(
          `UPDATE outbound_message SET press_answered_at = now(), press_handler_id = coalesce(press_handler_id, $2),
                  press_claimed_at = coalesce(press_claimed_at, now()), press_note = $3
            WHERE id = $1 AND kind = 'press_forward' AND press_answered_at IS NULL RETURNING id`,
          [id, userId, note],
        ),
      );
      if (updated.length) await audit(tx, userId, 'press.answered', 'outbound_message', id, { note });
      return updated.length > 0;
    });
  }
}

interface PressRow {
  id: string;
  reference: string | null;
  status: OutboundStatus;
  sent_at: Date | null;
  created_at: Date;
  press_claimed_at: Date | null;
  press_answered_at: Date | null;
  handler_id: string | null;
  handler_name: string | null;
  handler_initials: string | null;
  item_id: string | null;
  channel: Channel | null;
  subject: string | null;
  body: string | null;
  url: string | null;
  received_at: Date | null;
  raw: unknown;
  handle: string | null;
  display_name: string | null;
}
