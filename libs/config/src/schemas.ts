import { z } from 'zod';

const port = (fallback: number) =>
  z.coerce.number().int().min(1).max(65535).default(fallback).describe('TCP port');

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/\S+$/, 'expected postgres://user@host:port/database')
  .describe('Postgres connection URL, e.g. postgres://postgres@127.0.0.1:5432/desk');

const redisUrl = z
  .string()
  .regex(/^rediss?:\/\/\S+$/, 'expected redis://host:port')
  .describe('Redis connection URL, e.g. redis://127.0.0.1:6379');

/** Variables every service reads. */
export const sharedEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  DATABASE_URL: postgresUrl,
  REDIS_URL: redisUrl,
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_" only')
    .default('desk')
    .describe('prefix of every Redis key the queues use'),
  BIND_HOST: z.string().default('127.0.0.1').describe('address the HTTP server listens on'),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(30_000),
  // The working-hours calendar (SLA.md); read and checked by the sla library, over its defaults.
  SLA_TIME_ZONE: z.string().optional(),
  SLA_DIVISION: z.string().optional(),
  SLA_OPENING_HOURS: z.string().optional(),
  SLA_CLOSURES: z.string().optional(),
  SLA_TARGET_HOURS: z.coerce.number().positive().max(10_000).default(24).describe('working hours to a first response'),
  SLA_AT_RISK_HOURS: z.coerce.number().min(0).max(10_000).default(4).describe('working hours left when an item is at risk'),
});

export const deskEnv = sharedEnv.extend({
  DESK_PORT: port(3000),
  DESK_COOKIE_SECURE: z
    .enum(['auto', 'true', 'false'])
    .default('auto')
    .describe('mark the session cookie Secure: auto = unless the desk is reached over plain http on a loopback address'),
  DESK_SESSION_HOURS: z.coerce.number().positive().max(24 * 30).default(12).describe('a session ends this long after its last use'),
  DESK_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5).describe('failed logins per email and address before a wait'),
  DESK_LOGIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  DESK_STATIC_DIR: z.string().optional().describe('built web desk to serve (default dist/desk-web)'),
  DESK_TRUST_PROXY: z.enum(['true', 'false']).default('false').describe('believe X-Forwarded-For/-Proto from a proxy in front'),
});
const driver = z.enum(['live', 'fake']).default('fake');
const bytes = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const list = z
  .string()
  .default('')
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

/** Variables a `live` driver cannot do without; a `fake` one runs on local fakes with test values. */
type LiveRequired = Record<string, readonly string[]>;

function requireForLive(required: LiveRequired) {
  return (env: Record<string, unknown>, ctx: z.RefinementCtx) => {
    for (const [switchName, names] of Object.entries(required)) {
      if (env[switchName] !== 'live') continue;
      for (const name of names) {
        const value = env[name];
        const empty = Array.isArray(value) ? value.length === 0 : typeof value === 'object' && value !== null && Object.keys(value).length === 0;
        if (value === undefined || empty) {
          ctx.addIssue({ code: 'custom', path: [name], message: `required when ${switchName}=live` });
        }
      }
    }
  };
}

/** Our X account and app: ingest reads with them, the responder posts with them. */
const xEnv = {
  X_DRIVER: driver,
  X_API_BASE_URL: z.string().url().optional().describe('where the X API is; a fake driver defaults to http://127.0.0.1:4400'),
  X_CONSUMER_KEY: z.string().optional(),
  X_CONSUMER_SECRET: z.string().optional(),
  X_ACCESS_TOKEN: z.string().optional(),
  X_ACCESS_SECRET: z.string().optional(),
  X_USER_ID: z.string().regex(/^\d+$/, 'a numeric X user id').optional(),
};
const X_LIVE = ['X_CONSUMER_KEY', 'X_CONSUMER_SECRET', 'X_ACCESS_TOKEN', 'X_ACCESS_SECRET', 'X_USER_ID'] as const;

/** The communications mailbox over IMAP: ingest reads it, the responder checks its Sent folder. */
const imapEnv = {
  IMAP_HOST: z.string().optional(),
  IMAP_PORT: z.coerce.number().int().min(1).max(65535).default(993),
  IMAP_SECURE: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  IMAP_USER: z.string().optional(),
  IMAP_PASSWORD: z.string().optional(),
};

