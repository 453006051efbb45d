import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { FAKE_CREDENTIALS } from '@desk/config';
import { FakeGraphApi } from '../fakes/graph-api.js';
import { feedCommentPayload, metaSignature } from '../fakes/meta-webhook.js';
import { spawnService, waitHealthy, type RunningService, type ServiceName } from './services.js';

/**
 * The whole pipeline for the fault suites: the four services as separate processes against the
 * given Postgres and Redis, a fake Graph API as the only stand-in (Facebook comment replies), and a
 * sender that delivers signed comment webhooks and, like Meta, delivers again until it gets a 200.
 */
export const PAGE_ID = FAKE_CREDENTIALS.meta.pageIds[0]!;
const PAGE_TOKEN = FAKE_CREDENTIALS.meta.pageTokens[PAGE_ID]!;

/** Routes the responder answers at once with a template reply on the comment. */
/** Sweeps every few seconds: what a fault left stored but unqueued is found within a test, not minutes later. */
export const FAST_SWEEPS = {
  INGEST_SWEEP_EVERY_MS: '2000',
  INGEST_SWEEP_GRACE_MS: '3000',
  OUTBOUND_SWEEP_EVERY_MS: '2000',
  OUTBOUND_SWEEP_GRACE_MS: '5000',
} as const;

export const AUTOMATIC_REPLY_ROUTES = ['clinical', 'appointment', 'urgent_safety'];

/**
 * Comments from ../shared/triage/dev.jsonl the classifier routes as labelled; most get an
 * automatic reply, the rest wait for a person.
 */
