import { AUTO_CLOSED_ROUTES, type Channel, type OutboundKind, type OutboundStatus, type Route } from '@desk/domain';
import type { DataSource, EntityManager } from 'typeorm';
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
 * The outbound rows' life: claimed before the provider is called, then sent or failed. Each step is
 * one transaction with the row locked, so two responders never act on the same row at once.
 */
export class OutboundRepository {
  constructor(private readonly db: DataSource) {}

  async claim(id: string): Promise<Claim> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(`SELECT status FROM outbound_message WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) return { state: 'missing' } as const;
      if (row.status === 'sent' || row.status === 'failed') return { state: 'finished', status: row.status } as const;
      // `sending` left behind means an attempt ended without recording its outcome: it may have posted.
      const reconcile = row.status === 'sending';
      await tx.query(
        `UPDATE outbound_message SET status = 'sending', attempts = attempts + 1, first_attempt_at = coalesce(first_attempt_at, now())
          WHERE id = $1`,
        [id],
      );
      const work = await this.work(tx, id);
      return { state: 'claimed', reconcile, work: work! } as const;
    });
  }

  /** Not sent this time. `mayHaveActed` keeps the row `sending`, so the next attempt reconciles first. */
  async release(id: string, error: StoredError, mayHaveActed: boolean): Promise<void> {
    await this.db.query(`UPDATE outbound_message SET status = $2, error = $3 WHERE id = $1 AND status = 'sending'`, [
      id,
      mayHaveActed ? 'sending' : 'pending',
      JSON.stringify(error),
    ]);
  }

  async recordSent(id: string, sent: { providerId: string; at: Date; response?: unknown }, reconciled: boolean): Promise<Recorded> {
    return this.db.transaction(async (tx) => {
      const [row] = rowsOf<{ kind: OutboundKind; automatic: boolean; inbound_item_id: string | null; conversation_id: string | null }>(
        await tx.query(
          `UPDATE outbound_message SET status = 'sent', provider_id = $2, sent_at = $3, provider_response = $4, error = NULL
            WHERE id = $1 AND status <> 'sent'
          RETURNING kind, automatic, inbound_item_id, conversation_id`,
          [id, sent.providerId, sent.at, JSON.stringify({ ...(sent.response ? { answer: sent.response } : {}), reconciled })],
        ),
      );
      if (!row) return { itemId: null, conversationId: null, firstResponse: false };
      let firstResponse = false;
      if (row.inbound_item_id && RESPONSE_KINDS.includes(row.kind)) {
        const updated = rowsOf<{ id: string }>(
          await tx.query(
            `UPDATE inbound_item SET first_response_at = $2, first_response_automatic = $3,
                    status = CASE WHEN status IN ('received','triaged') THEN $4 ELSE status END
              WHERE id = $1 AND first_response_at IS NULL RETURNING id`,
            [row.inbound_item_id, sent.at, row.automatic, row.automatic ? 'deflected' : 'responded'],
          ),
        );
        firstResponse = updated.length > 0;
        if (firstResponse && row.conversation_id) await this.refreshConversationDue(tx, row.conversation_id);
      }
      if (row.inbound_item_id && (row.kind === 'hide' || row.kind === 'unhide')) {
        await tx.query(`UPDATE inbound_item SET hidden_at = CASE WHEN $2 THEN coalesce(hidden_at, $3) ELSE NULL END WHERE id = $1`, [
          row.inbound_item_id,
          row.kind === 'hide',
          sent.at,
        ]);
      }
      await this.audit(tx, 'outbound.sent', id, { providerId: sent.providerId, reconciled, kind: row.kind, itemId: row.inbound_item_id });
      return { itemId: row.inbound_item_id, conversationId: row.conversation_id, firstResponse };
    });
  }

  /**
   * Gives up on the row with a reason a person reads, and puts its item back in front of a person:
   * the conversation reopens and is due no later than the item.
   */
  async recordFailed(id: string, error: StoredError): Promise<Recorded> {
    return this.db.transaction(async (tx) => {
      const [row] = rowsOf<{ kind: OutboundKind; inbound_item_id: string | null; conversation_id: string | null }>(
        await tx.query(
          `UPDATE outbound_message SET status = 'failed', error = $2 WHERE id = $1 AND status IN ('pending','sending')
          RETURNING kind, inbound_item_id, conversation_id`,
          [id, JSON.stringify(error)],
        ),
      );
      if (!row) return { itemId: null, conversationId: null, firstResponse: false };
      if (row.conversation_id) {
        await tx.query(
          `UPDATE conversation c SET status = 'open', snoozed_until = NULL,
                  due_at = LEAST(c.due_at, (SELECT due_at FROM inbound_item WHERE id = $2))
            WHERE c.id = $1`,
          [row.conversation_id, row.inbound_item_id],
        );
      }
      await this.audit(tx, 'outbound.failed', id, { kind: row.kind, itemId: row.inbound_item_id, error: error.message });
      return { itemId: row.inbound_item_id, conversationId: row.conversation_id, firstResponse: false };
    });
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

  private async work(tx: Pick<EntityManager, 'query'>, id: string): Promise<OutboundWork | undefined> {
    const [r] = await tx.query(
      `SELECT o.id, o.kind, o.channel, o.automatic, o.template, o.body, o.recipient, o.reference, o.attempts, o.first_attempt_at, o.created_at,
              u.name AS author_name, u.initials AS author_initials,
              i.id AS item_id, i.channel AS item_channel, i.external_id, i.route, i.subject, i.body AS item_body, i.url,
              i.received_at, i.due_at, i.raw, i.reasons, c.external_id AS contact_external_id, c.handle, c.display_name
         FROM outbound_message o
         LEFT JOIN "user" u ON u.id = o.author_id
         LEFT JOIN inbound_item i ON i.id = o.inbound_item_id
         LEFT JOIN contact c ON c.id = i.contact_id
        WHERE o.id = $1`,
      [id],
    );
    if (!r) return undefined;
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
      author: r.author_name ? { name: r.author_name, initials: r.author_initials } : null,
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

  /** The conversation is due when its earliest unanswered item needing a person is (as triage reckons it). */
  private async refreshConversationDue(tx: Pick<EntityManager, 'query'>, conversationId: string): Promise<void> {
    await tx.query(
      `UPDATE conversation c SET due_at = (
         SELECT min(i.due_at) FROM inbound_item i
          WHERE i.conversation_id = c.id AND i.first_response_at IS NULL AND i.removed_at IS NULL
            AND i.route IS NOT NULL AND NOT (i.route = ANY($2::text[])))
        WHERE c.id = $1`,
      [conversationId, AUTO_CLOSED_ROUTES],
    );
  }

  private async audit(tx: Pick<EntityManager, 'query'>, action: string, id: string, details: object): Promise<void> {
    await tx.query(`INSERT INTO audit_event (action, subject_type, subject_id, details) VALUES ($1, 'outbound_message', $2, $3)`, [
      action,
      id,
      JSON.stringify(details),
    ]);
  }
}