export const ingestEnv = sharedEnv
  .extend({
    INGEST_PORT: port(3001),
    WEBHOOK_BODY_LIMIT_BYTES: bytes(1024 * 1024).describe('largest webhook body accepted'),
    WEBHOOK_MAX_IN_FLIGHT: z.coerce.number().int().min(1).default(256).describe('webhook deliveries handled at once; more are answered 503 with Retry-After (the provider delivers them again)'),
    INGEST_SWEEP_EVERY_MS: z.coerce.number().int().min(1_000).default(60_000).describe('how often the sweeper queues stored items that never reached triage'),
    INGEST_SWEEP_GRACE_MS: z.coerce.number().int().min(1_000).default(60_000).describe('how long an item may wait for its triage job before the sweeper queues it'),
    ...xEnv,
    X_POLL_INTERVAL_MS: z.coerce.number().int().min(0).optional().describe('0 turns polling off'),
    META_DRIVER: driver,
    META_APP_SECRET: z.string().optional(),
    META_VERIFY_TOKEN: z.string().optional(),
    META_PAGE_IDS: list.describe('our Facebook Page and Instagram account ids, comma-separated'),
    MAIL_DRIVER: driver,
    ...imapEnv,
    IMAP_MAILBOX: z.string().default('INBOX'),
    MAIL_SPOOL_DIR: z.string().default('var/mail-spool').describe('with MAIL_DRIVER=fake: a folder whose .eml files are the mailbox'),
    MAIL_OWN_ADDRESSES: list.describe('our own addresses; mail from them is not inbound'),
    MAIL_ATTACHMENT_CAP_BYTES: z.coerce.number().int().min(0).default(5 * 1024 * 1024),
    MAIL_MAX_MESSAGE_BYTES: bytes(25 * 1024 * 1024),
  })
  .superRefine(
    requireForLive({
      X_DRIVER: X_LIVE,
      META_DRIVER: ['META_APP_SECRET', 'META_VERIFY_TOKEN', 'META_PAGE_IDS'],
      MAIL_DRIVER: ['IMAP_HOST', 'IMAP_USER', 'IMAP_PASSWORD'],
    }),
  );
export const triageEnv = sharedEnv.extend({
  TRIAGE_HEALTH_PORT: port(3002),
  TRIAGE_LOCK_MS: z.coerce
    .number()
    .int()
    .min(1_000)
    .default(30_000)
    .describe('how long a crashed triage process holds its items before another takes them over'),
  TRIAGE_BATCH: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(64)
    .describe('most items triage decides in one round trip to Postgres; it holds twice as many jobs, so the next batch gathers while one runs'),
});

/** `id=token` pairs: each Page (and the Instagram account linked to it) with its Page access token. */
const pageTokens = z
  .string()
  .default('')
  .transform((v, ctx) => {
    const tokens: Record<string, string> = {};
    for (const pair of v.split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = /^(\d{1,30})=(\S+)$/.exec(pair);
      if (!m) {
        // Never echo the value: it holds secrets.
        ctx.addIssue({ code: 'custom', message: 'expected comma-separated id=token pairs (the account id, "=", its Page access token)' });
        return z.NEVER;
      }
      tokens[m[1]!] = m[2]!;
    }
    return tokens;
  });

export const responderEnv = sharedEnv
  .extend({
    RESPONDER_HEALTH_PORT: port(3003),
    RESPONDER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4).describe('outbound jobs one responder runs at once'),
    OUTBOUND_LOCK_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .default(30_000)
      .describe('how long a crashed responder holds a send before another responder takes it over'),
    OUTBOUND_SWEEP_EVERY_MS: z.coerce.number().int().min(1_000).default(30_000).describe('how often the sweeper re-queues outbound rows whose job was lost'),
    OUTBOUND_SWEEP_GRACE_MS: z.coerce.number().int().min(1_000).default(60_000).describe('how long an unfinished row stays untouched before the sweeper checks its job'),
    ...xEnv,
    META_DRIVER: driver,
    META_GRAPH_URL: z.string().url().optional().describe('the Graph API with its version; a fake driver defaults to http://127.0.0.1:4401/v21.0'),
    META_APP_SECRET: z.string().optional(),
    META_PAGE_TOKENS: pageTokens.describe('id=token pairs: each Page and Instagram account id with its Page access token'),
    MAIL_DRIVER: driver,
    MAIL_FROM: z.string().optional().describe('the communications address replies come from, e.g. "Communications <comms@trust.nhs.uk>"'),
    SMTP_HOST: z.string().optional(),
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
    SMTP_SECURE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
    SMTP_USER: z.string().optional(),
    SMTP_PASSWORD: z.string().optional(),
    ...imapEnv,
    MAIL_SENT_MAILBOX: z.string().optional().describe('the IMAP folder where the mail provider keeps what we send (reconciliation after a crash)'),
    MAIL_OUTBOX_DIR: z.string().default('var/mail-outbox').describe('with MAIL_DRIVER=fake: where sent mail is written as .eml files'),
  })
  .superRefine(
    requireForLive({
      X_DRIVER: X_LIVE,
      META_DRIVER: ['META_PAGE_TOKENS'],
      MAIL_DRIVER: ['SMTP_HOST', 'MAIL_FROM'],
    }),
  );
