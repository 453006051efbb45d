import type { Channel, ConversationStatus, Flag, OutboundKind, OutboundStatus, Route } from '@desk/domain';
import type { DataSource } from 'typeorm';

export interface PersonRef {
  id: string;
  name: string;
  initials: string;
}

export interface ConversationRecord {
  id: string;
  channel: Channel;
  status: ConversationStatus;
  route: Route | null;
  priority: number;
  dueAt: Date | null;
  snoozedUntil: Date | null;
  assignee: PersonRef | null;
  contact: { id: string; handle: string | null; displayName: string | null; flaggedForBlockAt: Date | null } | null;
  items: ItemRecord[];
  outbound: OutboundRecord[];
  notes: Array<{ id: string; at: Date; author: PersonRef | null; body: string }>;
  events: Array<{ id: string; at: Date; actor: PersonRef | null; action: string; details: Record<string, unknown> }>;
  strikes: Array<{ id: string; at: Date; reason: string; itemId: string | null; by: PersonRef | null }>;
  history: Array<{ id: string; channel: Channel; route: Route | null; status: ConversationStatus; lastInboundAt: Date | null; preview: string }>;
}

export interface ItemRecord {
  id: string;
  channel: Channel;
  kind: string;
  receivedAt: Date;
  subject: string | null;
  body: string;
  url: string | null;
  route: Route | null;
  flags: Flag[];
  confidence: number | null;
  reasons: unknown;
  dueAt: Date | null;
  firstResponseAt: Date | null;
  firstResponseAutomatic: boolean | null;
  hiddenAt: Date | null;
  removedAt: Date | null;
  editedAt: Date | null;
  parseError: string | null;
  raw: unknown;
  reroutedFrom: Route | null;
  attachments: Array<{ filename: string | null; contentType: string | null; size: number }>;
}

export interface OutboundRecord {
  id: string;
  kind: OutboundKind;
  channel: Channel;
  createdAt: Date;
  itemId: string | null;
  body: string | null;
  template: string | null;
  automatic: boolean;
  author: PersonRef | null;
  status: OutboundStatus;
  attempts: number;
  sentAt: Date | null;
  error: unknown;
  reference: string | null;
  recipient: string | null;
}

/** How much of one conversation the desk loads; a longer one shows its newest part. */
const TIMELINE_CAP = 500;

const person = (id: string | null, name: string | null, initials: string | null): PersonRef | null =>
  id ? { id, name: name ?? '', initials: initials ?? '' } : null;

/** Everything the conversation page shows, read in a handful of indexed queries. */
export class ConversationRepository {
  constructor(private readonly db: DataSource) {}

  async load(id: string): Promise<ConversationRecord | undefined> {
    const [c] = await this.db.query(
      `SELECT c.*, u.name AS assignee_name, u.initials AS assignee_initials,
              ct.handle, ct.display_name, ct.flagged_for_block_at
         FROM conversation c LEFT JOIN "user" u ON u.id = c.assignee_id LEFT JOIN contact ct ON ct.id = c.contact_id
        WHERE c.id = $1`,
      [id],
    );
    if (!c) return undefined;
    const items = await this.items(id);
    const itemIds = items.map((i) => i.id);
    const [outbound, notes, events, strikes, history] = await Promise.all([
      this.outbound(id),
      this.notes(id),
      this.events(id, itemIds),
      c.contact_id ? this.strikes(c.contact_id) : [],
      c.contact_id ? this.history(c.contact_id, id) : [],
    ]);
    return {
      id: c.id,
      channel: c.channel,
      status: c.status,
      route: c.route,
      priority: c.priority,
      dueAt: c.due_at,
      snoozedUntil: c.snoozed_until,
      assignee: person(c.assignee_id, c.assignee_name, c.assignee_initials),
      contact: c.contact_id ? { id: c.contact_id, handle: c.handle, displayName: c.display_name, flaggedForBlockAt: c.flagged_for_block_at } : null,
      items,
      outbound,
      notes,
      events,
      strikes,
      history,
    };
  }

