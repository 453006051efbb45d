import { platformOf, type Channel, type InboundAuthor, type InboundMessage } from '@desk/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { postgresSafeJson, postgresSafeText } from './postgres-safe.js';
import { rowsOf } from './rows.js';

export interface StoreResult {
  id: string;
  /** False when the item was already stored: a repeat delivery changes nothing. */
  created: boolean;
}

export interface EditResult extends StoreResult {
  /** False for a repeat of an edit already applied. */
  changed: boolean;
}

type Sql = Pick<EntityManager, 'query'>;

/**
 * When an item was received, as stored: never in the future (SLA.md), and never before 2000. A
 * platform's (or a hostile payload's) timestamp from year 1 or 1970 would otherwise make every
 * working-time sum over it walk two thousand years of calendar, stalling triage and the reports
 * (found by the fuzz and fault suites together). Such an item counts as received when ingested;
 * its raw payload keeps what was claimed.
 */
const PLAUSIBLE_RECEIVED = (param: string) =>
  `CASE WHEN ${param}::timestamptz < '2000-01-01T00:00:00Z' THEN now() ELSE LEAST(${param}::timestamptz, now()) END`;

/**
 * Inbound items, stored once per (channel, external id) however often a channel delivers them.
 * Every write is one transaction, so a webhook acknowledged after it returns is durable.
 */
export class InboundRepository {
  constructor(private readonly db: DataSource) {}

  async storeMessage(message: InboundMessage): Promise<StoreResult> {
    return this.db.transaction((tx) => this.insert(tx, message));
  }

  /**
   * An edit replaces the text and keeps the previous version in `history` (edits in the same second
   * as the last apply too: Meta dates them in whole seconds). An edit of an item we
   * never saw stores it (nothing is lost); the same edit delivered again changes nothing.
   */
  async applyEdit(channel: Channel, externalId: string, text: string, at: Date, raw: unknown, whole: InboundMessage): Promise<EditResult> {
    return this.db.transaction(async (tx) => {
      const rows = rowsOf<{ id: string }>(await tx.query(
        `UPDATE inbound_item
            SET history = history || jsonb_build_array(jsonb_build_object(
                  'text', body, 'until', $4::timestamptz, 'raw', raw)),
                body = $3, edited_at = $4, raw = $5
          WHERE channel = $1 AND external_id = $2
            AND (edited_at IS NULL OR edited_at <= $4)
            AND body IS DISTINCT FROM $3
        RETURNING id`,
        [channel, externalId, postgresSafeText(text), at, postgresSafeJson(raw)],
      ));
      if (rows[0]) return { id: rows[0].id, created: false, changed: true };
      const existing = await this.findId(tx, channel, externalId);
      if (existing) return { id: existing, created: false, changed: false };
      const stored = await this.insert(tx, { ...whole, text });
      return { ...stored, changed: true };
    });
  }

  /** Marks an item removed by its author or the platform; an unseen one is recorded as removed. */
  async markRemoved(channel: Channel, externalId: string, at: Date, raw: unknown): Promise<StoreResult> {
    const rows = rowsOf<{ id: string }>(await this.db.query(
      `UPDATE inbound_item SET removed_at = COALESCE(removed_at, $3), status = 'removed'
        WHERE channel = $1 AND external_id = $2 RETURNING id`,
      [channel, externalId, at],
    ));
    if (rows[0]) return { id: rows[0].id, created: false };
    const inserted = rowsOf<{ id: string }>(await this.db.query(
      `INSERT INTO inbound_item (channel, external_id, received_at, raw, status, removed_at, thread_key)
       VALUES ($1, $2, ${PLAUSIBLE_RECEIVED('$3')}, $4, 'removed', $3, $2)
       ON CONFLICT (channel, external_id) DO UPDATE SET removed_at = COALESCE(inbound_item.removed_at, EXCLUDED.removed_at), status = 'removed'
       RETURNING id`,
      [channel, externalId, at, postgresSafeJson(raw)],
    ));
    return { id: inserted[0]!.id, created: true };
  }

  /** Records that the platform shows the item hidden (or no longer hidden). */
  async setHidden(channel: Channel, externalId: string, hiddenAt: Date | null): Promise<string | undefined> {
    const rows = rowsOf<{ id: string }>(await this.db.query(
      `UPDATE inbound_item SET hidden_at = $3 WHERE channel = $1 AND external_id = $2 RETURNING id`,
      [channel, externalId, hiddenAt],
    ));
    return rows[0]?.id;
  }

  /**
   * The content fingerprint kept in an item's raw record (`raw.fingerprint`), to tell a redelivery
   * from a different message that reuses the same id (email Message-IDs are not always unique).
   */
  async storedFingerprint(channel: Channel, externalId: string): Promise<{ fingerprint: string | null } | undefined> {
    const rows: Array<{ fingerprint: string | null }> = await this.db.query(
      `SELECT raw->>'fingerprint' AS fingerprint FROM inbound_item WHERE channel = $1 AND external_id = $2`,
      [channel, externalId],
    );
    return rows[0];
  }

