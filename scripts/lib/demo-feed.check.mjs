// A check, run by hand against a running install (`npm start`, or the services started another way,
// with the same environment), that ingest accepts the demo feed's signed requests:
//
//   node scripts/lib/demo-feed.check.mjs
//
// It sends a few demo items (an X post and a reply to it, an X direct message, a Facebook and an
// Instagram comment) exactly as the feed does, expects each answered 200 and stored, then expects
// an X and a Meta delivery signed with the wrong secret refused with 401 (so the 200s mean the
// signatures were checked), and finally waits for the items to be stored and triaged in Postgres.
// It reads the environment as `npm start` does (.env.example, .env, then the real environment) and
// adds five items to that desk. Exit code 0 when everything held, 1 otherwise.
import pg from 'pg';
import { INITIAL } from './demo-content.mjs';
import { prepareDemoSender } from './demo-feed.mjs';
import { launchEnv } from './env.mjs';

const env = launchEnv();
const KEYS = ['x-ae-wait', 'x-ae-wait-update', 'dm-fracture', 'fb-clinical', 'ig-wayfinding'];
const results = [];
const record = (ok, what) => {
  results.push(ok);
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
};

let sender;
try {
  sender = await prepareDemoSender(env);
} catch (error) {
  process.stdout.write(`FAIL the demo sender could not be prepared: ${error.message} (run \`npm run build\` first)\n`);
  process.exit(1);
}

const stored = [];
for (const key of KEYS) {
  const item = INITIAL.find((i) => i.key === key);
  try {
    const sent = await sender.send(item, new Date(Date.now() - 60_000));
    stored.push(sent);
    record(true, `${item.channel} ${key}: accepted and stored (${sent.externalId})`);
  } catch (error) {
    record(false, `${item.channel} ${key}: ${error.message}`);
  }
}

// The same kind of deliveries signed with the wrong secret must be refused.
const { x: xw, meta: mw } = sender.signers;
try {
  const tweet = xw.v1Tweet({ id: '1', text: 'wrongly signed', user: { id: '42', screen_name: 'nobody', name: 'Nobody' } });
  const answer = await xw.deliverToXWebhook(sender.baseUrl, xw.tweetCreateDelivery('1', [tweet]), { consumerSecret: 'not-the-secret' });
  record(answer.status === 401, `X delivery with a wrong signature: answered ${answer.status} (expected 401)`);
} catch (error) {
  record(false, `X delivery with a wrong signature: ${error.message}`);
}
try {
  const payload = mw.feedCommentPayload({ commentId: '1_1', postId: '1_1', text: 'wrongly signed' });
  const answer = await new mw.MetaWebhookSender(sender.baseUrl, 'not-the-secret').send(payload);
  record(answer.status === 401, `Meta delivery with a wrong signature: answered ${answer.status} (expected 401)`);
} catch (error) {
  record(false, `Meta delivery with a wrong signature: ${error.message}`);
}

// What ingest stored, and what triage made of it.
if (stored.length) {
  const client = new pg.Client({ connectionString: env.DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const deadline = Date.now() + 20_000;
    let rows = [];
    while (Date.now() < deadline) {
      ({ rows } = await client.query(
        `SELECT channel, external_id, route, in_reply_to_external_id FROM inbound_item WHERE (channel, external_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [stored.map((s) => s.channel), stored.map((s) => s.externalId)],
      ));
      if (rows.length === stored.length && rows.every((r) => r.route)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    for (const s of stored) {
      const row = rows.find((r) => r.channel === s.channel && r.external_id === s.externalId);
      record(Boolean(row?.route), `${s.channel} ${s.externalId}: ${row ? (row.route ? `triaged as ${row.route}` : 'stored, not triaged within 20 s') : 'not in inbound_item'}`);
    }
    const reply = rows.find((r) => r.in_reply_to_external_id);
    record(Boolean(reply), `the X reply names the post it answers${reply ? ` (${reply.in_reply_to_external_id})` : ''}`);
  } catch (error) {
    record(false, `Postgres (${error.message})`);
  } finally {
    await client.end().catch(() => {});
  }
}

const failed = results.filter((ok) => !ok).length;
process.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
process.exit(failed ? 1 : 0);
