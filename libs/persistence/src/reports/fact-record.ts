import type { ItemFact } from '@desk/domain';

// Facts travel to and from SQL as JSON records: one statement per batch, not one per item.
export const FACT_RECORD = `item_id uuid, channel text, route text, rerouted_from text, received_at timestamptz, received_day date,
  hour_of_week smallint, out_of_hours boolean, due_at timestamptz, first_response_at timestamptz, first_response_automatic boolean,
  response_working_ms bigint, met boolean, first_human_response_at timestamptz, first_human_responder_id uuid,
  human_response_working_ms bigint, human_met boolean, first_human_touch_at timestamptz, human_touch_working_ms bigint, hidden boolean,
  owed boolean, owner_id uuid, human_touch_ms bigint, press_forwarded_at timestamptz, press_answered_at timestamptz,
  press_response_working_ms bigint`;
export const FACT_COLUMNS = FACT_RECORD.split(',').map((c) => c.trim().split(/\s+/)[0]!);

export function factRecord(f: ItemFact): Record<string, unknown> {
  return {
    item_id: f.itemId,
    channel: f.channel,
    route: f.route,
    rerouted_from: f.reroutedFrom,
    received_at: f.receivedAt,
    received_day: f.receivedDay,
    hour_of_week: f.hourOfWeek,
    out_of_hours: f.outOfHours,
    due_at: f.dueAt,
    first_response_at: f.firstResponseAt,
    first_response_automatic: f.firstResponseAutomatic,
    response_working_ms: f.responseWorkingMs,
    met: f.met,
    first_human_response_at: f.firstHumanResponseAt,
    first_human_responder_id: f.firstHumanResponderId,
    human_response_working_ms: f.humanResponseWorkingMs,
    human_met: f.humanMet,
    first_human_touch_at: f.firstHumanTouchAt,
    human_touch_working_ms: f.humanTouchWorkingMs,
    hidden: f.hidden,
    owed: f.owed,
    owner_id: f.ownerId,
    human_touch_ms: f.humanTouchMs,
    press_forwarded_at: f.pressForwardedAt,
    press_answered_at: f.pressAnsweredAt,
    press_response_working_ms: f.pressResponseWorkingMs,
  };
}

/** bigint columns arrive as strings from pg. */
const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const date = (value: unknown): Date | null => (value === null || value === undefined ? null : new Date(value as string | Date));

/** A stored fact back as the ItemFact it was written from (dates as the pg driver returns them). */
export function factFromRow(r: Record<string, unknown>): ItemFact {
  const day = r.received_day;
  return {
    itemId: r.item_id as string,
    channel: r.channel as ItemFact['channel'],
    route: (r.route as ItemFact['route']) ?? null,
    reroutedFrom: (r.rerouted_from as ItemFact['reroutedFrom']) ?? null,
    receivedAt: date(r.received_at)!,
    // Read as text (see FACT_SELECT) so no time zone can shift the day.
    receivedDay: String(day),
    hourOfWeek: Number(r.hour_of_week),
    outOfHours: r.out_of_hours as boolean,
    dueAt: date(r.due_at),
    firstResponseAt: date(r.first_response_at),
    firstResponseAutomatic: (r.first_response_automatic as boolean | null) ?? null,
    responseWorkingMs: num(r.response_working_ms),
    met: (r.met as boolean | null) ?? null,
    firstHumanResponseAt: date(r.first_human_response_at),
    firstHumanResponderId: (r.first_human_responder_id as string | null) ?? null,
    humanResponseWorkingMs: num(r.human_response_working_ms),
    humanMet: (r.human_met as boolean | null) ?? null,
    firstHumanTouchAt: date(r.first_human_touch_at),
    humanTouchWorkingMs: num(r.human_touch_working_ms),
    humanTouchMs: num(r.human_touch_ms),
    hidden: r.hidden as boolean,
    owed: r.owed as boolean,
    ownerId: (r.owner_id as string | null) ?? null,
    pressForwardedAt: date(r.press_forwarded_at),
    pressAnsweredAt: date(r.press_answered_at),
    pressResponseWorkingMs: num(r.press_response_working_ms),
  };
}

/** Every fact column, with the day as text. */
export const FACT_SELECT = FACT_COLUMNS.map((c) => (c === 'received_day' ? `received_day::text AS received_day` : c)).join(', ');
