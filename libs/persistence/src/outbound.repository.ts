import { AUTO_CLOSED_ROUTES, type Channel, type OutboundKind, type OutboundStatus, type Route } from '@desk/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { runPrepared, type Prepared } from './prepared.js';
import { rowsOf } from './rows.js';

/** Everything a responder needs to perform one outbound row, read in one query. */
export interface OutboundWork {
  id: string;
  kind: OutboundKind;
  channel: Channel;
  automatic: boolean;
  template: string | null;
  body: string | null;
  recipient: string | null;
  reference: string | null;
  attempts: number;
  firstAttemptAt: Date;
  createdAt: Date;
  author: { name: string; initials: string } | null;
  item: {
    id: string;
    channel: Channel;
    externalId: string;
    route: Route | null;
    subject: string | null;
    body: string;
    url: string | null;
    receivedAt: Date;
    dueAt: Date | null;
    raw: unknown;
    /** Triage's reasons, as stored. */
    reasons: unknown;
    contact: { externalId: string; handle: string | null; displayName: string | null } | null;
  } | null;
}

export type Claim =
  | { state: 'missing' }
  /** Already finished: nothing to do (a duplicate or late job). */
  | { state: 'finished'; status: Extract<OutboundStatus, 'sent' | 'failed'> }
  /** Taken: `reconcile` is true when an earlier attempt may have reached the provider. */
  | { state: 'claimed'; reconcile: boolean; work: OutboundWork };

/** What recording a result changed, for the desk event. */
export interface Recorded {
  itemId: string | null;
  conversationId: string | null;
  /** True when this send was the item's first response. */
  firstResponse: boolean;
}

/** The provider's account of an error, as stored in `outbound_message.error` and shown in the desk. */
export interface StoredError {
  kind: 'permanent' | 'transient' | 'rate_limited' | 'uncertain';
  message: string;
  provider?: string;
  status?: number;
  code?: string | number;
  subcode?: number;
  traceId?: string;
  body?: unknown;
  attempt: number;
  at: string;
}

/** Kinds that answer the sender, so they count as the item's first response. */
const RESPONSE_KINDS: readonly OutboundKind[] = ['reply', 'direct_message', 'email'];

/**
 * The outbound rows' life: claimed before the provider is called, then sent or failed. Each step
 * locks the row, so two responders never act on the same row at once, and is usually a single
 * statement (a transaction of its own): round trips cost Postgres and the responder more CPU than
 * the statements' own work does.
 */
export class OutboundRepository {
  constructor(private readonly db: DataSource) {}

  /**
   * Marks the row `sending` and reads what performing it needs, in one statement that commits before
   * the provider is called. The row is locked first so the status it had is known (RETURNING only
   * sees the new one): `sending` left behind means an attempt ended without recording its outcome.
   */
  async claim(id: string): Promise<Claim> {
    const [row] = await runPrepared<WorkRow & { previous_status: OutboundStatus }>(this.db, CLAIM, [id]);
    if (!row) return { state: 'missing' };
    if (row.previous_status === 'sent' || row.previous_status === 'failed') return { state: 'finished', status: row.previous_status };
    return { state: 'claimed', reconcile: row.previous_status === 'sending', work: workOf(row) };
  }

  /** Not sent this time. `mayHaveActed` keeps the row `sending`, so the next attempt reconciles first. */
  async release(id: string, error: StoredError, mayHaveActed: boolean): Promise<void> {
    await this.db.query(`UPDATE outbound_message SET status = $2, error = $3 WHERE id = $1 AND status = 'sending'`, [
      id,
      mayHaveActed ? 'sending' : 'pending',
      JSON.stringify(error),
    ]);
  }