export const COMMENTS: ReadonlyArray<{ route: string; text: string }> = [
  { route: 'clinical', text: 'Is it safe for my husband to fly to Spain 3 weeks after having a stent put in at the cardiac unit?' },
  { route: 'clinical', text: "What's a normal PSA for a 68 year old? Mine has come back at 6.1. Should I be worried?" },
  { route: 'clinical', text: "Do you have to be nil by mouth before a cataract op or can I have my breakfast? It's a local anaesthetic I think" },
  { route: 'appointment', text: 'Can I book a slot for a blood test at Riverside phlebotomy or is it walk in only now?' },
  { route: 'appointment', text: 'I need to rebook my pelvic health physio. Can I do that on here or does it have to be a phone call?' },
  {
    route: 'urgent_safety',
    text: "Is anyone even monitoring this page?? My 2yo has gone really floppy and blueish round her lips, we're 20 mins from Elmhurst, do I drive her or wait for the ambulance 😭😭",
  },
  { route: 'general', text: "Where's the best place to park for the Sunflower Unit? Taking my mum for the first time tomorrow" },
  { route: 'praise', text: 'Pre-op assessment clinic were so thorough and friendly. Felt really prepared for my operation, thank you.' },
  { route: 'complaint', text: 'The hearing aid battery service at Kingsmead has stopped and nobody told us. Now my husband has to go to Riverside which is two buses each way. Very poor.' },
  { route: 'general', text: 'Can I bring flowers in for my sister on the maternity ward or are they not allowed?' },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface PipelinePorts {
  ingest: number;
  triage: number;
  responder: number;
  desk?: number;
  graph: number;
}

export interface PipelineOptions {
  ports: PipelinePorts;
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  /** More environment for every service (sweep intervals, lock times). */
  env?: Record<string, string>;
}

const PORT_OF: Record<ServiceName, keyof PipelinePorts> = { ingest: 'ingest', triage: 'triage', responder: 'responder', desk: 'desk' };

export class FaultPipeline {
  readonly db: pg.Pool;
  readonly services = new Map<ServiceName, RunningService>();
  /** Output of processes that were killed or stopped, for failure messages. */
  readonly pastOutput: string[] = [];
  private readonly dirs: string[] = [];

  private constructor(
    readonly options: PipelineOptions,
    readonly graph: FakeGraphApi,
  ) {
    this.db = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
    // The pool outlives Postgres restarts in the Postgres suite: an idle client's error is expected.
    this.db.on('error', () => undefined);
  }

  static async start(options: PipelineOptions): Promise<FaultPipeline> {
    const graph = await FakeGraphApi.start(options.ports.graph, { tokens: { [PAGE_ID]: PAGE_TOKEN }, appSecret: FAKE_CREDENTIALS.meta.appSecret });
    // Comments reach the pipeline through ingest's webhook, not through the fake: replies land on them.
    graph.adoptUnknownComments = true;
    const pipeline = new FaultPipeline(options, graph);
    // Urgent items also alert the on-duty officer by email (the fake mail driver's outbox).
    await pipeline.db.query(
      `UPDATE setting SET value = value || '{"press_office_email": "press@trust.example", "on_duty_email": "on-duty@trust.example"}' WHERE key = 'trust'`,
    );
    const names: ServiceName[] = ['ingest', 'triage', 'responder', ...(options.ports.desk ? (['desk'] as const) : [])];
    await Promise.all(names.map((name) => pipeline.startService(name)));
    return pipeline;
  }

  url(name: ServiceName): string {
    return `http://127.0.0.1:${this.port(name)}`;
  }

  private port(name: ServiceName): number {
    const port = this.options.ports[PORT_OF[name]];
    if (!port) throw new Error(`no port for ${name}`);
    return port;
  }

  private env(): Record<string, string> {
    if (!this.dirs.length) this.dirs.push(mkdtempSync(join(tmpdir(), 'faults-spool-')), mkdtempSync(join(tmpdir(), 'faults-outbox-')));
    return {
      DATABASE_URL: this.options.databaseUrl,
      REDIS_URL: this.options.redisUrl,
      QUEUE_PREFIX: this.options.queuePrefix,
      LOG_LEVEL: 'warn',
      X_POLL_INTERVAL_MS: '0',
      MAIL_SPOOL_DIR: this.dirs[0]!,
      MAIL_OUTBOX_DIR: this.dirs[1]!,
      META_GRAPH_URL: this.graph.url,
      RESPONDER_CONCURRENCY: '16',
      // A killed responder's sends, and a killed triage's items, are taken over after this long.
      OUTBOUND_LOCK_MS: '2000',
      TRIAGE_LOCK_MS: '3000',
      SHUTDOWN_GRACE_MS: '5000',
      ...this.options.env,
    };
  }

  async startService(name: ServiceName): Promise<RunningService> {
    const service = spawnService(name, this.port(name), this.env());
    this.services.set(name, service);
    await waitHealthy(service, 30_000);
    return service;
  }

  service(name: ServiceName): RunningService {
    const service = this.services.get(name);
    if (!service) throw new Error(`${name} is not running`);
    return service;
  }

  /** SIGKILL, then a new process at once, as a supervisor would; resolves when it is healthy. */
  async kill(name: ServiceName): Promise<void> {
    const service = this.service(name);
    service.process.kill('SIGKILL');
    const exit = await service.exited;
    if (exit.signal !== 'SIGKILL') throw new Error(`${name} exited with ${exit.code ?? exit.signal} before it was killed:\n${service.output()}`);
    this.pastOutput.push(`--- ${name} (killed)\n${service.output()}`);
    await this.startService(name);
  }

  /** Every service still running, none having exited on its own. */
  assertAllRunning(): void {
    for (const [name, service] of this.services) {
      if (service.process.exitCode !== null || service.process.signalCode !== null) {
        throw new Error(`${name} exited (${service.process.exitCode ?? service.process.signalCode}):\n${service.output().slice(-4000)}`);
      }
    }
  }

  output(): string {
    return [...this.pastOutput, ...[...this.services].map(([name, s]) => `--- ${name}\n${s.output()}`)].join('\n').slice(-20_000);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.services.values()].map((s) => s.stop('SIGTERM')));
    // FAULTS_LOG=<file> keeps every service's output of the run, to read what they said.
    if (process.env.FAULTS_LOG) {
      writeFileSync(process.env.FAULTS_LOG, [...this.pastOutput, ...[...this.services].map(([name, s]) => `--- ${name}\n${s.output()}`)].join('\n'));
    }
    await this.graph.close();
    await this.db.end();
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }

  // ------------------------------------------------------------ what the pipeline did

  /** Waits until every item is stored and triaged and none of their outbound rows is unfinished. */
  async settled(commentIds: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.assertAllRunning();
      const progress = await this.progress(commentIds).catch((error: Error) => ({ error: error.message }));
      const last = JSON.stringify(progress);
      if ('stored' in progress && progress.stored === commentIds.length && progress.triaged === commentIds.length && progress.unfinished === 0) return;
      if (Date.now() > deadline) throw new Error(`not settled after ${timeoutMs} ms: ${last}\n${this.output()}`);
      await sleep(500);
    }
  }

  /** Waits until the desk's report refresh has computed every one of the comments' facts. */
  async reportsCaughtUp(commentIds: string[], timeoutMs = 30_000): Promise<void> {
    await until('report facts computed', async () => {
      const { rows } = await this.db.query(`SELECT count(*)::int AS n FROM inbound_item i JOIN report_dirty_item d ON d.item_id = i.id WHERE i.external_id = ANY($1)`, [commentIds]);
      return rows[0].n === 0;
    }, timeoutMs, 500);
  }

  async progress(commentIds: string[]): Promise<{ stored: number; triaged: number; outbound: number; sent: number; unfinished: number }> {
    const { rows } = await this.db.query(
      `SELECT count(*)::int AS stored, count(i.triaged_at)::int AS triaged,
              (SELECT count(*)::int FROM outbound_message o JOIN inbound_item j ON j.id = o.inbound_item_id
                WHERE j.channel = 'facebook' AND j.external_id = ANY($1)) AS outbound,
              (SELECT count(*)::int FROM outbound_message o JOIN inbound_item j ON j.id = o.inbound_item_id
                WHERE j.channel = 'facebook' AND j.external_id = ANY($1) AND o.status = 'sent') AS sent,
              (SELECT count(*)::int FROM outbound_message o JOIN inbound_item j ON j.id = o.inbound_item_id
                WHERE j.channel = 'facebook' AND j.external_id = ANY($1) AND o.status IN ('pending', 'sending')) AS unfinished
         FROM inbound_item i WHERE i.channel = 'facebook' AND i.external_id = ANY($1)`,
      [commentIds],
    );
    return rows[0];
  }

  /**
   * The suites' common verdict: each comment stored once and triaged once; each one routed for an
   * automatic reply has exactly one reply row, sent, and exactly one reply at the fake Graph API;
   * no other comment got one; every outbound row of theirs (alerts too) was sent.
   */
  async verify(deliveries: Delivery[]): Promise<{ items: number; automatic: number }> {
    const commentIds = deliveries.map((d) => d.commentId);
    const { rows: items } = await this.db.query<{ external_id: string; route: string | null; triaged_at: Date | null; decisions: number }>(
      `SELECT i.external_id, i.route, i.triaged_at,
              (SELECT count(*)::int FROM audit_event a WHERE a.action = 'item.triaged' AND a.subject_type = 'inbound_item' AND a.subject_id = i.id::text) AS decisions
         FROM inbound_item i WHERE i.channel = 'facebook' AND i.external_id = ANY($1)`,
      [commentIds],
    );
    expect(items).toHaveLength(commentIds.length);
    expect(new Set(items.map((i) => i.external_id)).size).toBe(commentIds.length);
    expect(items.filter((i) => !i.triaged_at)).toEqual([]);
    expect(items.filter((i) => i.decisions !== 1).map((i) => `${i.external_id}: ${i.decisions} decisions`)).toEqual([]);
    const routeOf = new Map(deliveries.map((d) => [d.commentId, d.route]));
    expect(items.filter((i) => i.route !== routeOf.get(i.external_id)).map((i) => `${i.external_id}: ${i.route}`)).toEqual([]);

    const { rows: outbound } = await this.db.query<{ external_id: string; kind: string; status: string; provider_id: string | null }>(
      `SELECT i.external_id, o.kind, o.status, o.provider_id FROM outbound_message o JOIN inbound_item i ON i.id = o.inbound_item_id
        WHERE i.channel = 'facebook' AND i.external_id = ANY($1)`,
      [commentIds],
    );
    expect(outbound.filter((o) => o.status !== 'sent').map((o) => `${o.external_id} ${o.kind} ${o.status}`)).toEqual([]);

    const repliesAtGraph = new Map<string, string[]>();
    for (const reply of this.graph.replies) repliesAtGraph.set(reply.parentId, [...(repliesAtGraph.get(reply.parentId) ?? []), reply.id]);
    const replyRows = new Map<string, Array<{ status: string; provider_id: string | null }>>();
    for (const o of outbound) if (o.kind === 'reply') replyRows.set(o.external_id, [...(replyRows.get(o.external_id) ?? []), o]);

    const wrong: string[] = [];
    let automatic = 0;
    for (const item of items) {
      const atGraph = repliesAtGraph.get(item.external_id) ?? [];
      const rows = replyRows.get(item.external_id) ?? [];
      if (AUTOMATIC_REPLY_ROUTES.includes(item.route ?? '')) {
        automatic++;
        if (atGraph.length !== 1 || rows.length !== 1 || rows[0]!.provider_id !== atGraph[0]) {
          wrong.push(`${item.external_id} (${item.route}): ${atGraph.length} at Graph, rows ${JSON.stringify(rows)}`);
        }
      } else if (atGraph.length || rows.length) {
        wrong.push(`${item.external_id} (${item.route}): ${atGraph.length} at Graph, ${rows.length} rows, expected none`);
      }
    }
    expect(wrong.slice(0, 20)).toEqual([]);
    expect(automatic).toBe(deliveries.filter((d) => AUTOMATIC_REPLY_ROUTES.includes(d.route)).length);
    return { items: items.length, automatic };
  }
}

