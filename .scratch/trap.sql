WITH c AS (INSERT INTO conversation (channel) SELECT 'facebook' FROM generate_series(1, :n) RETURNING id),
     n AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM c)
INSERT INTO inbound_item (channel, external_id, conversation_id, received_at, raw, route, due_at, body)
SELECT 'facebook', 'due-plan-' || n, id, now() - interval '1 hour', jsonb_build_object('pad', repeat('x', :pad)), 'general', now() + n * interval '1 minute', repeat('y', 200) FROM n;
select relpages, reltuples from pg_class where relname='inbound_item';
