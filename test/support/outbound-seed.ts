import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import type pg from 'pg';

/** What a test says about the message being answered; the rest gets plausible defaults. */
export interface SeedItem {
  channel: 'x' | 'x_dm' | 'facebook' | 'instagram' | 'email';
  externalId?: string;
  contactId?: string;
  contactHandle?: string;
  contactName?: string;
  body?: string;
  subject?: string;
  url?: string;
  route?: string;
  raw?: unknown;
  receivedAt?: Date;
  dueAt?: Date;
}

export interface SeedOutbound {
  kind: 'reply' | 'direct_message' | 'hide' | 'unhide' | 'press_forward' | 'email' | 'alert';
  channel?: string;
  body?: string | null;
  template?: string | null;
  recipient?: string | null;
  automatic?: boolean;
  authorId?: string | null;
  /** Backdates the row, as the sweeper sees a lost one. */
  updatedAt?: Date;
}

export interface Seeded {
  itemId: string;
  conversationId: string;
  outboundId: string;
}

const PLATFORM: Record<SeedItem['channel'], string> = { x: 'x', x_dm: 'x', facebook: 'facebook', instagram: 'instagram', email: 'email' };

/** Writes a triaged item in its conversation and one outbound row for it, as triage would leave them. */
export async function seedOutbound(db: pg.Pool, item: SeedItem, outbound: SeedOutbound): Promise<Seeded> {
  const contactExternal = item.contactId ?? `${Math.floor(Math.random() * 1e15)}`;
  const [contact] = (
    await db.query(
      `INSERT INTO contact (platform, external_id, handle, display_name) VALUES ($1, $2, $3, $4)
       ON CONFLICT (platform, external_id) DO UPDATE SET handle = EXCLUDED.handle RETURNING id`,
      [PLATFORM[item.channel], contactExternal, item.contactHandle ?? `person${contactExternal.slice(-4)}`, item.contactName ?? 'A Member Of The Public'],
    )
  ).rows;
  const receivedAt = item.receivedAt ?? new Date(Date.now() - 60_000);
  const dueAt = item.dueAt ?? new Date(Date.now() + 86_400_000);
  const [conversation] = (
    await db.query(`INSERT INTO conversation (channel, contact_id, status, due_at, last_inbound_at) VALUES ($1, $2, 'closed', NULL, $3) RETURNING id`, [
      item.channel,
      contact.id,
      receivedAt,
    ])
  ).rows;
  const [row] = (
    await db.query(
      `INSERT INTO inbound_item (channel, external_id, conversation_id, contact_id, received_at, subject, body, url, raw, status, route, due_at, triaged_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'triaged', $10, $11, now()) RETURNING id`,
      [
        item.channel,
        item.externalId ?? `${Date.now()}${Math.floor(Math.random() * 1e6)}`,
        conversation.id,
        contact.id,
        receivedAt,
        item.subject ?? null,
        item.body ?? 'Is it safe to take ibuprofen with my blood pressure tablets?',
        item.url ?? null,
        JSON.stringify(item.raw ?? {}),
        item.route ?? 'clinical',
        dueAt,
      ],
    )
  ).rows;
  const outboundId = await addOutbound(db, { itemId: row.id, conversationId: conversation.id, channel: item.channel }, outbound);
  return { itemId: row.id, conversationId: conversation.id, outboundId };
}

/** Another outbound row for an item already seeded (a hide beside a reply). */
export async function addOutbound(db: pg.Pool, to: { itemId: string; conversationId: string; channel: string }, outbound: SeedOutbound): Promise<string> {
  const [out] = (
    await db.query(
      `INSERT INTO outbound_message (idempotency_key, kind, channel, inbound_item_id, conversation_id, author_id, automatic, template, body, recipient, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, coalesce($11, now())) RETURNING id`,
      [
        `${to.itemId}:${outbound.kind}-${randomUUID().slice(0, 8)}`,
        outbound.kind,
        outbound.channel ?? to.channel,
        to.itemId,
        to.conversationId,
        outbound.authorId ?? null,
        outbound.automatic ?? true,
        outbound.template ?? null,
        outbound.body === undefined ? 'Please call NHS 111 for advice.' : outbound.body,
        outbound.recipient ?? null,
        outbound.updatedAt ?? null,
      ],
    )
  ).rows;
  return out.id;
}

/** Queues the row's job as triage and the desk do: the id comes from the row. */
export async function queueSend(queue: Queue, outboundId: string): Promise<void> {
  await queue.add('outbound.send', { v: 1, outboundId }, { jobId: `outbound-send-${outboundId}`, attempts: 8, backoff: { type: 'exponential', delay: 500 } });
}

export async function outboundRow(db: pg.Pool, id: string) {
  return (await db.query(`SELECT * FROM outbound_message WHERE id = $1`, [id])).rows[0];
}

/** Waits for the row to leave pending/sending; fails with its state if it does not. */
export async function settled(db: pg.Pool, id: string, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let row;
  while (Date.now() < deadline) {
    row = await outboundRow(db, id);
    if (row && (row.status === 'sent' || row.status === 'failed')) return row;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`outbound ${id} did not settle: ${JSON.stringify(row)}`);
}

/**
 * Rows earlier suites left unsent (triage's, with no responder running) would be found by this
 * suite's sweeper and sent to this suite's fakes. The suites share one database, so they are closed first.
 */
export async function settleOtherSuitesRows(db: pg.Pool): Promise<void> {
  await db.query(
    `UPDATE outbound_message SET status = 'failed', error = '{"kind":"permanent","message":"left by an earlier test suite"}'
      WHERE status IN ('pending','sending')`,
  );
}
