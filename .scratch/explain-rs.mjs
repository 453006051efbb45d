import pg from 'pg';
import { readFileSync } from 'node:fs';
const src = readFileSync('libs/persistence/src/outbound.repository.ts','utf8');
const m = src.match(/name: 'outbound-record-sent',\s*text: `([\s\S]*?)`,/);
const c = new pg.Client('postgres://postgres@127.0.0.1:5432/desk_bench_pipeline'); await c.connect();
const { rows } = await c.query(`select id from outbound_message where status='sent' and kind='reply' and channel='facebook' order by random() limit 5`);
for (const r of rows) {
  await c.query('begin');
  await c.query(`update outbound_message set status='sending' where id=$1`, [r.id]);
  await c.query(`update inbound_item set first_response_at=null where id=(select inbound_item_id from outbound_message where id=$1)`, [r.id]);
  const t = Date.now();
  const res = await c.query('explain (analyze, buffers) ' + m[1], [r.id, 'p1', new Date(), '{}', false, ['reply','deflect','acknowledge'], ['spam','praise'], 'off']);
  console.log(res.rows.map(x=>x['QUERY PLAN']).join('\n'));
  await c.query('rollback');
  break;
}
await c.end();
