import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DIST, ROOT } from './support/services.js';
import { TEST_DATABASE_URL } from './support/test-env.js';

function tool(name: string, args: string[], input = '', env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [join(DIST, 'tools', `${name}.js`), ...args], {
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('sla:due', () => {
  it('answers one JSON line per input line, in order, errors included', () => {
    const input = [
      '{"received": "2026-12-24T16:30:00Z", "division": "england-and-wales"}',
      'not json',
      '{"received": "2026-11-27T09:00:00Z", "division": "scotland"}',
      '{"received": "2026-11-27T09:00:00Z", "division": "narnia"}',
      '{"received": "2026-02-30T09:00:00Z"}',
      '{"division": "scotland"}',
      '{"received": "2026-11-28T11:00:00Z"}',
    ].join('\n');
    const { code, stdout } = tool('sla-due', [], `${input}\n`);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { due: '2026-12-31T16:30:00.000Z' },
      { error: 'not valid JSON' },
      { due: '2026-12-02T17:00:00.000Z' },
      { error: expect.stringContaining('division must be one of') },
      { error: expect.stringContaining('received:') },
      { error: 'received is missing' },
      { due: '2026-12-02T17:00:00.000Z' },
    ]);
  });

  it('reads the calendar from the environment', () => {
    const { stdout } = tool('sla-due', [], '{"received": "2026-12-24T16:30:00Z"}\n', { SLA_CLOSURES: '2026-12-29 Shutdown' });
    expect(JSON.parse(stdout)).toEqual({ due: '2027-01-04T16:30:00.000Z' });
  });

  it('exits naming a bad calendar variable', () => {
    const { code, stderr } = tool('sla-due', [], '', { SLA_OPENING_HOURS: 'weekdays' });
    expect(code).toBe(78);
    expect(stderr).toContain('opening hours');
  });

  it('keeps up with a large input', () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ received: new Date(Date.UTC(2026, 0, 1) + i * 997_000).toISOString() }));
    const { stdout } = tool('sla-due', [], `${lines.join('\n')}\n`);
    expect(stdout.trim().split('\n')).toHaveLength(20_000);
  });
});

describe('sla:holidays', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sla-holidays-'));
  const official = JSON.parse(readFileSync(join(ROOT, 'libs', 'sla', 'data', 'bank-holidays.json'), 'utf8'));

  it('refreshes a snapshot from a file in gov.uk format and reports what changed', () => {
    const out = join(dir, 'current.json');
    const older = structuredClone(official);
    older['england-and-wales'].events = older['england-and-wales'].events.filter((e: { date: string }) => e.date !== '2028-12-26');
    writeFileSync(out, JSON.stringify(older));
    const source = join(dir, 'source.json');
    writeFileSync(source, JSON.stringify(official));
    const { code, stdout } = tool('sla-holidays', ['--from', source, '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toContain('added 1, removed 0');
    expect(stdout).toContain('+ england-and-wales 2028-12-26 Boxing Day');
    expect(JSON.parse(readFileSync(out, 'utf8'))['england-and-wales'].events).toHaveLength(official['england-and-wales'].events.length);
  });

  it('refuses a malformed file and changes nothing', () => {
    const out = join(dir, 'kept.json');
    writeFileSync(out, JSON.stringify(official));
    const bad = structuredClone(official);
    bad.scotland.events[3].date = '2026-02-30';
    const source = join(dir, 'bad.json');
    writeFileSync(source, JSON.stringify(bad));
    const { code, stderr } = tool('sla-holidays', ['--from', source, '--out', out]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/scotland event 3: "date" must be a real date.*nothing was changed/);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(official);
  });

  it('refuses a list that would drop years, unless forced', () => {
    const out = join(dir, 'shrink.json');
    writeFileSync(out, JSON.stringify(official));
    const shorter = structuredClone(official);
    for (const division of Object.keys(shorter)) {
      shorter[division].events = shorter[division].events.filter((e: { date: string }) => !e.date.startsWith('2028'));
    }
    const source = join(dir, 'shorter.json');
    writeFileSync(source, JSON.stringify(shorter));
    const refused = tool('sla-holidays', ['--from', source, '--out', out]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('england-and-wales 2028');
    expect(tool('sla-holidays', ['--from', source, '--out', out, '--force']).code).toBe(0);
  });
});

describe('sla:holidays --to-database', () => {
  it('stores the list in the settings table, where the services read it', async () => {
    const source = join(mkdtempSync(join(tmpdir(), 'sla-db-')), 'list.json');
    const list = JSON.parse(readFileSync(join(ROOT, 'libs', 'sla', 'data', 'bank-holidays.json'), 'utf8'));
    list.scotland.events.push({ title: 'Extra day', date: '2028-12-27', notes: 'Extra bank holiday' });
    writeFileSync(source, JSON.stringify(list));
    const { code, stdout } = tool('sla-holidays', ['--from', source, '--to-database'], '', { DATABASE_URL: TEST_DATABASE_URL });
    expect(stdout).toContain('added 1, removed 0');
    expect(code).toBe(0);
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      const row = await client.query(`SELECT value FROM setting WHERE key = 'sla.bank_holidays'`);
      expect(row.rows[0].value.scotland.events.at(-1)).toMatchObject({ date: '2028-12-27', title: 'Extra day' });
      await client.query(`DELETE FROM setting WHERE key = 'sla.bank_holidays'`);
    } finally {
      await client.end();
    }
  });
});

describe('sla:holidays --from a URL', () => {
  it('fetches the list over HTTP, and refuses an error answer', async () => {
    const body = readFileSync(join(ROOT, 'libs', 'sla', 'data', 'bank-holidays.json'));
    const server = createServer((req, res) => {
      if (req.url === '/bank-holidays.json') res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      else res.writeHead(404).end('not here');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const out = join(mkdtempSync(join(tmpdir(), 'sla-url-')), 'out.json');
    // spawnSync would block the server in this same process, so run the tool asynchronously.
    const run = (url: string) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(process.execPath, [join(DIST, 'tools', 'sla-holidays.js'), '--from', url, '--out', out]);
        let output = '';
        child.stdout.on('data', (c) => (output += c));
        child.stderr.on('data', (c) => (output += c));
        child.on('exit', (code) => resolve({ code, output }));
      });
    try {
      const ok = await run(`${base}/bank-holidays.json`);
      expect(ok.code).toBe(0);
      expect(ok.output).toContain('england-and-wales: 140 holidays, 2012–2028');
      const missing = await run(`${base}/gone.json`);
      expect(missing.code).toBe(1);
      expect(missing.output).toContain('answered 404');
    } finally {
      server.close();
    }
  });
});