  /**
   * The item a reply answers: the one named, if it is in the conversation; else the oldest still
   * awaiting an answer; else the newest message.
   */
  async replyTarget(conversationId: string, itemId?: string): Promise<{ itemId: string; channel: Channel } | undefined> {
    const [row] = itemId
      ? await this.db.query(`SELECT id, channel FROM inbound_item WHERE id = $1 AND conversation_id = $2`, [itemId, conversationId])
      : await this.db.query(
          `SELECT id, channel FROM inbound_item WHERE conversation_id = $1 AND kind = 'message' AND removed_at IS NULL
            ORDER BY (first_response_at IS NULL AND due_at IS NOT NULL) DESC,
                     CASE WHEN first_response_at IS NULL AND due_at IS NOT NULL THEN received_at END ASC,
                     received_at DESC
            LIMIT 1`,
          [conversationId],
        );
    return row ? { itemId: row.id, channel: row.channel } : undefined;
  }

  async conversationOf(itemId: string): Promise<string | null> {
    const [row] = await this.db.query(`SELECT conversation_id FROM inbound_item WHERE id = $1`, [itemId]);
    return row?.conversation_id ?? null;
  }

  async itemChannel(itemId: string): Promise<Channel | undefined> {
    const [row] = await this.db.query(`SELECT channel FROM inbound_item WHERE id = $1`, [itemId]);
    return row?.channel;
  }

  /** The newest outbound or note in the conversation: what a reply is "based on". */
  async version(id: string): Promise<string> {
    const [row] = await this.db.query(
      `SELECT coalesce(max(at), 'epoch'::timestamptz) AS at FROM (
         SELECT max(created_at) AS at FROM outbound_message WHERE conversation_id = $1 AND kind IN ('reply','direct_message','email')
         UNION ALL SELECT max(created_at) FROM conversation_note WHERE conversation_id = $1) v`,
      [id],
    );
    return (row.at as Date).toISOString();
  }

  private async items(conversationId: string): Promise<ItemRecord[]> {
    const rows = await this.db.query(
      `SELECT * FROM (
         SELECT i.id, i.channel, i.kind, i.received_at, i.subject, i.body, i.url, i.route, i.flags, i.confidence, i.reasons,
                i.due_at, i.first_response_at, i.first_response_automatic, i.hidden_at, i.removed_at, i.edited_at,
                i.parse_error, CASE WHEN i.parse_error IS NOT NULL THEN i.raw END AS raw, i.rerouted_from,
                coalesce((SELECT json_agg(json_build_object('filename', a.filename, 'contentType', a.content_type, 'size', a.size))
                            FROM inbound_attachment a WHERE a.inbound_item_id = i.id), '[]') AS attachments
           FROM inbound_item i WHERE i.conversation_id = $1 ORDER BY i.received_at DESC LIMIT ${TIMELINE_CAP}) t
        ORDER BY received_at`,
      [conversationId],
    );
    return rows.map(
      (r: ItemRow): ItemRecord => ({
        id: r.id,
        channel: r.channel,
        kind: r.kind,
        receivedAt: r.received_at,
        subject: r.subject,
        body: r.body,
        url: r.url,
        route: r.route,
        flags: r.flags,
        confidence: r.confidence,
        reasons: r.reasons,
        dueAt: r.due_at,
        firstResponseAt: r.first_response_at,
        firstResponseAutomatic: r.first_response_automatic,
        hiddenAt: r.hidden_at,
        removedAt: r.removed_at,
        editedAt: r.edited_at,
        parseError: r.parse_error,
        raw: r.raw,
        reroutedFrom: r.rerouted_from,
        attachments: r.attachments,
      }),
    );
  }

  private async outbound(conversationId: string): Promise<OutboundRecord[]> {
    const rows = await this.db.query(
      `SELECT o.id, o.kind, o.channel, o.created_at, o.inbound_item_id, o.body, o.template, o.automatic, o.status, o.attempts,
              o.sent_at, o.error, o.reference, o.recipient, u.id AS author_id, u.name AS author_name, u.initials AS author_initials
         FROM outbound_message o LEFT JOIN "user" u ON u.id = o.author_id
        WHERE o.conversation_id = $1 ORDER BY o.created_at DESC LIMIT ${TIMELINE_CAP}`,
      [conversationId],
    );
    return rows.reverse().map(
      (r: OutboundRow): OutboundRecord => ({
        id: r.id,
        kind: r.kind,
        channel: r.channel,
        createdAt: r.created_at,
        itemId: r.inbound_item_id,
        body: r.body,
        template: r.template,
        automatic: r.automatic,
        author: person(r.author_id, r.author_name, r.author_initials),
        status: r.status,
        attempts: r.attempts,
        sentAt: r.sent_at,
        error: r.error,
        reference: r.reference,
        recipient: r.recipient,
      }),
    );
  }