// ------------------------------------------------------------ the webhook sender

export interface Delivery {
  commentId: string;
  body: Buffer;
  /** The route the classifier gives its text. */
  route: string;
}

/** A burst's comments: each on a post of its own from a person of its own, so none share a conversation. */
export function burstOf(run: string, count: number, offset = 0): Delivery[] {
  const deliveries: Delivery[] = [];
  for (let n = offset; n < offset + count; n++) {
    const post = `${run}${String(n).padStart(6, '0')}`;
    const commentId = `${post}_${run}${String(n).padStart(6, '0')}7`;
    const { text, route } = COMMENTS[n % COMMENTS.length]!;
    const payload = feedCommentPayload({ postId: `${PAGE_ID}_${post}`, commentId, text, from: { id: `9${run}${n}`, name: `Member ${n}` }, pageId: PAGE_ID });
    deliveries.push({ commentId, route, body: Buffer.from(JSON.stringify(payload)) });
  }
  return deliveries;
}

/** A numeric run id, so comment ids look like Meta's and never repeat between runs. */
export function runId(): string {
  return String(Date.now() % 1e10);
}

export interface Answer {
  status: number | 'network';
  /** When the request was sent and when its answer came. */
  sentAt: number;
  at: number;
}

export interface SendLog {
  answers: Answer[];
  acked: Set<string>;
  /** Every answer of every delivery, in order. */
  byStatus(): Record<string, number>;
}

