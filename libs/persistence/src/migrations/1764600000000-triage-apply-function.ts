import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Triage's write as a function on the server. The decision was applied with about ten statements,
 * each a round trip, and round trips were most of triage's cost: under load it spent more time in
 * socket writes than in classifying (bench: 190 items/s end to end). `triage_apply(plan)` does the
 * same work in one call, and `triage_apply_many(plans)` applies a whole batch in one statement, in
 * order, so an item's conversation is found the same way whether it came alone or in a batch.
 *
 * The plan is TriagePlan as JSON (libs/persistence/src/triage.repository.ts, which documents each
 * field). The result is the TriageOutcome, or {"superseded": "decided"|"changed"} when the item is
 * no longer as the plan read it (timestamps compared to the millisecond, as JavaScript read them),
 * or {"missing": true}.
 *
 * It also adds the index a conversation's due time is computed from. Without it, "the earliest
 * unanswered item of this conversation" walked the whole queue's unanswered items by due time
 * (inbound_item_awaiting_by_due) and filtered by conversation: 17 ms with 3,800 waiting, growing
 * with the backlog, on every triage, reply and desk action; with it, 0.04 ms.
 */
export class TriageApplyFunction1764600000000 implements MigrationInterface {
  name = 'TriageApplyFunction1764600000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE INDEX inbound_item_conversation_awaiting ON inbound_item (conversation_id, due_at)
       WHERE first_response_at IS NULL AND removed_at IS NULL`);
    await db.query(`
      CREATE FUNCTION triage_conversation_for(p_channel text, p_contact uuid, p_thread text, p_received timestamptz, p_window_hours numeric)
      RETURNS uuid LANGUAGE plpgsql AS $$
      DECLARE conv uuid;
      BEGIN
        -- Its thread's conversation, else the same contact's recent open one on the channel, else a new one.
        IF p_thread IS NOT NULL THEN
          SELECT id INTO conv FROM conversation WHERE channel = p_channel AND thread_key = p_thread;
          IF conv IS NOT NULL THEN RETURN conv; END IF;
          SELECT conversation_id INTO conv FROM inbound_item
           WHERE channel = p_channel AND thread_key = p_thread AND conversation_id IS NOT NULL LIMIT 1;
          IF conv IS NOT NULL THEN RETURN conv; END IF;
        END IF;
        IF p_contact IS NOT NULL THEN
          SELECT id INTO conv FROM conversation
           WHERE contact_id = p_contact AND channel = p_channel AND status <> 'closed'
             AND last_inbound_at >= p_received - p_window_hours * interval '1 hour'
           ORDER BY last_inbound_at DESC LIMIT 1;
          IF conv IS NOT NULL THEN RETURN conv; END IF;
        END IF;
        INSERT INTO conversation (channel, contact_id, thread_key, last_inbound_at) VALUES (p_channel, p_contact, p_thread, p_received)
        ON CONFLICT (channel, thread_key) WHERE thread_key IS NOT NULL DO UPDATE SET updated_at = now()
        RETURNING id INTO conv;
        RETURN conv;
      END $$`);

    await db.query(`
      CREATE FUNCTION triage_apply(plan jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE
        item record;
        conv uuid;
        v_item uuid := (plan->>'itemId')::uuid;
        v_route text := plan->>'route';
        v_priority int := (plan->>'priority')::int;
        v_auto text[] := ARRAY(SELECT jsonb_array_elements_text(plan->'autoRoutes'));
        v_reroute boolean := coalesce((plan->>'reroute')::boolean, false);
        v_seen jsonb := plan->'seen';
        v_strike jsonb := plan->'strike';
        v_flagged boolean := false;
        v_strikes int;
        o jsonb;
        v_pending jsonb;
      BEGIN
        -- The row lock makes two runs of the same item take turns, so the second sees the first's work.
        SELECT id, channel, contact_id, thread_key, received_at, conversation_id, triaged_at, edited_at INTO item
          FROM inbound_item WHERE id = v_item FOR UPDATE;
        IF NOT FOUND THEN RETURN jsonb_build_object('missing', true); END IF;
        IF jsonb_typeof(v_seen) = 'object' THEN
          IF date_trunc('milliseconds', item.edited_at) IS DISTINCT FROM (v_seen->>'editedAt')::timestamptz THEN
            RETURN jsonb_build_object('superseded', 'changed');
          END IF;
          IF date_trunc('milliseconds', item.triaged_at) IS DISTINCT FROM (v_seen->>'triagedAt')::timestamptz THEN
            RETURN jsonb_build_object('superseded', 'decided');
          END IF;
        END IF;

        IF v_reroute AND item.conversation_id IS NOT NULL THEN
          conv := item.conversation_id;
        ELSE
          conv := triage_conversation_for(item.channel, item.contact_id, item.thread_key, item.received_at, (plan->>'windowHours')::numeric);
        END IF;

        UPDATE inbound_item SET route = v_route, flags = ARRAY(SELECT jsonb_array_elements_text(plan->'flags')),
               confidence = (plan->>'confidence')::real, reasons = plan->'reasons', due_at = (plan->>'dueAt')::timestamptz,
               triaged_at = now(), status = CASE WHEN status = 'received' THEN 'triaged' ELSE status END, conversation_id = conv
         WHERE id = v_item;

        -- An officer's re-route (or a closed or idle conversation) takes the item's route and priority
        -- even a step down; otherwise the most urgent stands. Due: the earliest item still waiting for a person.
        UPDATE conversation c SET
          last_inbound_at = GREATEST(coalesce(c.last_inbound_at, item.received_at), item.received_at),
          priority = CASE WHEN v_reroute OR c.status = 'closed' OR c.due_at IS NULL THEN v_priority ELSE LEAST(c.priority, v_priority) END,
          route = CASE WHEN v_reroute OR c.status = 'closed' OR c.due_at IS NULL OR v_priority <= c.priority THEN v_route ELSE c.route END,
          due_at = (SELECT min(due_at) FROM inbound_item
                     WHERE conversation_id = c.id AND first_response_at IS NULL AND removed_at IS NULL
                       AND route IS NOT NULL AND NOT (route = ANY(v_auto))),
          status = CASE
            WHEN NOT (plan->>'closeConversation')::boolean THEN 'open'
            WHEN EXISTS (SELECT 1 FROM inbound_item WHERE conversation_id = c.id AND id <> v_item AND first_response_at IS NULL
                          AND removed_at IS NULL AND route IS NOT NULL AND NOT (route = ANY(v_auto))) THEN c.status
            ELSE 'closed' END
        WHERE c.id = conv;

        IF jsonb_typeof(v_strike) = 'object' AND item.contact_id IS NOT NULL THEN
          INSERT INTO strike (contact_id, inbound_item_id, reason) VALUES (item.contact_id, v_item, v_strike->>'reason')
          ON CONFLICT (inbound_item_id) WHERE inbound_item_id IS NOT NULL DO NOTHING;
          SELECT count(*)::int INTO v_strikes FROM strike
           WHERE contact_id = item.contact_id AND created_at >= now() - make_interval(days => (v_strike->>'windowDays')::int);
          IF v_strikes >= (v_strike->>'toFlag')::int THEN
            UPDATE contact SET flagged_for_block_at = now() WHERE id = item.contact_id AND flagged_for_block_at IS NULL;
            IF FOUND THEN
              v_flagged := true;
              INSERT INTO audit_event (action, subject_type, subject_id, details)
              VALUES ('contact.flagged_for_blocking', 'contact', item.contact_id,
                      jsonb_build_object('strikes', v_strikes, 'windowDays', (v_strike->>'windowDays')::int, 'itemId', v_item));
            END IF;
          END IF;
        END IF;

        FOR o IN SELECT value FROM jsonb_array_elements(coalesce(plan->'outbound', '[]'::jsonb)) LOOP
          INSERT INTO outbound_message (idempotency_key, kind, channel, inbound_item_id, conversation_id, automatic, template, body, recipient)
          VALUES (o->>'idempotencyKey', o->>'kind', o->>'channel', v_item, conv, true, o->>'template', o->>'body', o->>'recipient')
          ON CONFLICT (idempotency_key) DO NOTHING;
        END LOOP;

        INSERT INTO audit_event (action, subject_type, subject_id, details)
        VALUES ('item.triaged', 'inbound_item', v_item, jsonb_build_object(
          'route', v_route, 'flags', plan->'flags', 'confidence', plan->'confidence', 'reasons', plan->'reasons',
          'dueAt', plan->'dueAt', 'conversationId', conv,
          'actions', coalesce((SELECT jsonb_agg(e->'idempotencyKey') FROM jsonb_array_elements(plan->'outbound') e), '[]'::jsonb)));

        SELECT coalesce(jsonb_agg(id ORDER BY created_at, id), '[]'::jsonb) INTO v_pending
          FROM outbound_message WHERE inbound_item_id = v_item AND status = 'pending';
        RETURN jsonb_build_object('conversationId', conv, 'pendingOutbound', v_pending, 'flaggedForBlock', v_flagged);
      END $$`);

    await db.query(`
      CREATE FUNCTION triage_apply_many(plans jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
      DECLARE p jsonb; outcomes jsonb := '[]'::jsonb;
      BEGIN
        -- In the given order: an item's conversation can be one an earlier item of the batch created.
        FOR p IN SELECT value FROM jsonb_array_elements(plans) WITH ORDINALITY ORDER BY ordinality LOOP
          outcomes := outcomes || jsonb_build_array(triage_apply(p));
        END LOOP;
        RETURN outcomes;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION triage_apply_many(jsonb)`);
    await db.query(`DROP FUNCTION triage_apply(jsonb)`);
    await db.query(`DROP FUNCTION triage_conversation_for(text, uuid, text, timestamptz, numeric)`);
    await db.query(`DROP INDEX inbound_item_conversation_awaiting`);
  }
}
