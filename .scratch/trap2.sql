WITH c AS (INSERT INTO conversation (channel) SELECT 'facebook' FROM generate_series(1, :n) RETURNING id),
     n AS (SELECT id, row_number() OVER (ORDER BY id) AS n FROM c)
INSERT INTO inbound_item (channel, external_id, conversation_id, received_at, raw, body)
SELECT 'facebook', 'due-plan-' || n, id, now() - interval '1 hour', '{}', 'x' FROM n;
UPDATE inbound_item SET route = 'general', due_at = now() + interval '1 minute' * (random() * 1000);
