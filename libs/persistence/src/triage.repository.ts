import type { ActionKind, Channel, Flag, InboundKind, Route, TemplateKey } from '@desk/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from './rows.js';

/** What triage reads about an item. */
export interface TriageSubject {
  id: string;
  channel: Channel;
  contactId: string | null;
  authorName: string | null;
  threadKey: string | null;
  receivedAt: Date;
  subject: string | null;
  body: string;
  kind: InboundKind;
  parseError: string | null;
  removedAt: Date | null;
  triagedAt: Date | null;
  editedAt: Date | null;
  /** Earlier messages of the same thread, oldest first (at most five). */
  history: string[];
}

export interface PlannedOutbound {
  idempotencyKey: string;
  kind: ActionKind;
  channel: Channel;
  template?: TemplateKey;
  body?: string;
  recipient?: string | null;
}

export interface TriagePlan {
  itemId: string;
  route: Route;
  flags: Flag[];
  confidence: number;
  reasons: unknown;
  dueAt: Date;
  priority: number;
  /** An automatic route with nothing left for a person: the conversation closes. */
  closeConversation: boolean;
  /** Routes whose items need no person, for the conversation's due time. */
  autoRoutes: readonly Route[];
  windowHours: number;
  /**
   * An officer's re-route: the item stays in its conversation, and the conversation takes the
   * item's new route and priority even when that is a step down (urgent → general).
   */
  reroute?: boolean;
  strike?: { reason: string; windowDays: number; toFlag: number };
  outbound: PlannedOutbound[];
  /**
   * The item as the decision read it (TriageSubject's triagedAt and editedAt). Given, the plan is
   * applied only if the item is still so; otherwise `TriageSuperseded` is thrown. Two runs of one
   * item can overlap (a stalled job re-run while its first worker still holds it, an edit's job
   * beside the first): the row lock alone makes them take turns, and the second would decide
   * again, or put back a decision on text that has since been edited.
   */
  seen?: { triagedAt: Date | null; editedAt: Date | null };
}

/** Thrown by `apply` when the item was decided (`decided`) or edited (`changed`) since the plan's read. */
export class TriageSuperseded extends Error {
  constructor(
    readonly itemId: string,
    readonly reason: 'decided' | 'changed',
  ) {
    super(`item ${itemId} was ${reason === 'decided' ? 'triaged by another run' : 'edited'} while this run decided it`);
  }
}

const sameInstant = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

export interface TriageOutcome {
  conversationId: string;
  /** Every outbound row of the item still pending: queue each (job ids dedupe). */
  pendingOutbound: string[];
  /** True when this strike took the author to the threshold. */
  flaggedForBlock: boolean;
}

/** Triage's reads and its one write: the whole decision in a single transaction. */
export class TriageRepository {
  constructor(private readonly db: DataSource) {}

  async loadSubject(itemId: string): Promise<TriageSubject | undefined> {
    const rows = await this.db.query(
      `SELECT i.id, i.channel, i.contact_id, i.thread_key, i.received_at, i.subject, i.body, i.kind, i.parse_error,
              i.removed_at, i.triaged_at, i.edited_at, coalesce(c.display_name, c.handle, c.external_id) AS author_name,
              coalesce((SELECT array_agg(body ORDER BY received_at) FROM (
                 SELECT h.body, h.received_at FROM inbound_item h
                  WHERE h.channel = i.channel AND h.thread_key = i.thread_key AND h.id <> i.id AND h.received_at <= i.received_at
                  ORDER BY h.received_at DESC LIMIT 5) recent), '{}') AS history
         FROM inbound_item i LEFT JOIN contact c ON c.id = i.contact_id
        WHERE i.id = $1`,
      [itemId],
    );
    const r = rows[0];
    if (!r) return undefined;
    return {
      id: r.id,
      channel: r.channel,
      contactId: r.contact_id,
      authorName: r.author_name,
      threadKey: r.thread_key,
      receivedAt: r.received_at,
      subject: r.subject,
      body: r.body,
      kind: r.kind,
      parseError: r.parse_error,
      removedAt: r.removed_at,
      triagedAt: r.triaged_at,
      editedAt: r.edited_at,
      history: r.history,
    };
  }

