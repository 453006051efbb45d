import type { ActionKind, Channel, Flag, InboundKind, Route, TemplateKey } from '@desk/domain';
import type { DataSource } from 'typeorm';

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
  /** The author's strikes in the strike window the read was given. */
  strikes: number;
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

  async loadSubject(itemId: string, strikesSince: Date): Promise<TriageSubject | undefined> {
    return (await this.loadSubjects([itemId], strikesSince)).get(itemId);
  }

  /**
   * The items, by id, in one query, each with its author's strikes since `strikesSince` (the
   * start of the strike window). Ids not stored are absent from the map.
   */
  async loadSubjects(itemIds: string[], strikesSince: Date): Promise<Map<string, TriageSubject>> {
    const rows = await this.db.query(
      `SELECT i.id, i.channel, i.contact_id, i.thread_key, i.received_at, i.subject, i.body, i.kind, i.parse_error,
              i.removed_at, i.triaged_at, i.edited_at, coalesce(c.display_name, c.handle, c.external_id) AS author_name,
              coalesce((SELECT array_agg(body ORDER BY received_at) FROM (
                 SELECT h.body, h.received_at FROM inbound_item h
                  WHERE h.channel = i.channel AND h.thread_key = i.thread_key AND h.id <> i.id AND h.received_at <= i.received_at
                  ORDER BY h.received_at DESC LIMIT 5) recent), '{}') AS history,
              CASE WHEN i.contact_id IS NULL THEN 0
                   ELSE (SELECT count(*)::int FROM strike s WHERE s.contact_id = i.contact_id AND s.created_at >= $2::timestamptz) END AS strikes
         FROM inbound_item i LEFT JOIN contact c ON c.id = i.contact_id
        WHERE i.id = ANY($1::uuid[])`,
      [itemIds, strikesSince],
    );
    const subjects = new Map<string, TriageSubject>();
    for (const r of rows) {
      subjects.set(r.id, {
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
        strikes: r.strikes,
      });
    }
    return subjects;
  }

  /** Every still-pending outbound row of each item, in the order they were planned. */
  async pendingOutboundOf(itemIds: string[]): Promise<Map<string, string[]>> {
    const rows: Array<{ id: string; inbound_item_id: string }> = await this.db.query(
      `SELECT id, inbound_item_id FROM outbound_message WHERE inbound_item_id = ANY($1::uuid[]) AND status = 'pending' ORDER BY created_at, id`,
      [itemIds],
    );
    const byItem = new Map<string, string[]>(itemIds.map((id) => [id, []]));
    for (const r of rows) byItem.get(r.inbound_item_id)?.push(r.id);
    return byItem;
  }

  /**
   * Applies one plan in one round trip (the `triage_apply` function, migration 1764600000000): the
   * item's conversation, its decision, the conversation's route and due time, a strike, the
   * outbound rows and the audit event, in one transaction.
   */
  async apply(plan: TriagePlan): Promise<TriageOutcome> {
    const rows: Array<{ outcome: AppliedJson }> = plan.reroute
      ? await this.db.transaction(async (tx) => {
          // A re-route keeps the item's conversation, which triage_conversation_for (and its lock)
          // is not asked for: locked here, item first as everywhere, so the due time triage_apply
          // computes sees a reply recorded on the conversation meanwhile.
          await tx.query(
            `SELECT c.id FROM inbound_item i JOIN conversation c ON c.id = i.conversation_id WHERE i.id = $1 FOR UPDATE OF i FOR NO KEY UPDATE OF c`,
            [plan.itemId],
          );
          return tx.query(`SELECT triage_apply($1::jsonb) AS outcome`, [JSON.stringify(plan)]);
        })
      : await this.db.query(`SELECT triage_apply($1::jsonb) AS outcome`, [JSON.stringify(plan)]);
    const outcome = outcomeOf(plan.itemId, rows[0]!.outcome);
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }

  /**
   * Applies a batch of plans in one statement, in order (sorted by item by the caller, so that
   * batches lock items in one order). Each plan's outcome is returned in its place; a plan the
   * item no longer matches gives its `TriageSuperseded`. If the statement fails as a whole (a
   * deadlock with another process, one bad plan), each plan is applied on its own, so one item's
   * error is that item's alone.
   */
  async applyMany(plans: TriagePlan[]): Promise<Array<TriageOutcome | Error>> {
    if (plans.length === 0) return [];
    try {
      // A batch of first decisions is committed without waiting for the disk (asynchronous
      // commit): lost in a Postgres crash, its items are untriaged again and the sweeper queues
      // them. Nothing of it can have reached a provider: the responder's claim commits durably,
      // and that flush carries every commit before it. A second decision (after an edit) would
      // not be swept up again, so a batch holding one waits for the disk.
      const commit = plans.some((p) => p.seen?.triagedAt) ? 'on' : 'off';
      const rows: Array<{ outcomes: AppliedJson[] }> = await this.db.query(
        `SELECT triage_apply_many($1::jsonb) AS outcomes, set_config('synchronous_commit', $2, true)`,
        [JSON.stringify(plans), commit],
      );
      return rows[0]!.outcomes.map((outcome, i) => outcomeOf(plans[i]!.itemId, outcome));
    } catch {
      const outcomes: Array<TriageOutcome | Error> = [];
      for (const plan of plans) outcomes.push(await this.apply(plan).catch((error: Error) => error));
      return outcomes;
    }
  }
}

/** What `triage_apply` returns for one plan. */
type AppliedJson =
  | { conversationId: string; pendingOutbound: string[]; flaggedForBlock: boolean }
  | { superseded: 'decided' | 'changed' }
  | { missing: true };

function outcomeOf(itemId: string, applied: AppliedJson): TriageOutcome | Error {
  if ('missing' in applied) return new Error(`item ${itemId} not found`);
  if ('superseded' in applied) return new TriageSuperseded(itemId, applied.superseded);
  return applied;
}