/**
 * Delivers each body until it is answered 200, `concurrency` at a time, the way Meta retries a
 * webhook: on a connection error and on 5xx (and 429), after a short wait. Any other status fails
 * the burst: it would mean a delivery refused for good.
 */
export async function deliver(
  url: string,
  deliveries: Delivery[],
  { concurrency = 32, timeoutMs = 120_000, log = newSendLog() }: { concurrency?: number; timeoutMs?: number; log?: SendLog } = {},
): Promise<SendLog> {
  const deadline = Date.now() + timeoutMs;
  let next = 0;
  const worker = async () => {
    while (next < deliveries.length) {
      const delivery = deliveries[next++]!;
      for (let attempt = 1; ; attempt++) {
        const sentAt = Date.now();
        let status: number | 'network';
        try {
          const res = await fetch(`${url}/webhooks/meta`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSignature(delivery.body) },
            body: delivery.body,
            signal: AbortSignal.timeout(20_000),
          });
          status = res.status;
          await res.arrayBuffer();
        } catch {
          status = 'network';
        }
        log.answers.push({ status, sentAt, at: Date.now() });
        if (status === 200) {
          log.acked.add(delivery.commentId);
          break;
        }
        if (status !== 'network' && status !== 429 && status < 500) throw new Error(`delivery of ${delivery.commentId} refused with ${status}`);
        if (Date.now() > deadline) throw new Error(`delivery of ${delivery.commentId} not accepted within ${timeoutMs} ms (last: ${status})`);
        await sleep(Math.min(100 * attempt, 1_000));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return log;
}

export function newSendLog(): SendLog {
  const answers: Answer[] = [];
  return {
    answers,
    acked: new Set(),
    byStatus: () => answers.reduce<Record<string, number>>((counts, a) => ({ ...counts, [a.status]: (counts[a.status] ?? 0) + 1 }), {}),
  };
}

export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
