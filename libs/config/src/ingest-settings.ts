import type { z } from 'zod';
import type { ingestEnv } from './schemas.js';

export type Driver = 'live' | 'fake';

/** Test values a fake driver uses, shared with the local fakes so they sign and answer alike. */
export const FAKE_CREDENTIALS = {
  x: { consumerKey: 'fake-x-consumer-key', consumerSecret: 'fake-x-consumer-secret', accessToken: 'fake-x-access-token', accessSecret: 'fake-x-access-secret', userId: '2244994945', baseUrl: 'http://127.0.0.1:4400' },
  meta: {
    appSecret: 'fake-meta-app-secret',
    verifyToken: 'fake-meta-verify-token',
    pageIds: ['1234567890'],
    pageTokens: { '1234567890': 'fake-meta-page-token' },
    graphUrl: 'http://127.0.0.1:4401/v21.0',
  },
} as const;

/** Our X account, as ingest reads with it and the responder posts with it. */
export interface XAccount {
  driver: Driver;
  /** Undefined for live: the real API. */
  baseUrl?: string;
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessSecret: string;
  /** Our own account: its tweets and DMs are not inbound, and it authors our replies. */
  userId: string;
}

export interface IngestSettings {
  webhookBodyLimitBytes: number;
  /** Deliveries handled at once; more are refused 503 (WEBHOOK_MAX_IN_FLIGHT). */
  webhookMaxInFlight: number;
  /** The sweep that queues stored items whose triage job never reached Redis. */
  sweep: { everyMs: number; graceMs: number };
  x: XAccount & { pollIntervalMs: number };
  meta: { driver: Driver; appSecret: string; verifyToken: string; pageIds: string[] };
  mail: {
    driver: Driver;
    imap: { host: string; port: number; secure: boolean; user: string; password: string; mailbox: string };
    spoolDir: string;
    ownAddresses: string[];
    attachmentCapBytes: number;
    maxMessageBytes: number;
  };
}

/** The X_* variables shared by ingest and the responder. */
export type XAccountEnv = Pick<z.infer<typeof ingestEnv>, 'X_DRIVER' | 'X_API_BASE_URL' | 'X_CONSUMER_KEY' | 'X_CONSUMER_SECRET' | 'X_ACCESS_TOKEN' | 'X_ACCESS_SECRET' | 'X_USER_ID'>;

/** Our X account: the live one as configured, or the fake's test values. */
export function xAccount(env: XAccountEnv): XAccount {
  const fakeX = FAKE_CREDENTIALS.x;
  return {
    driver: env.X_DRIVER,
    baseUrl: env.X_API_BASE_URL ?? (env.X_DRIVER === 'live' ? undefined : fakeX.baseUrl),
    consumerKey: env.X_CONSUMER_KEY ?? fakeX.consumerKey,
    consumerSecret: env.X_CONSUMER_SECRET ?? fakeX.consumerSecret,
    accessToken: env.X_ACCESS_TOKEN ?? fakeX.accessToken,
    accessSecret: env.X_ACCESS_SECRET ?? fakeX.accessSecret,
    userId: env.X_USER_ID ?? fakeX.userId,
  };
}

export function ingestSettings(env: z.infer<typeof ingestEnv>): IngestSettings {
  const fakeMeta = FAKE_CREDENTIALS.meta;
  const xLive = env.X_DRIVER === 'live';
  const metaLive = env.META_DRIVER === 'live';
  return {
    webhookBodyLimitBytes: env.WEBHOOK_BODY_LIMIT_BYTES,
    webhookMaxInFlight: env.WEBHOOK_MAX_IN_FLIGHT,
    sweep: { everyMs: env.INGEST_SWEEP_EVERY_MS, graceMs: env.INGEST_SWEEP_GRACE_MS },
    x: {
      ...xAccount(env),
      // A fake driver polls only when asked: there is no X API to poll unless a test starts one.
      pollIntervalMs: env.X_POLL_INTERVAL_MS ?? (xLive ? 60_000 : 0),
    },
    meta: {
      driver: env.META_DRIVER,
      appSecret: env.META_APP_SECRET ?? fakeMeta.appSecret,
      verifyToken: env.META_VERIFY_TOKEN ?? fakeMeta.verifyToken,
      pageIds: metaLive || env.META_PAGE_IDS.length ? env.META_PAGE_IDS : [...fakeMeta.pageIds],
    },
    mail: {
      driver: env.MAIL_DRIVER,
      imap: {
        host: env.IMAP_HOST ?? '127.0.0.1',
        port: env.IMAP_PORT,
        secure: env.IMAP_SECURE,
        user: env.IMAP_USER ?? '',
        password: env.IMAP_PASSWORD ?? '',
        mailbox: env.IMAP_MAILBOX,
      },
      spoolDir: env.MAIL_SPOOL_DIR,
      ownAddresses: env.MAIL_OWN_ADDRESSES.map((a) => a.toLowerCase()),
      attachmentCapBytes: env.MAIL_ATTACHMENT_CAP_BYTES,
      maxMessageBytes: env.MAIL_MAX_MESSAGE_BYTES,
    },
  };
}
