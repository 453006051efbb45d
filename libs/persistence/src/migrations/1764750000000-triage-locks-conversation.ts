import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `triage_conversation_for` now locks the conversation it returns. triage_apply computes the
 * conversation's due time in the UPDATE that follows; without the lock that UPDATE could wait for
 * a reply being recorded on the same conversation and then reckon with the snapshot it took before
 * the wait, counting the just-answered item as still waiting (the conversation looked due, or
 * overdue, when it was not). Locked first, the UPDATE is a later statement with a later snapshot,
 * which sees whatever the lock waited for. The row lock is the one the UPDATE takes anyway.
 */
export class TriageLocksConversation1764750000000 implements MigrationInterface {
  name = 'TriageLocksConversation1764750000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(conversationFor(true));
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(conversationFor(false));
  }
}

function conversationFor(locking: boolean): string {
  const lock = locking ? 'FOR NO KEY UPDATE' : '';
  return `
    CREATE OR REPLACE FUNCTION triage_conversation_for(p_channel text, p_contact uuid, p_thread text, p_received timestamptz, p_window_hours numeric)
    RETURNS uuid LANGUAGE plpgsql AS $$
    DECLARE conv uuid;
    BEGIN
      -- Its thread's conversation, else the same contact's recent open one on the channel, else a new one.
      IF p_thread IS NOT NULL THEN
        SELECT id INTO conv FROM conversation WHERE channel = p_channel AND thread_key = p_thread ${lock};
        IF conv IS NOT NULL THEN RETURN conv; END IF;
        SELECT conversation_id INTO conv FROM inbound_item
         WHERE channel = p_channel AND thread_key = p_thread AND conversation_id IS NOT NULL LIMIT 1;
        IF conv IS NOT NULL THEN
          ${locking ? 'PERFORM 1 FROM conversation WHERE id = conv FOR NO KEY UPDATE;' : ''}
          RETURN conv;
        END IF;
      END IF;
      IF p_contact IS NOT NULL THEN
        SELECT id INTO conv FROM conversation
         WHERE contact_id = p_contact AND channel = p_channel AND status <> 'closed'
           AND last_inbound_at >= p_received - p_window_hours * interval '1 hour'
         ORDER BY last_inbound_at DESC LIMIT 1 ${lock};
        IF conv IS NOT NULL THEN RETURN conv; END IF;
      END IF;
      INSERT INTO conversation (channel, contact_id, thread_key, last_inbound_at) VALUES (p_channel, p_contact, p_thread, p_received)
      ON CONFLICT (channel, thread_key) WHERE thread_key IS NOT NULL DO UPDATE SET updated_at = now()
      RETURNING id INTO conv;
      RETURN conv;
    END $$`;
}
