import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ingest's store as a function on the server, for a batch of messages in one statement and one
 * commit. Stored one per statement, each message paid a round trip and a commit of its own, and
 * under load the commits' WAL flushes queued one behind another (3 ms each at 1,000 items/s): the
 * store was the largest single cost in Postgres (bench: 3.8 ms mean per item).
 *
 * `p_items` is an array of messages as InboundRepository sends them (libs/persistence/src/
 * inbound.repository.ts documents the fields); `p_raws` holds their raw payloads, in the same
 * order, apart so that each keeps its own nesting limit. The result is one row per message, in
 * order. Messages are stored one after another, each seeing those before it, so a reply in the
 * same batch as the comment it answers joins that comment's thread as if they came apart.
 */
export class InboundStoreFunction1764700000000 implements MigrationInterface {
  name = 'InboundStoreFunction1764700000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION inbound_store_many(p_items jsonb, p_raws jsonb)
      RETURNS TABLE (item_id uuid, created boolean) LANGUAGE plpgsql AS $$
      DECLARE
        m jsonb;
        v_index int := 0;
        v_channel text;
        v_external text;
        v_contact uuid;
        v_thread text;
        v_received timestamptz;
      BEGIN
        FOR m IN SELECT value FROM jsonb_array_elements(p_items) LOOP
          v_channel := m->>'channel';
          v_external := m->>'externalId';
          v_contact := NULL;
          IF m->>'authorId' IS NOT NULL THEN
            -- Written only when the name changed: a busy author's row is not rewritten (and locked)
            -- by each of their messages.
            INSERT INTO contact AS c (platform, external_id, handle, display_name)
            VALUES (m->>'platform', m->>'authorId', m->>'handle', m->>'displayName')
            ON CONFLICT (platform, external_id) DO UPDATE
              SET handle = COALESCE(EXCLUDED.handle, c.handle),
                  display_name = COALESCE(EXCLUDED.display_name, c.display_name)
              WHERE c.handle IS DISTINCT FROM COALESCE(EXCLUDED.handle, c.handle)
                 OR c.display_name IS DISTINCT FROM COALESCE(EXCLUDED.display_name, c.display_name)
            RETURNING c.id INTO v_contact;
            IF v_contact IS NULL THEN
              SELECT c.id INTO v_contact FROM contact c WHERE c.platform = m->>'platform' AND c.external_id = m->>'authorId';
            END IF;
          END IF;

          -- The thread: that of the nearest stored item it answers; else the channel's own thread
          -- id; else the last id it names; for email without references, the latest thread of the
          -- same sender with the same subject; else a thread of its own.
          SELECT answered.thread_key INTO v_thread
            FROM jsonb_array_elements_text(m->'replyTo') WITH ORDINALITY AS ref(external_id, nearness)
            JOIN inbound_item answered ON answered.channel = v_channel AND answered.external_id = ref.external_id
           WHERE answered.thread_key IS NOT NULL
           ORDER BY ref.nearness LIMIT 1;
          v_thread := COALESCE(v_thread, m->>'channelThread', m->'replyTo'->>-1);
          IF v_thread IS NULL AND v_contact IS NOT NULL AND NULLIF(m->>'threadSubject', '') IS NOT NULL THEN
            SELECT earlier.thread_key INTO v_thread FROM inbound_item earlier
             WHERE earlier.contact_id = v_contact AND earlier.channel = v_channel
               AND earlier.thread_subject = m->>'threadSubject' AND earlier.thread_key IS NOT NULL
             ORDER BY earlier.received_at DESC LIMIT 1;
          END IF;

          -- Never in the future (SLA.md), never before 2000: see PLAUSIBLE_RECEIVED. Compared as
          -- milliseconds first, so no timestamp out of Postgres's range is ever made.
          v_received := CASE WHEN (m->>'receivedAtMs')::float8 >= 946684800000
                             THEN timestamptz 'epoch' + (m->>'receivedAtMs')::float8 * interval '1 millisecond'
                             ELSE now() END;

          item_id := NULL;
          INSERT INTO inbound_item
            (channel, external_id, contact_id, thread_key, in_reply_to_external_id, received_at,
             subject, body, url, raw, kind, parse_error, thread_subject)
          VALUES (v_channel, v_external, v_contact, COALESCE(v_thread, v_external), m->>'inReplyTo',
                  LEAST(v_received, now()), m->>'subject', m->>'body', m->>'url', p_raws->v_index,
                  m->>'kind', m->>'parseError', m->>'threadSubject')
          ON CONFLICT (channel, external_id) DO NOTHING
          RETURNING id INTO item_id;
          created := item_id IS NOT NULL;
          -- A repeat. The insert waited for a concurrent delivery of the same item to commit, and
          -- this next statement's snapshot sees what it stored.
          IF NOT created THEN
            SELECT i.id INTO item_id FROM inbound_item i WHERE i.channel = v_channel AND i.external_id = v_external;
          END IF;
          RETURN NEXT;
          v_index := v_index + 1;
        END LOOP;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP FUNCTION inbound_store_many(jsonb, jsonb)`);
  }
}