  /**
   * One statement in the usual case, so the item's and conversation's row locks are held only while
   * it runs. When another transaction holds the row, its item or its conversation (the desk's report
   * refresh locks items it is recomputing, triage the conversations of the batch it applies), the
   * same statement runs in a transaction after waiting for them, so it sees what they committed.
   *
   * `flush: false` answers before the commit reaches disk (Postgres's asynchronous commit). Only
   * for rows whose provider can be asked afterwards: if Postgres crashes and loses this record, the
   * row is still `sending`, the sweeper claims it again, and the worker finds the post at the
   * provider and records it, sending nothing twice. Email can't always be asked (no Sent folder),
   * so its records are flushed. The claim before a send is always flushed, and its flush carries
   * every commit before it.
   */
  async recordSent(
    id: string,
    sent: { providerId: string; at: Date; response?: unknown },
    reconciled: boolean,
    { flush }: { flush: boolean },
  ): Promise<Recorded> {
    const params = [
      id,
      sent.providerId,
      sent.at,
      JSON.stringify({ ...(sent.response ? { answer: sent.response } : {}), reconciled }),
      reconciled,
      RESPONSE_KINDS,
      AUTO_CLOSED_ROUTES,
      flush ? 'on' : 'off',
    ];
    const row = await recordSentRow(this.db, params);
    if (!row.busy) return recordedSent(row);
    return this.db.transaction(async (tx) => {
      // Row, item, conversation: the order RECORD_SENT and triage take them in.
      await tx.query(LOCK_ROW_AND_ITEM, [id]);
      await tx.query(LOCK_CONVERSATION, [id]);
      const locked = await recordSentRow(tx, params);
      if (locked.busy) throw new Error(`outbound ${id} is locked by another transaction although this one holds it`);
      return recordedSent(locked);
    });
  }

  /**
   * Gives up on the row with a reason a person reads, and puts its item back in front of a person:
   * the conversation reopens and is due no later than the item.
   */
  async recordFailed(id: string, error: StoredError): Promise<Recorded> {
    const [row] = rowsOf<{ inbound_item_id: string | null; conversation_id: string | null }>(
      await this.db.query(RECORD_FAILED, [id, JSON.stringify(error), error.message]),
    );
    if (!row) return { itemId: null, conversationId: null, firstResponse: false };
    return { itemId: row.inbound_item_id, conversationId: row.conversation_id, firstResponse: false };
  }

