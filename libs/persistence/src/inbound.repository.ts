import { platformOf, type Channel, type InboundAttachment, type InboundMessage } from '@desk/domain';
import type { ClientBase } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
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

/** The parameters of STORE_ITEM, in order; `$.name` is a parameter's placeholder. */
const STORE_PARAMS = [
  'channel', 'externalId', 'platform', 'authorId', 'handle', 'displayName', 'replyTo', 'channelThread',
  'threadSubject', 'inReplyTo', 'receivedAt', 'subject', 'body', 'url', 'raw', 'kind', 'parseError',
] as const;
type StoreParam = (typeof STORE_PARAMS)[number];
const $ = Object.fromEntries(STORE_PARAMS.map((name, i) => [name, `$${i + 1}`])) as Record<StoreParam, string>;

/**
 * The thread an item belongs to: that of the nearest stored item it answers; else the channel's
 * own thread id; else the last id it names; for email without references, the latest thread of
 * the same sender with the same subject; else a thread of its own. COALESCE stops at the first
 * value, so a lookup runs only when the choices before it gave nothing.
 */
const THREAD_OF_ITEM = `COALESCE(
    (SELECT answered.thread_key
       FROM unnest(${$.replyTo}::text[]) WITH ORDINALITY AS ref(external_id, nearness)
       JOIN inbound_item answered ON answered.channel = ${$.channel} AND answered.external_id = ref.external_id
      WHERE answered.thread_key IS NOT NULL
      ORDER BY ref.nearness LIMIT 1),
    ${$.channelThread}::text,
    (${$.replyTo}::text[])[cardinality(${$.replyTo}::text[])],
    (SELECT earlier.thread_key FROM inbound_item earlier
      WHERE earlier.contact_id = (SELECT id FROM upserted_contact) AND earlier.channel = ${$.channel}
        AND earlier.thread_subject = NULLIF(${$.threadSubject}, '') AND earlier.thread_key IS NOT NULL
      ORDER BY earlier.received_at DESC LIMIT 1),
    ${$.externalId})`;

/**
 * Contact, thread and item in one round trip, atomic as any single statement. A repeat delivery
 * inserts nothing, so the stored row is read in the same statement; the statement's snapshot
 * cannot see its own insert, so at most one of the two halves answers.
 */
const STORE_ITEM = `
  WITH upserted_contact AS (
    INSERT INTO contact (platform, external_id, handle, display_name)
    SELECT ${$.platform}::text, ${$.authorId}::text, ${$.handle}::text, ${$.displayName}::text
     WHERE ${$.authorId}::text IS NOT NULL
    ON CONFLICT (platform, external_id) DO UPDATE
      SET handle = COALESCE(EXCLUDED.handle, contact.handle),
          display_name = COALESCE(EXCLUDED.display_name, contact.display_name)
    RETURNING id
  ), inserted AS (
    INSERT INTO inbound_item
      (channel, external_id, contact_id, thread_key, in_reply_to_external_id, received_at,
       subject, body, url, raw, kind, parse_error, thread_subject)
    VALUES (${$.channel}, ${$.externalId}, (SELECT id FROM upserted_contact), ${THREAD_OF_ITEM}, ${$.inReplyTo},
            ${PLAUSIBLE_RECEIVED($.receivedAt)}, ${$.subject}, ${$.body}, ${$.url}, ${$.raw}, ${$.kind},
            ${$.parseError}, ${$.threadSubject})
    ON CONFLICT (channel, external_id) DO NOTHING
    RETURNING id
  )
  SELECT id, true AS created FROM inserted
  UNION ALL
  SELECT id, false AS created FROM inbound_item WHERE channel = ${$.channel} AND external_id = ${$.externalId}`;

/**
 * The external id and references go as given: they are compared with stored external ids, which
 * are stored as given. An empty thread id or subject is no hint at all (as it always was).
 */