  private async notes(conversationId: string): Promise<ConversationRecord['notes']> {
    const rows = await this.db.query(
      `SELECT n.id, n.created_at, n.body, u.id AS author_id, u.name, u.initials
         FROM conversation_note n LEFT JOIN "user" u ON u.id = n.author_id
        WHERE n.conversation_id = $1 ORDER BY n.created_at LIMIT ${TIMELINE_CAP}`,
      [conversationId],
    );
    return rows.map((r: PersonRow & { id: string; created_at: Date; body: string; author_id: string | null }) => ({
      id: r.id,
      at: r.created_at,
      author: person(r.author_id, r.name, r.initials),
      body: r.body,
    }));
  }

  private async events(conversationId: string, itemIds: string[]): Promise<ConversationRecord['events']> {
    const rows = await this.db.query(
      `SELECT * FROM (
         SELECT e.id::text, e.at, e.action, e.details, u.id AS actor_id, u.name, u.initials
           FROM audit_event e LEFT JOIN "user" u ON u.id = e.actor_id
          WHERE (e.subject_type = 'conversation' AND e.subject_id = $1)
             OR (e.subject_type = 'inbound_item' AND e.subject_id = ANY ($2::text[]))
          ORDER BY e.at DESC LIMIT ${TIMELINE_CAP}) t ORDER BY at`,
      [conversationId, itemIds],
    );
    return rows.map((r: PersonRow & { id: string; at: Date; action: string; details: Record<string, unknown>; actor_id: string | null }) => ({
      id: r.id,
      at: r.at,
      actor: person(r.actor_id, r.name, r.initials),
      action: r.action,
      details: r.details,
    }));
  }

  private async strikes(contactId: string): Promise<ConversationRecord['strikes']> {
    const rows = await this.db.query(
      `SELECT s.id, s.created_at, s.reason, s.inbound_item_id, u.id AS by_id, u.name, u.initials
         FROM strike s LEFT JOIN "user" u ON u.id = s.created_by WHERE s.contact_id = $1 ORDER BY s.created_at DESC LIMIT 100`,
      [contactId],
    );
    return rows.map((r: PersonRow & { id: string; created_at: Date; reason: string; inbound_item_id: string | null; by_id: string | null }) => ({
      id: r.id,
      at: r.created_at,
      reason: r.reason,
      itemId: r.inbound_item_id,
      by: person(r.by_id, r.name, r.initials),
    }));
  }

  private async history(contactId: string, exclude: string): Promise<ConversationRecord['history']> {
    const rows = await this.db.query(
      `SELECT c.id, c.channel, c.route, c.status, c.last_inbound_at,
              (SELECT left(i.body, 200) FROM inbound_item i WHERE i.conversation_id = c.id ORDER BY i.received_at DESC LIMIT 1) AS preview
         FROM conversation c WHERE c.contact_id = $1 AND c.id <> $2 ORDER BY c.last_inbound_at DESC NULLS LAST LIMIT 20`,
      [contactId, exclude],
    );
    return rows.map((r: { id: string; channel: Channel; route: Route | null; status: ConversationStatus; last_inbound_at: Date | null; preview: string | null }) => ({
      id: r.id,
      channel: r.channel,
      route: r.route,
      status: r.status,
      lastInboundAt: r.last_inbound_at,
      preview: r.preview ?? '',
    }));
  }
}

interface PersonRow {
  name: string | null;
  initials: string | null;
}

interface ItemRow {
  id: string;
  channel: Channel;
  kind: string;
  received_at: Date;
  subject: string | null;
  body: string;
  url: string | null;
  route: Route | null;
  flags: Flag[];
  confidence: number | null;
  reasons: unknown;
  due_at: Date | null;
  first_response_at: Date | null;
  first_response_automatic: boolean | null;
  hidden_at: Date | null;
  removed_at: Date | null;
  edited_at: Date | null;
  parse_error: string | null;
  raw: unknown;
  rerouted_from: Route | null;
  attachments: Array<{ filename: string | null; contentType: string | null; size: number }>;
}

interface OutboundRow {
  id: string;
  kind: OutboundKind;
  channel: Channel;
  created_at: Date;
  inbound_item_id: string | null;
  body: string | null;
  template: string | null;
  automatic: boolean;
  status: OutboundStatus;
  attempts: number;
  sent_at: Date | null;
  error: unknown;
  reference: string | null;
  recipient: string | null;
  author_id: string | null;
  author_name: string | null;
  author_initials: string | null;
}