  async strikesSince(contactId: string, since: Date): Promise<number> {
    const rows = await this.db.query(`SELECT count(*)::int AS n FROM strike WHERE contact_id = $1 AND created_at >= $2`, [contactId, since]);
    return rows[0].n;
  }

  async pendingOutbound(itemId: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM outbound_message WHERE inbound_item_id = $1 AND status = 'pending' ORDER BY created_at, id`,
      [itemId],
    );
    return rows.map((r) => r.id);
  }

  async apply(plan: TriagePlan): Promise<TriageOutcome> {
    return this.db.transaction(async (tx) => {
      // The row lock makes two runs of the same item take turns, so the second sees the first's work.
      const [item] = await tx.query(
        `SELECT id, channel, contact_id, thread_key, received_at, conversation_id, triaged_at, edited_at FROM inbound_item WHERE id = $1 FOR UPDATE`,
        [plan.itemId],
      );
      if (!item) throw new Error(`item ${plan.itemId} not found`);
      // Compared here, as both sides were read through the same driver (timestamptz has microseconds).
      if (plan.seen && !sameInstant(item.edited_at, plan.seen.editedAt)) throw new TriageSuperseded(plan.itemId, 'changed');
      if (plan.seen && !sameInstant(item.triaged_at, plan.seen.triagedAt)) throw new TriageSuperseded(plan.itemId, 'decided');
      const conversationId = plan.reroute && item.conversation_id ? (item.conversation_id as string) : await this.conversationFor(tx, item, plan.windowHours);
      await tx.query(
        `UPDATE inbound_item SET route = $2, flags = $3, confidence = $4, reasons = $5, due_at = $6,
                triaged_at = now(), status = CASE WHEN status = 'received' THEN 'triaged' ELSE status END, conversation_id = $7
          WHERE id = $1`,
        [plan.itemId, plan.route, plan.flags, plan.confidence, JSON.stringify(plan.reasons), plan.dueAt, conversationId],
      );
      await tx.query(
        `UPDATE conversation c SET
           last_inbound_at = GREATEST(coalesce(c.last_inbound_at, $3::timestamptz), $3::timestamptz),
           priority = CASE WHEN $8::boolean OR c.status = 'closed' OR c.due_at IS NULL THEN $4::int ELSE LEAST(c.priority, $4::int) END,
           route = CASE WHEN $8::boolean OR c.status = 'closed' OR c.due_at IS NULL OR $4::int <= c.priority THEN $2::text ELSE c.route END,
           due_at = (SELECT min(due_at) FROM inbound_item
                      WHERE conversation_id = c.id AND first_response_at IS NULL AND removed_at IS NULL
                        AND route IS NOT NULL AND NOT (route = ANY($6::text[]))),
           status = CASE
             WHEN NOT $5::boolean THEN 'open'
             WHEN EXISTS (SELECT 1 FROM inbound_item WHERE conversation_id = c.id AND id <> $7::uuid AND first_response_at IS NULL
                           AND removed_at IS NULL AND route IS NOT NULL AND NOT (route = ANY($6::text[]))) THEN c.status
             ELSE 'closed' END
         WHERE c.id = $1`,
        [conversationId, plan.route, item.received_at, plan.priority, plan.closeConversation, plan.autoRoutes, plan.itemId, plan.reroute ?? false],
      );
      const flaggedForBlock = plan.strike && item.contact_id ? await this.strike(tx, item.contact_id, plan.itemId, plan.strike) : false;
      for (const o of plan.outbound) {
        await tx.query(
          `INSERT INTO outbound_message (idempotency_key, kind, channel, inbound_item_id, conversation_id, automatic, template, body, recipient)
           VALUES ($1, $2, $3, $4, $5, true, $6, $7, $8) ON CONFLICT (idempotency_key) DO NOTHING`,
          [o.idempotencyKey, o.kind, o.channel, plan.itemId, conversationId, o.template ?? null, o.body ?? null, o.recipient ?? null],
        );
      }
      await tx.query(
        `INSERT INTO audit_event (action, subject_type, subject_id, details) VALUES ('item.triaged', 'inbound_item', $1, $2)`,
        [
          plan.itemId,
          JSON.stringify({
            route: plan.route,
            flags: plan.flags,
            confidence: plan.confidence,
            reasons: plan.reasons,
            dueAt: plan.dueAt,
            conversationId,
            actions: plan.outbound.map((o) => o.idempotencyKey),
          }),
        ],
      );
      const pending: Array<{ id: string }> = await tx.query(
        `SELECT id FROM outbound_message WHERE inbound_item_id = $1 AND status = 'pending' ORDER BY created_at, id`,
        [plan.itemId],
      );
      return { conversationId, pendingOutbound: pending.map((p) => p.id), flaggedForBlock };
    });
  }

  /** The item's conversation: its thread's, else the same contact's recent one on the channel, else a new one. */
  private async conversationFor(
    tx: Pick<EntityManager, 'query'>,
    item: { channel: Channel; contact_id: string | null; thread_key: string | null; received_at: Date },
    windowHours: number,
  ): Promise<string> {
    if (item.thread_key) {
      const [byThread] = await tx.query(`SELECT id FROM conversation WHERE channel = $1 AND thread_key = $2`, [item.channel, item.thread_key]);
      if (byThread) return byThread.id;
      const [byItem] = await tx.query(
        `SELECT conversation_id AS id FROM inbound_item
          WHERE channel = $1 AND thread_key = $2 AND conversation_id IS NOT NULL LIMIT 1`,
        [item.channel, item.thread_key],
      );
      if (byItem) return byItem.id;
    }
    if (item.contact_id) {
      const [recent] = await tx.query(
        `SELECT id FROM conversation
          WHERE contact_id = $1 AND channel = $2 AND status <> 'closed'
            AND last_inbound_at >= $3::timestamptz - make_interval(hours => $4)
          ORDER BY last_inbound_at DESC LIMIT 1`,
        [item.contact_id, item.channel, item.received_at, windowHours],
      );
      if (recent) return recent.id;
    }
    const created = rowsOf<{ id: string }>(
      await tx.query(
        `INSERT INTO conversation (channel, contact_id, thread_key, last_inbound_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (channel, thread_key) WHERE thread_key IS NOT NULL DO UPDATE SET updated_at = now()
         RETURNING id`,
        [item.channel, item.contact_id, item.thread_key, item.received_at],
      ),
    );
    return created[0]!.id;
  }

  private async strike(
    tx: Pick<EntityManager, 'query'>,
    contactId: string,
    itemId: string,
    strike: NonNullable<TriagePlan['strike']>,
  ): Promise<boolean> {
    await tx.query(
      `INSERT INTO strike (contact_id, inbound_item_id, reason) VALUES ($1, $2, $3)
       ON CONFLICT (inbound_item_id) WHERE inbound_item_id IS NOT NULL DO NOTHING`,
      [contactId, itemId, strike.reason],
    );
    const [{ n }] = await tx.query(
      `SELECT count(*)::int AS n FROM strike WHERE contact_id = $1 AND created_at >= now() - make_interval(days => $2)`,
      [contactId, strike.windowDays],
    );
    if (n < strike.toFlag) return false;
    const flagged = rowsOf<{ id: string }>(
      await tx.query(`UPDATE contact SET flagged_for_block_at = now() WHERE id = $1 AND flagged_for_block_at IS NULL RETURNING id`, [contactId]),
    );
    if (flagged.length) {
      await tx.query(
        `INSERT INTO audit_event (action, subject_type, subject_id, details) VALUES ('contact.flagged_for_blocking', 'contact', $1, $2)`,
        [contactId, JSON.stringify({ strikes: n, windowDays: strike.windowDays, itemId })],
      );
    }
    return flagged.length > 0;
  }
}
