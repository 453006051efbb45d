import { platformOf, type Channel, type InboundAttachment, type InboundMessage } from '@desk/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { postgresSafeJson, postgresSafeText } from './postgres-safe.js';
import { runPrepared, type Prepared } from './prepared.js';
import { rowsOf } from './rows.js';
import { statementRefused } from './statement-refused.js';

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

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
 * A message as `inbound_store_many` (migration 1764700000000) takes it. External ids and
 * references go as given: they are compared with stored external ids, which are stored as given.
 * An empty thread id is no hint at all (as it always was).
 */
function storeItemFields(m: InboundMessage): Record<string, unknown> {
  return {
    channel: m.channel,
    externalId: m.externalId,
    platform: platformOf(m.channel),
    authorId: m.author ? m.author.externalId : null,
    handle: m.author?.handle ?? null,
    displayName: m.author?.displayName ?? null,
    replyTo: m.replyTo ?? [],
    channelThread: m.threadKey || null,
    threadSubject: m.threadSubject ?? null,
    inReplyTo: m.replyTo?.[0] ?? null,
    // As a number: Postgres reads no ISO text past year 9999 or before year 1, and a hostile
    // timestamp can be either (the function clamps it).
    receivedAtMs: m.receivedAt.getTime(),
    subject: m.subject ?? null,
    body: m.text,
    url: m.url ?? null,
    kind: m.kind,
    parseError: m.parseError ?? null,
  };
}

const STORE_MANY: Prepared = {
  name: 'inbound-store-many',
  text: `SELECT item_id, created FROM inbound_store_many($1::jsonb, $2::jsonb)`,
};

/** Stores the messages in one statement, in order; postgresSafeJson makes hostile text storable. */
async function storeItems(db: DataSource | EntityManager, messages: InboundMessage[]): Promise<StoreResult[]> {
  const rows = await runPrepared<{ item_id: string; created: boolean }>(db, STORE_MANY, [
    postgresSafeJson(messages.map(storeItemFields)),
    `[${messages.map((m) => postgresSafeJson(m.raw ?? null)).join(',')}]`,
  ]);
  // Each message answers with exactly one row; anything else would give a caller another's id.
  if (rows.length !== messages.length) throw new Error(`inbound_store_many: ${messages.length} messages, ${rows.length} rows`);
  return rows.map((r) => ({ id: r.item_id, created: r.created }));
}

/**
 * Inbound items, stored once per (channel, external id) however often a channel delivers them.
 * Every write is one statement or one transaction, so a webhook acknowledged after it returns is
 * durable.
 */
export class InboundRepository {
  constructor(private readonly db: DataSource) {}

  async storeMessage(message: InboundMessage): Promise<StoreResult> {
    const [result] = await this.storeMessages([message]);
    if (result instanceof Error) throw result;
    return result!;
  }

  /**
   * Stores many messages, in order, with as few statements and commits as their order allows:
   * a run of messages without attachments is one statement. If Postgres refuses that statement,
   * its messages are stored one by one, so an error belongs to its own message only; if Postgres
   * is unreachable, every message of the run fails at once with that error.
   */
  async storeMessages(messages: InboundMessage[]): Promise<Array<StoreResult | Error>> {
    const results: Array<StoreResult | Error> = [];
    let run: InboundMessage[] = [];
    const flush = async () => {
      if (run.length) results.push(...(await this.storeRun(run)));
      run = [];
    };
    for (const message of messages) {
      if (!message.attachments?.length) {
        run.push(message);
        continue;
      }
      await flush();
      // Attachments are rows of their own, written with the item or not at all.
      results.push(await this.db.transaction((tx) => this.insert(tx, message)).catch(asError));
    }
    await flush();
    return results;
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

  private async storeRun(run: InboundMessage[]): Promise<Array<StoreResult | Error>> {
    try {
      return await storeItems(this.db, run);
    } catch (error) {
      if (run.length === 1 || !statementRefused(error)) return run.map(() => asError(error));
      const results: Array<StoreResult | Error> = [];
      for (const message of run) results.push(await storeItems(this.db, [message]).then(([r]) => r!, asError));
      return results;
    }
  }

  private async insert(tx: EntityManager, m: InboundMessage): Promise<StoreResult> {
    // On the transaction's connection (runPrepared refuses a transaction without one), so the item
    // commits with its attachments.
    const [row] = await storeItems(tx, [m]);
    if (row!.created) await this.insertAttachments(tx, row!.id, m.attachments ?? []);
    return row!;
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