  /** Rows no responder has finished whose last change is older than `before`, oldest first. */
  async unfinished(before: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM outbound_message WHERE status IN ('pending','sending') AND updated_at < $1 ORDER BY updated_at LIMIT $2`,
      [before, limit],
    );
    return rows.map((r) => r.id);
  }

  /** The item's other outbound rows (an alert names the signposting reply sent beside it). */
  async siblings(outboundId: string): Promise<Array<{ kind: OutboundKind; template: string | null; body: string | null; status: OutboundStatus; sentAt: Date | null }>> {
    const rows = await this.db.query(
      `SELECT s.kind, s.template, s.body, s.status, s.sent_at FROM outbound_message o
         JOIN outbound_message s ON s.inbound_item_id = o.inbound_item_id AND s.id <> o.id
        WHERE o.id = $1 ORDER BY s.created_at`,
      [outboundId],
    );
    return rows.map((r: { kind: OutboundKind; template: string | null; body: string | null; status: OutboundStatus; sent_at: Date | null }) => ({
      kind: r.kind,
      template: r.template,
      body: r.body,
      status: r.status,
      sentAt: r.sent_at,
    }));
  }

  /** The row's state and what it is, read without a lock: enough to decide whether to wait. */
  async peek(id: string): Promise<{ status: OutboundStatus; kind: OutboundKind; channel: Channel } | undefined> {
    const [row] = await this.db.query(`SELECT status, kind, channel FROM outbound_message WHERE id = $1`, [id]);
    return row ? { status: row.status, kind: row.kind, channel: row.channel } : undefined;
  }

  async status(id: string): Promise<{ status: OutboundStatus; attempts: number; providerId: string | null; error: unknown } | undefined> {
    const [row] = await this.db.query(`SELECT status, attempts, provider_id, error FROM outbound_message WHERE id = $1`, [id]);
    return row ? { status: row.status, attempts: row.attempts, providerId: row.provider_id, error: row.error } : undefined;
  }
}

/** The outbound row as claimed, with its author, item and the item's contact. */
interface WorkRow {
  id: string;
  kind: OutboundKind;
  channel: Channel;
  automatic: boolean;
  template: string | null;
  body: string | null;
  recipient: string | null;
  reference: string | null;
  attempts: number;
  first_attempt_at: Date;
  created_at: Date;
  author_name: string | null;
  author_initials: string | null;
  item_id: string | null;
  item_channel: Channel;
  external_id: string;
  route: Route | null;
  subject: string | null;
  item_body: string;
  url: string | null;
  received_at: Date;
  due_at: Date | null;
  raw: unknown;
  reasons: unknown;
  contact_external_id: string | null;
  handle: string | null;
  display_name: string | null;
}

function workOf(r: WorkRow): OutboundWork {
  return {
    id: r.id,
    kind: r.kind,
    channel: r.channel,
    automatic: r.automatic,
    template: r.template,
    body: r.body,
    recipient: r.recipient,
    reference: r.reference,
    attempts: r.attempts,
    firstAttemptAt: r.first_attempt_at,
    createdAt: r.created_at,
    author: r.author_name ? { name: r.author_name, initials: r.author_initials! } : null,
    item: r.item_id
      ? {
          id: r.item_id,
          channel: r.item_channel,
          externalId: r.external_id,
          route: r.route,
          subject: r.subject,
          body: r.item_body,
          url: r.url,
          receivedAt: r.received_at,
          dueAt: r.due_at,
          raw: r.raw,
          reasons: r.reasons,
          contact: r.contact_external_id ? { externalId: r.contact_external_id, handle: r.handle, displayName: r.display_name } : null,
        }
      : null,
  };
}

interface RecordSentRow {
  busy: boolean;
  inbound_item_id: string | null;
  conversation_id: string | null;
  first_response: boolean;
}

async function recordSentRow(db: DataSource | EntityManager, params: unknown[]): Promise<RecordSentRow> {
  const [row] = await runPrepared<RecordSentRow>(db, RECORD_SENT, params);
  return row!;
}

function recordedSent(row: RecordSentRow): Recorded {
  return { itemId: row.inbound_item_id, conversationId: row.conversation_id, firstResponse: row.first_response };
}

/**
 * $1 the row. Always one row when the row exists: its status before this statement, and the claimed
 * work when it was unfinished (the columns are null when it was not). The UPDATE finds the locked
 * row's latest version even if it changed after the statement began, so attempts are never lost.
 */
const CLAIM: Prepared = {
  name: 'outbound-claim',
  text: `
  WITH previous AS (
    SELECT id, status FROM outbound_message WHERE id = $1 FOR UPDATE
  ), claimed AS (
    UPDATE outbound_message o SET status = 'sending', attempts = o.attempts + 1, first_attempt_at = coalesce(o.first_attempt_at, now())
      FROM previous p
     WHERE o.id = p.id AND p.status IN ('pending','sending')
    RETURNING o.*
  )
  SELECT p.status AS previous_status,
         o.id, o.kind, o.channel, o.automatic, o.template, o.body, o.recipient, o.reference, o.attempts, o.first_attempt_at, o.created_at,
         u.name AS author_name, u.initials AS author_initials,
         i.id AS item_id, i.channel AS item_channel, i.external_id, i.route, i.subject, i.body AS item_body, i.url,
         i.received_at, i.due_at, i.raw, i.reasons, c.external_id AS contact_external_id, c.handle, c.display_name
    FROM previous p
    LEFT JOIN claimed o ON true
    LEFT JOIN "user" u ON u.id = o.author_id
    LEFT JOIN inbound_item i ON i.id = o.inbound_item_id
    LEFT JOIN contact c ON c.id = i.contact_id`,
};

/**
 * $1 the row, $2 provider id, $3 sent at, $4 provider response, $5 reconciled, $6 kinds that answer
 * the sender, $7 routes no person needs to see, $8 this transaction's synchronous_commit. One row:
 * `busy` when the outbound row, the item it changes or the conversation whose due time a reply
 * moves is locked by another transaction (nothing was changed), else the row's item and
 * conversation, all null when it was already recorded as sent.
 *
 * All three rows are locked without waiting, in that order. A statement that waited would compute
 * the conversation's due time from its snapshot, taken before the wait: an item triage linked to
 * the conversation, or another reply, committed meanwhile would be missed, and the conversation
 * would say it is due later than it is. The snapshot also means the item answered here is still
 * unanswered to the due time's query, so it is left out by id (and the query is kept apart, not
 * copied into both the test and the new value of the UPDATE). The conversation is written only
 * when its due time moves (never, for a reply to an item on a route no person sees). Hiding what
 * is hidden, or unhiding what is not, writes nothing (the first hiding time stays).
 */
const RECORD_SENT: Prepared = {
  name: 'outbound-record-sent',
  text: `
  WITH target AS (
    SELECT id, inbound_item_id, conversation_id, kind = ANY($6::text[]) AS answers,
           kind = ANY($6::text[]) OR kind IN ('hide','unhide') AS changes_item
      FROM outbound_message WHERE id = $1 FOR UPDATE SKIP LOCKED
  ), item AS (
    SELECT i.id FROM inbound_item i JOIN target t ON i.id = t.inbound_item_id AND t.changes_item FOR UPDATE OF i SKIP LOCKED
  ), conv AS (
    SELECT c.id FROM conversation c JOIN target t ON c.id = t.conversation_id AND t.answers
     WHERE EXISTS (SELECT 1 FROM item) FOR UPDATE OF c SKIP LOCKED
  ), ready AS (
    SELECT t.id FROM target t
     WHERE NOT t.changes_item OR t.inbound_item_id IS NULL
        OR (EXISTS (SELECT 1 FROM item) AND (NOT t.answers OR t.conversation_id IS NULL OR EXISTS (SELECT 1 FROM conv)))
  ), sent AS (
    UPDATE outbound_message o SET status = 'sent', provider_id = $2, sent_at = $3, provider_response = $4, error = NULL
      FROM ready r
     WHERE o.id = r.id AND o.status <> 'sent'
    RETURNING o.id, o.kind, o.automatic, o.inbound_item_id, o.conversation_id
  ), answered AS (
    UPDATE inbound_item i SET first_response_at = $3, first_response_automatic = s.automatic,
           status = CASE WHEN i.status IN ('received','triaged') THEN CASE WHEN s.automatic THEN 'deflected' ELSE 'responded' END ELSE i.status END
      FROM sent s
     WHERE i.id = s.inbound_item_id AND s.kind = ANY($6::text[]) AND i.first_response_at IS NULL
    RETURNING i.id, s.conversation_id
  ), due AS MATERIALIZED (
    SELECT a.conversation_id, (
      SELECT min(i.due_at) FROM inbound_item i
       WHERE i.conversation_id = a.conversation_id AND i.id <> a.id AND i.first_response_at IS NULL AND i.removed_at IS NULL
         AND i.route IS NOT NULL AND NOT (i.route = ANY($7::text[]))) AS due_at
      FROM answered a
     WHERE a.conversation_id IS NOT NULL
  ), redue AS (
    UPDATE conversation c SET due_at = d.due_at FROM due d WHERE c.id = d.conversation_id AND c.due_at IS DISTINCT FROM d.due_at
  ), hidden AS (
    UPDATE inbound_item i SET hidden_at = CASE WHEN s.kind = 'hide' THEN $3::timestamptz END
      FROM sent s
     WHERE i.id = s.inbound_item_id AND s.kind IN ('hide','unhide') AND (s.kind = 'hide') = (i.hidden_at IS NULL)
  ), audit AS (
    INSERT INTO audit_event (action, subject_type, subject_id, details)
    SELECT 'outbound.sent', 'outbound_message', s.id::text,
           jsonb_build_object('providerId', $2::text, 'reconciled', $5::boolean, 'kind', s.kind, 'itemId', s.inbound_item_id)
      FROM sent s
  )
  SELECT NOT EXISTS (SELECT 1 FROM ready) AND EXISTS (SELECT 1 FROM outbound_message WHERE id = $1) AS busy,
         s.inbound_item_id, s.conversation_id, EXISTS (SELECT 1 FROM answered) AS first_response,
         set_config('synchronous_commit', $8::text, true) AS commit_mode
    FROM (VALUES (1)) AS one LEFT JOIN sent s ON true`,
};

/** $1 the row: locks it, then its item, waiting for whoever holds them. */
const LOCK_ROW_AND_ITEM = `
  WITH target AS (SELECT inbound_item_id FROM outbound_message WHERE id = $1 FOR UPDATE)
  SELECT i.id FROM inbound_item i JOIN target t ON i.id = t.inbound_item_id FOR UPDATE OF i`;

/** $1 the row, already locked: locks its conversation, waiting for whoever holds it. */
const LOCK_CONVERSATION = `
  SELECT c.id FROM conversation c JOIN outbound_message o ON c.id = o.conversation_id WHERE o.id = $1 FOR UPDATE OF c`;

/** $1 the row, $2 the stored error, $3 its message. No row when the row was already finished. */
const RECORD_FAILED = `
  WITH failed AS (
    UPDATE outbound_message SET status = 'failed', error = $2 WHERE id = $1 AND status IN ('pending','sending')
    RETURNING id, kind, inbound_item_id, conversation_id
  ), reopened AS (
    UPDATE conversation c SET status = 'open', snoozed_until = NULL,
           due_at = LEAST(c.due_at, (SELECT due_at FROM inbound_item WHERE id = f.inbound_item_id))
      FROM failed f
     WHERE c.id = f.conversation_id
  ), audit AS (
    INSERT INTO audit_event (action, subject_type, subject_id, details)
    SELECT 'outbound.failed', 'outbound_message', f.id::text, jsonb_build_object('kind', f.kind, 'itemId', f.inbound_item_id, 'error', $3::text)
      FROM failed f
  )
  SELECT inbound_item_id, conversation_id FROM failed`;
