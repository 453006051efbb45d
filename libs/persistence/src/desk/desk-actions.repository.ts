import type { Channel, OutboundKind, Route } from '@desk/domain';
import type { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../rows.js';

type Tx = Pick<EntityManager, 'query'>;

export type AssignResult =
  | { ok: true; previous: string | null; conversationId: string }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'held'; holder: { id: string; name: string; initials: string } };

export interface ReplyDraft {
  conversationId: string;
  itemId: string;
  kind: Extract<OutboundKind, 'reply' | 'direct_message' | 'email'>;
  channel: Channel;
  body: string;
  template: string | null;
  authorId: string;
  /** The conversation version the officer saw; a human reply since then is a collision. */
  basedOn: Date;
  force: boolean;
}

export type ReplyResult =
  | { ok: true; outboundId: string }
  | { ok: false; reason: 'not_found' }
  | {
      ok: false;
      reason: 'replied_since' | 'assigned_to_other';
      by: { id: string; name: string; initials: string } | null;
      at: Date | null;
      text: string | null;
    };

/**
 * Officers' actions. Each one changes its rows and writes its audit event in one transaction, so
 * the audit log never says something happened that didn't, or misses something that did.
 */
export class DeskActionsRepository {
  constructor(private readonly db: DataSource) {}

  async assign(conversationId: string, assigneeId: string | null, actorId: string, claim: boolean): Promise<AssignResult> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(
        `SELECT c.assignee_id, u.name, u.initials FROM conversation c LEFT JOIN "user" u ON u.id = c.assignee_id WHERE c.id = $1 FOR UPDATE OF c`,
        [conversationId],
      );
      if (!row) return { ok: false, reason: 'not_found' } as const;
      if (claim && row.assignee_id && row.assignee_id !== actorId) {
        return { ok: false, reason: 'held', holder: { id: row.assignee_id, name: row.name, initials: row.initials } } as const;
      }
      if (row.assignee_id === assigneeId) return { ok: true, previous: row.assignee_id, conversationId } as const;
      await tx.query(`UPDATE conversation SET assignee_id = $2 WHERE id = $1`, [conversationId, assigneeId]);
      const action = assigneeId === null ? 'conversation.unassigned' : claim ? 'conversation.claimed' : 'conversation.assigned';
      await audit(tx, actorId, action, 'conversation', conversationId, { from: row.assignee_id, to: assigneeId });
      return { ok: true, previous: row.assignee_id, conversationId } as const;
    });
  }

  /** Close or reopen. Returns false when the conversation doesn't exist. */
  async setStatus(conversationId: string, status: 'open' | 'closed', actorId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const updated = rowsOf<{ previous: string }>(
        await tx.query(
          `UPDATE conversation c SET status = $2, snoozed_until = NULL FROM conversation old
            WHERE c.id = $1 AND old.id = c.id RETURNING old.status AS previous`,
          [conversationId, status],
        ),
      );
      if (!updated.length) return false;
      await audit(tx, actorId, status === 'closed' ? 'conversation.closed' : 'conversation.reopened', 'conversation', conversationId, {
        from: updated[0]!.previous,
      });
      return true;
    });
  }

  async snooze(conversationId: string, until: Date, actorId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const updated = rowsOf<{ id: string }>(
        await tx.query(`UPDATE conversation SET status = 'snoozed', snoozed_until = $2 WHERE id = $1 RETURNING id`, [conversationId, until]),
      );
      if (!updated.length) return false;
      await audit(tx, actorId, 'conversation.snoozed', 'conversation', conversationId, { until: until.toISOString() });
      return true;
    });
  }

  /** Reopens a snoozed conversation whose time has come; a later snooze or a close wins. */
  async wake(conversationId: string, now: Date): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const updated = rowsOf<{ id: string }>(
        await tx.query(
          `UPDATE conversation SET status = 'open', snoozed_until = NULL
            WHERE id = $1 AND status = 'snoozed' AND snoozed_until <= $2 RETURNING id`,
          [conversationId, now],
        ),
      );
      if (updated.length) await audit(tx, null, 'conversation.woken', 'conversation', conversationId, {});
      return updated.length > 0;
    });
  }

  /** Snoozed conversations due to wake by `now`, for the sweep that backs up delayed jobs. */
  async dueToWake(now: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.db.query(
      `SELECT id FROM conversation WHERE status = 'snoozed' AND snoozed_until <= $1 ORDER BY snoozed_until LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  async addNote(conversationId: string, actorId: string, body: string): Promise<string | undefined> {
    return this.db.transaction(async (tx) => {
      const [exists] = await tx.query(`SELECT 1 FROM conversation WHERE id = $1`, [conversationId]);
      if (!exists) return undefined;
      const [row] = await tx.query(`INSERT INTO conversation_note (conversation_id, author_id, body) VALUES ($1, $2, $3) RETURNING id`, [
        conversationId,
        actorId,
        body,
      ]);
      await audit(tx, actorId, 'note.added', 'conversation', conversationId, { noteId: row.id });
      return row.id as string;
    });
  }

  /**
   * Queues an officer's reply, unless someone else replied (or took the conversation) since the
   * officer last looked: then the officer is told who and what, and can send anyway.
   */
  async queueReply(draft: ReplyDraft): Promise<ReplyResult> {
    return this.db.transaction(async (tx) => {
      // Locking the conversation makes two officers' sends take turns, so the second sees the first.
      const [conversation] = await tx.query(
        `SELECT c.assignee_id, u.name, u.initials FROM conversation c LEFT JOIN "user" u ON u.id = c.assignee_id WHERE c.id = $1 FOR UPDATE OF c`,
        [draft.conversationId],
      );
      if (!conversation) return { ok: false, reason: 'not_found' } as const;
      const [item] = await tx.query(`SELECT 1 FROM inbound_item WHERE id = $1 AND conversation_id = $2`, [draft.itemId, draft.conversationId]);
      if (!item) return { ok: false, reason: 'not_found' } as const;
      if (!draft.force) {
        // `basedOn` is the view's version, a JS time in whole milliseconds; created_at has microseconds,
        // so it is compared at the version's precision, or the reply the officer saw would count as newer.
        const [since] = await tx.query(
          `SELECT o.created_at, o.body, u.id, u.name, u.initials FROM outbound_message o LEFT JOIN "user" u ON u.id = o.author_id
            WHERE o.conversation_id = $1 AND o.kind IN ('reply','direct_message','email') AND date_trunc('milliseconds', o.created_at) > $2
              AND (o.author_id IS NULL OR o.author_id <> $3)
            ORDER BY o.created_at DESC LIMIT 1`,
          [draft.conversationId, draft.basedOn, draft.authorId],
        );
        if (since) {
          return {
            ok: false,
            reason: 'replied_since',
            by: since.id ? { id: since.id, name: since.name, initials: since.initials } : null,
            at: since.created_at,
            text: since.body,
          } as const;
        }
        if (conversation.assignee_id && conversation.assignee_id !== draft.authorId) {
          return {
            ok: false,
            reason: 'assigned_to_other',
            by: { id: conversation.assignee_id, name: conversation.name, initials: conversation.initials },
            at: null,
            text: null,
          } as const;
        }
      }
      const [row] = await tx.query(
        `INSERT INTO outbound_message (idempotency_key, kind, channel, inbound_item_id, conversation_id, author_id, automatic, template, body)
         VALUES ('desk-' || gen_random_uuid(), $1, $2, $3, $4, $5, false, $6, $7) RETURNING id`,
        [draft.kind, draft.channel, draft.itemId, draft.conversationId, draft.authorId, draft.template, draft.body],
      );
      await audit(tx, draft.authorId, 'reply.queued', 'conversation', draft.conversationId, {
        outboundId: row.id,
        itemId: draft.itemId,
        kind: draft.kind,
        forced: draft.force,
      });
      return { ok: true, outboundId: row.id as string } as const;
    });
  }

  /** Queues a hide or unhide; a second click while the first is still in flight returns the first. */
  async queueModeration(itemId: string, kind: 'hide' | 'unhide', actorId: string): Promise<{ outboundId: string; conversationId: string | null } | undefined> {
    return this.db.transaction(async (tx) => {
      const [item] = await tx.query(`SELECT id, channel, conversation_id FROM inbound_item WHERE id = $1 FOR UPDATE`, [itemId]);
      if (!item) return undefined;
      const [inFlight] = await tx.query(
        `SELECT id FROM outbound_message WHERE inbound_item_id = $1 AND kind = $2 AND status IN ('pending','sending') LIMIT 1`,
        [itemId, kind],
      );
      if (inFlight) return { outboundId: inFlight.id as string, conversationId: item.conversation_id as string | null };
      const [row] = await tx.query(
        `INSERT INTO outbound_message (idempotency_key, kind, channel, inbound_item_id, conversation_id, author_id, automatic)
         VALUES ('desk-' || gen_random_uuid(), $1, $2, $3, $4, $5, false) RETURNING id`,
        [kind, item.channel, itemId, item.conversation_id, actorId],
      );
      await audit(tx, actorId, `item.${kind}_requested`, 'inbound_item', itemId, { outboundId: row.id });
      return { outboundId: row.id as string, conversationId: item.conversation_id as string | null };
    });
  }

  /** Puts a failed row back to pending for another go; returns its conversation, or undefined if it wasn't failed. */
  async retry(outboundId: string, actorId: string): Promise<{ conversationId: string | null; attempts: number; kind: OutboundKind } | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = rowsOf<{ conversation_id: string | null; attempts: number; error: unknown; kind: OutboundKind }>(
        await tx.query(
          `UPDATE outbound_message o SET status = 'pending', first_attempt_at = NULL FROM outbound_message old
            WHERE o.id = $1 AND old.id = o.id AND o.status = 'failed' RETURNING o.conversation_id, o.attempts, o.kind, old.error`,
          [outboundId],
        ),
      );
      if (!row) return undefined;
      await audit(tx, actorId, 'outbound.retried', 'conversation', row.conversation_id ?? outboundId, { outboundId, previousError: row.error });
      return { conversationId: row.conversation_id, attempts: row.attempts, kind: row.kind };
    });
  }

  /** Records a strike against the item's author; flags them for blocking at `toFlag` strikes in the window. */
  async strike(
    itemId: string,
    reason: string,
    actorId: string,
    policy: { windowDays: number; toFlag: number },
  ): Promise<{ contactId: string; strikes: number; flagged: boolean; duplicate: boolean } | undefined> {
    return this.db.transaction(async (tx) => {
      const [item] = await tx.query(`SELECT contact_id FROM inbound_item WHERE id = $1`, [itemId]);
      if (!item?.contact_id) return undefined;
      const inserted = await tx.query(
        `INSERT INTO strike (contact_id, inbound_item_id, reason, created_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (inbound_item_id) WHERE inbound_item_id IS NOT NULL DO NOTHING RETURNING id`,
        [item.contact_id, itemId, reason, actorId],
      );
      const [{ n }] = await tx.query(
        `SELECT count(*)::int AS n FROM strike WHERE contact_id = $1 AND created_at >= now() - make_interval(days => $2)`,
        [item.contact_id, policy.windowDays],
      );
      if (inserted.length) await audit(tx, actorId, 'strike.added', 'inbound_item', itemId, { reason, contactId: item.contact_id, strikes: n });
      let flagged = false;
      if (n >= policy.toFlag) flagged = await flag(tx, item.contact_id, actorId, { strikes: n, itemId });
      return { contactId: item.contact_id as string, strikes: n, flagged, duplicate: inserted.length === 0 };
    });
  }

  async flagForBlocking(contactId: string, actorId: string, reason: string): Promise<boolean | undefined> {
    return this.db.transaction(async (tx) => {
      const [contact] = await tx.query(`SELECT 1 FROM contact WHERE id = $1`, [contactId]);
      if (!contact) return undefined;
      return flag(tx, contactId, actorId, { reason });
    });
  }

  /** Marks an officer's re-route; the triage worker then applies the new route and its actions. */
  async markReroute(itemId: string, route: Route, reason: string, actorId: string): Promise<{ from: Route | null; conversationId: string | null } | undefined> {
    return this.db.transaction(async (tx) => {
      const [item] = await tx.query(`SELECT route, conversation_id FROM inbound_item WHERE id = $1 FOR UPDATE`, [itemId]);
      if (!item) return undefined;
      await tx.query(
        `UPDATE inbound_item SET rerouted_from = coalesce(rerouted_from, route), rerouted_at = now(), rerouted_by = $2 WHERE id = $1`,
        [itemId, actorId],
      );
      await audit(tx, actorId, 'item.rerouted', 'inbound_item', itemId, { from: item.route, to: route, reason });
      return { from: item.route as Route | null, conversationId: item.conversation_id as string | null };
    });
  }

  /** Every hidden item by a contact, oldest first: the evidence a platform asks for. */
  async offences(contactId: string): Promise<Array<{ channel: Channel; url: string | null; body: string; receivedAt: Date; hiddenAt: Date; route: Route | null; strike: string | null }>> {
    const rows = await this.db.query(
      `SELECT i.channel, i.url, i.body, i.received_at, i.hidden_at, i.route, s.reason AS strike
         FROM inbound_item i LEFT JOIN strike s ON s.inbound_item_id = i.id
        WHERE i.contact_id = $1 AND i.hidden_at IS NOT NULL ORDER BY i.received_at`,
      [contactId],
    );
    return rows.map((r: { channel: Channel; url: string | null; body: string; received_at: Date; hidden_at: Date; route: Route | null; strike: string | null }) => ({
      channel: r.channel,
      url: r.url,
      body: r.body,
      receivedAt: r.received_at,
      hiddenAt: r.hidden_at,
      route: r.route,
      strike: r.strike,
    }));
  }

  async contact(contactId: string): Promise<{ handle: string | null; displayName: string | null; platform: string } | undefined> {
    const [row] = await this.db.query(`SELECT handle, display_name, platform FROM contact WHERE id = $1`, [contactId]);
    return row ? { handle: row.handle, displayName: row.display_name, platform: row.platform } : undefined;
  }

  async recordExport(actorId: string, contactId: string, rows: number): Promise<void> {
    await audit(this.db, actorId, 'contact.offences_exported', 'contact', contactId, { rows });
  }
}

async function flag(tx: Tx, contactId: string, actorId: string, details: Record<string, unknown>): Promise<boolean> {
  const flagged = rowsOf<{ id: string }>(
    await tx.query(`UPDATE contact SET flagged_for_block_at = now() WHERE id = $1 AND flagged_for_block_at IS NULL RETURNING id`, [contactId]),
  );
  if (flagged.length) await audit(tx, actorId, 'contact.flagged_for_blocking', 'contact', contactId, details);
  return flagged.length > 0;
}

export async function audit(tx: Tx, actorId: string | null, action: string, subjectType: string, subjectId: string, details: Record<string, unknown>): Promise<void> {
  await tx.query(`INSERT INTO audit_event (actor_id, action, subject_type, subject_id, details) VALUES ($1, $2, $3, $4, $5)`, [
    actorId,
    action,
    subjectType,
    subjectId,
    JSON.stringify(details),
  ]);
}
