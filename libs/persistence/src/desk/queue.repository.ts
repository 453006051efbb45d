import type { Channel, ConversationStatus, Flag, Route } from '@desk/domain';
import type { DataSource } from 'typeorm';

export interface QueueFilter {
  status: ConversationStatus;
  channel?: Channel;
  route?: Route;
  /** A user id, or null for "unassigned". Undefined: anyone. */
  assigneeId?: string | null;
  flag?: Flag;
  search?: string;
  after?: QueueCursor;
  limit: number;
}

/** Where a page ended: the last row's sort key. */
export interface QueueCursor {
  priority: number;
  /** Postgres's own text of due_at, to the microsecond: a JS Date would round it and repeat rows. */
  due: string | null;
  id: string;
}

export interface QueueRecord {
  id: string;
  channel: Channel;
  status: ConversationStatus;
  route: Route | null;
  priority: number;
  flags: Flag[];
  dueAt: Date | null;
  /** due_at exactly, for the next page's cursor. */
  dueKey: string | null;
  snoozedUntil: Date | null;
  lastInboundAt: Date | null;
  assignee: { id: string; name: string; initials: string } | null;
  contact: { id: string; handle: string | null; displayName: string | null; flaggedForBlockAt: Date | null; strikes: number } | null;
  subject: string | null;
  body: string | null;
  /** Whether anything in the conversation still awaits a first response. */
  awaiting: boolean;
  itemCount: number;
}

/** `%` and `_` are wildcards to ILIKE; a searched "50%" means the characters. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The desk's queue. Keyset paging over (priority, due, id) — the same order as the index
 * `conversation_queue_keyset` — so page 500 costs what page 1 costs.
 */
export class QueueRepository {
  constructor(private readonly db: DataSource) {}

  async page(filter: QueueFilter): Promise<QueueRecord[]> {
    const where = ['c.status = $1'];
    const values: unknown[] = [filter.status];
    const add = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    if (filter.channel) where.push(`c.channel = ${add(filter.channel)}`);
    if (filter.route) where.push(`c.route = ${add(filter.route)}`);
    if (filter.assigneeId === null) where.push(`c.assignee_id IS NULL`);
    else if (filter.assigneeId) where.push(`c.assignee_id = ${add(filter.assigneeId)}`);
    if (filter.flag) where.push(`EXISTS (SELECT 1 FROM inbound_item f WHERE f.conversation_id = c.id AND ${add(filter.flag)} = ANY (f.flags))`);
    if (filter.after) {
      where.push(
        `(c.priority, coalesce(c.due_at, 'infinity'::timestamptz), c.id) > (${add(filter.after.priority)}, coalesce(${add(filter.after.due)}::timestamptz, 'infinity'::timestamptz), ${add(filter.after.id)}::uuid)`,
      );
    }
    const limit = add(filter.limit);
    const order = `c.priority, coalesce(c.due_at, 'infinity'::timestamptz), c.id`;
    if (filter.search) {
      const pattern = add(likePattern(filter.search));
      const authors = `c.contact_id IN (SELECT a.id FROM contact a WHERE (coalesce(a.handle, '') || ' ' || coalesce(a.display_name, '')) ILIKE ${pattern})`;
      if (filter.search.length >= 3) {
        // Text or author: the first page of each, merged below. As one OR the planner can only
        // collect every match in two years of items before it looks at the queue (most of a second
        // for a common word); apart, it walks the queue checking each conversation when matches
        // are common and gathers them from the trigram indexes when they are rare.
        const filtered = where.join(' AND ');
        const text = `EXISTS (SELECT 1 FROM inbound_item s WHERE s.conversation_id = c.id AND (s.body ILIKE ${pattern} OR s.subject ILIKE ${pattern}))`;
        where.splice(0, where.length, `c.id IN (
          (SELECT c.id FROM conversation c WHERE ${filtered} AND ${text} ORDER BY ${order} LIMIT ${limit})
          UNION ALL
          (SELECT c.id FROM conversation c WHERE ${filtered} AND ${authors} ORDER BY ${order} LIMIT ${limit}))`);
      } else {
        // Under three characters the trigram indexes can't help: search authors only.
        where.push(authors);
      }
    }
    const rows = await this.db.query(
      `SELECT c.id, c.channel, c.status, c.route, c.priority, c.due_at, c.due_at::text AS due_key, c.snoozed_until, c.last_inbound_at,
              u.id AS assignee_id, u.name AS assignee_name, u.initials AS assignee_initials,
              ct.id AS contact_id, ct.handle, ct.display_name, ct.flagged_for_block_at,
              (SELECT count(*)::int FROM strike s WHERE s.contact_id = c.contact_id) AS strikes,
              items.flags, items.awaiting, items.item_count, last.subject, last.body
         FROM conversation c
         LEFT JOIN "user" u ON u.id = c.assignee_id
         LEFT JOIN contact ct ON ct.id = c.contact_id
         LEFT JOIN LATERAL (
           SELECT i.subject, left(i.body, 400) AS body FROM inbound_item i
            WHERE i.conversation_id = c.id ORDER BY i.received_at DESC LIMIT 1) last ON true
         LEFT JOIN LATERAL (
           SELECT count(*)::int AS item_count,
                  bool_or(i.first_response_at IS NULL AND i.removed_at IS NULL AND i.due_at IS NOT NULL) AS awaiting,
                  coalesce((SELECT array_agg(DISTINCT f) FROM inbound_item j, unnest(j.flags) f WHERE j.conversation_id = c.id), '{}') AS flags
             FROM inbound_item i WHERE i.conversation_id = c.id) items ON true
        WHERE ${where.join(' AND ')}
        ORDER BY ${order}
        LIMIT ${limit}`,
      values,
    );
    return rows.map(
      (r: QueueRow): QueueRecord => ({
        id: r.id,
        channel: r.channel,
        status: r.status,
        route: r.route,
        priority: r.priority,
        flags: r.flags ?? [],
        dueAt: r.due_at,
        dueKey: r.due_key,
        snoozedUntil: r.snoozed_until,
        lastInboundAt: r.last_inbound_at,
        assignee: r.assignee_id ? { id: r.assignee_id, name: r.assignee_name, initials: r.assignee_initials } : null,
        contact: r.contact_id
          ? { id: r.contact_id, handle: r.handle, displayName: r.display_name, flaggedForBlockAt: r.flagged_for_block_at, strikes: r.strikes }
          : null,
        subject: r.subject,
        body: r.body,
        awaiting: Boolean(r.awaiting),
        itemCount: r.item_count ?? 0,
      }),
    );
  }
}

interface QueueRow {
  id: string;
  channel: Channel;
  status: ConversationStatus;
  route: Route | null;
  priority: number;
  flags: Flag[] | null;
  due_at: Date | null;
  due_key: string | null;
  snoozed_until: Date | null;
  last_inbound_at: Date | null;
  assignee_id: string | null;
  assignee_name: string;
  assignee_initials: string;
  contact_id: string | null;
  handle: string | null;
  display_name: string | null;
  flagged_for_block_at: Date | null;
  strikes: number;
  subject: string | null;
  body: string | null;
  awaiting: boolean | null;
  item_count: number | null;
}