  /**
   * Items stored but never triaged (Redis lost the job), oldest first, for the sweeper; page with
   * `after` (the last id of the previous page).
   */
  async untriaged(olderThan: Date, limit: number, after?: { ingestedAt: Date; id: string }): Promise<Array<{ id: string; ingestedAt: Date }>> {
    const rows: Array<{ id: string; ingested_at: Date }> = await this.db.query(
      `SELECT id, ingested_at FROM inbound_item
        WHERE triaged_at IS NULL AND kind = 'message' AND removed_at IS NULL AND ingested_at < $1
          AND ($3::timestamptz IS NULL OR (ingested_at, id) > ($3::timestamptz, $4::uuid))
        ORDER BY ingested_at, id LIMIT $2`,
      [olderThan, limit, after?.ingestedAt ?? null, after?.id ?? null],
    );
    return rows.map((r) => ({ id: r.id, ingestedAt: r.ingested_at }));
  }

  /** Whether the item is still one the sweeper would queue (read again, past a page of `untriaged`). */
  async awaitsTriage(id: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `SELECT 1 FROM inbound_item WHERE id = $1 AND triaged_at IS NULL AND kind = 'message' AND removed_at IS NULL`,
      [id],
    );
    return rows.length > 0;
  }

  private async insert(tx: Sql, m: InboundMessage): Promise<StoreResult> {
    const contactId = m.author ? await this.upsertContact(tx, m.channel, m.author) : null;
    const threadKey = await this.resolveThread(tx, m, contactId);
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO inbound_item
         (channel, external_id, contact_id, thread_key, in_reply_to_external_id, received_at,
          subject, body, url, raw, kind, parse_error, thread_subject)
       VALUES ($1, $2, $3, $4, $5, ${PLAUSIBLE_RECEIVED('$6')}, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (channel, external_id) DO NOTHING
       RETURNING id`,
      [
        m.channel,
        m.externalId,
        contactId,
        threadKey,
        postgresSafeText(m.replyTo?.[0]) ?? null,
        m.receivedAt,
        postgresSafeText(m.subject) ?? null,
        postgresSafeText(m.text),
        postgresSafeText(m.url) ?? null,
        postgresSafeJson(m.raw ?? null),
        m.kind,
        postgresSafeText(m.parseError) ?? null,
        postgresSafeText(m.threadSubject) ?? null,
      ],
    );
    if (!rows[0]) return { id: (await this.findId(tx, m.channel, m.externalId))!, created: false };
    const id = rows[0].id;
    for (const [position, a] of (m.attachments ?? []).entries()) {
      await tx.query(
        `INSERT INTO inbound_attachment (inbound_item_id, position, filename, content_type, size, content) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, position, postgresSafeText(a.filename) ?? null, postgresSafeText(a.contentType), a.size, a.content ? Buffer.from(a.content) : null],
      );
    }
    return { id, created: true };
  }

  private async upsertContact(tx: Sql, channel: Channel, author: InboundAuthor): Promise<string> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO contact (platform, external_id, handle, display_name) VALUES ($1, $2, $3, $4)
       ON CONFLICT (platform, external_id) DO UPDATE
         SET handle = COALESCE(EXCLUDED.handle, contact.handle),
             display_name = COALESCE(EXCLUDED.display_name, contact.display_name)
       RETURNING id`,
      [platformOf(channel), postgresSafeText(author.externalId), postgresSafeText(author.handle) ?? null, postgresSafeText(author.displayName) ?? null],
    );
    return rows[0]!.id;
  }

  /**
   * The thread an item belongs to: that of the nearest stored item it answers; else the channel's
   * own thread id; else the oldest id it names; for email without references, the latest thread of
   * the same sender with the same subject; else a thread of its own.
   */
  private async resolveThread(tx: Sql, m: InboundMessage, contactId: string | null): Promise<string> {
    const refs = m.replyTo ?? [];
    if (refs.length) {
      const rows: Array<{ external_id: string; thread_key: string }> = await tx.query(
        `SELECT external_id, thread_key FROM inbound_item WHERE channel = $1 AND external_id = ANY($2) AND thread_key IS NOT NULL`,
        [m.channel, refs],
      );
      for (const ref of refs) {
        const found = rows.find((r) => r.external_id === ref);
        if (found) return found.thread_key;
      }
    }
    if (m.threadKey) return m.threadKey;
    if (refs.length) return refs.at(-1)!;
    if (m.threadSubject && contactId) {
      const rows: Array<{ thread_key: string }> = await tx.query(
        `SELECT thread_key FROM inbound_item WHERE contact_id = $1 AND channel = $2 AND thread_subject = $3 AND thread_key IS NOT NULL
          ORDER BY received_at DESC LIMIT 1`,
        [contactId, m.channel, m.threadSubject],
      );
      if (rows[0]) return rows[0].thread_key;
    }
    return m.externalId;
  }

  private async findId(tx: Sql, channel: Channel, externalId: string): Promise<string | undefined> {
    const rows: Array<{ id: string }> = await tx.query(`SELECT id FROM inbound_item WHERE channel = $1 AND external_id = $2`, [channel, externalId]);
    return rows[0]?.id;
  }
}