function storeItemParams(m: InboundMessage): unknown[] {
  const values: Record<StoreParam, unknown> = {
    channel: m.channel,
    externalId: m.externalId,
    platform: platformOf(m.channel),
    authorId: m.author ? postgresSafeText(m.author.externalId) : null,
    handle: postgresSafeText(m.author?.handle) ?? null,
    displayName: postgresSafeText(m.author?.displayName) ?? null,
    replyTo: m.replyTo ?? [],
    channelThread: postgresSafeText(m.threadKey) || null,
    threadSubject: postgresSafeText(m.threadSubject) ?? null,
    inReplyTo: postgresSafeText(m.replyTo?.[0]) ?? null,
    receivedAt: m.receivedAt,
    subject: postgresSafeText(m.subject) ?? null,
    body: postgresSafeText(m.text),
    url: postgresSafeText(m.url) ?? null,
    raw: postgresSafeJson(m.raw ?? null),
    kind: m.kind,
    parseError: postgresSafeText(m.parseError) ?? null,
  };
  return STORE_PARAMS.map((name) => values[name]);
}

async function storeItemOn(runner: QueryRunner, m: InboundMessage): Promise<StoreResult[]> {
  const client = (await runner.connect()) as ClientBase;
  const result = await client.query<StoreResult>({ name: 'inbound-store-item', text: STORE_ITEM, values: storeItemParams(m) });
  return result.rows;
}

/**
 * Inbound items, stored once per (channel, external id) however often a channel delivers them.
 * Every write is one statement or one transaction, so a webhook acknowledged after it returns is
 * durable.
 */
export class InboundRepository {
  constructor(private readonly db: DataSource) {}

  async storeMessage(message: InboundMessage): Promise<StoreResult> {
    // Attachments are rows of their own, written with the item or not at all.
    if (message.attachments?.length) return this.db.transaction((tx) => this.insert(tx, message));
    return this.insert(undefined, message);
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

  /**
   * Stores the item (with its contact and thread) in one statement. A repeat delivery answers with
   * the stored id. A concurrent delivery of the same item may commit after the statement took its
   * snapshot, so it neither inserts nor sees that row; only then is the row read again.
   */
  private async insert(tx: EntityManager | undefined, m: InboundMessage): Promise<StoreResult> {
    const rows = await this.runStoreItem(tx, m);
    const sql = tx ?? this.db;
    const row = rows[0] ?? (await this.findStored(sql, m.channel, m.externalId));
    if (row.created) await this.insertAttachments(sql, row.id, m.attachments ?? []);
    return { id: row.id, created: row.created };
  }

  /**
   * STORE_ITEM as a named statement, in the transaction when there is one. Postgres then parses
   * it once per connection rather than once per item: for a statement this long, parsing and
   * planning are much of its cost (a third to a half of its server CPU, measured on this VM).
   */
  private async runStoreItem(tx: EntityManager | undefined, m: InboundMessage): Promise<StoreResult[]> {
    if (tx) {
      // On another connection the item would commit apart from its attachments.
      if (!tx.queryRunner) throw new Error('InboundRepository: a transaction without its query runner');
      return storeItemOn(tx.queryRunner, m);
    }
    const runner = this.db.createQueryRunner();
    try {
      return await storeItemOn(runner, m);
    } finally {
      await runner.release();
    }
  }

  private async findStored(sql: Sql, channel: Channel, externalId: string): Promise<StoreResult> {
    const id = await this.findId(sql, channel, externalId);
    // Only a conflict leaves the insert empty, and stored items are never deleted.
    if (!id) throw new Error(`inbound item ${channel}/${externalId} neither inserted nor found`);
    return { id, created: false };
  }

  private async insertAttachments(sql: Sql, itemId: string, attachments: InboundAttachment[]): Promise<void> {
    for (const [position, a] of attachments.entries()) {
      await sql.query(
        `INSERT INTO inbound_attachment (inbound_item_id, position, filename, content_type, size, content) VALUES ($1, $2, $3, $4, $5, $6)`,
        [itemId, position, postgresSafeText(a.filename) ?? null, postgresSafeText(a.contentType), a.size, a.content ? Buffer.from(a.content) : null],
      );
    }
  }

  private async findId(tx: Sql, channel: Channel, externalId: string): Promise<string | undefined> {
    const rows: Array<{ id: string }> = await tx.query(`SELECT id FROM inbound_item WHERE channel = $1 AND external_id = $2`, [channel, externalId]);
    return rows[0]?.id;
  }
}
