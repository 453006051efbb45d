import type { z } from 'zod';
import { FAKE_CREDENTIALS, xAccount, type Driver, type XAccount } from './ingest-settings.js';
import type { responderEnv } from './schemas.js';

export interface ResponderSettings {
  concurrency: number;
  lockMs: number;
  /** The sweep that re-queues unfinished rows whose job Redis lost. */
  sweep: { everyMs: number; graceMs: number };
  x: XAccount;
  meta: { driver: Driver; graphUrl: string; appSecret?: string; pageTokens: Record<string, string> };
  mail: {
    driver: Driver;
    from: string;
    smtp: { host: string; port: number; secure: boolean; user?: string; password?: string };
    /** Where the provider keeps sent mail, for reconciliation; undefined when not configured. */
    sent?: { imap: { host: string; port: number; secure: boolean; user: string; password: string }; mailbox: string };
    outboxDir: string;
  };
}

export function responderSettings(env: z.infer<typeof responderEnv>): ResponderSettings {
  const fakeMeta = FAKE_CREDENTIALS.meta;
  const metaLive = env.META_DRIVER === 'live';
  const hasTokens = Object.keys(env.META_PAGE_TOKENS).length > 0;
  return {
    concurrency: env.RESPONDER_CONCURRENCY,
    lockMs: env.OUTBOUND_LOCK_MS,
    sweep: { everyMs: env.OUTBOUND_SWEEP_EVERY_MS, graceMs: env.OUTBOUND_SWEEP_GRACE_MS },
    x: xAccount(env),
    meta: {
      driver: env.META_DRIVER,
      graphUrl: env.META_GRAPH_URL ?? (metaLive ? 'https://graph.facebook.com/v21.0' : fakeMeta.graphUrl),
      appSecret: env.META_APP_SECRET ?? (metaLive ? undefined : fakeMeta.appSecret),
      pageTokens: metaLive || hasTokens ? env.META_PAGE_TOKENS : { ...fakeMeta.pageTokens },
    },
    mail: {
      driver: env.MAIL_DRIVER,
      from: env.MAIL_FROM ?? 'Communications team <communications@trust.example>',
      smtp: { host: env.SMTP_HOST ?? '127.0.0.1', port: env.SMTP_PORT, secure: env.SMTP_SECURE, user: env.SMTP_USER, password: env.SMTP_PASSWORD },
      sent:
        env.MAIL_SENT_MAILBOX && env.IMAP_HOST
          ? {
              imap: { host: env.IMAP_HOST, port: env.IMAP_PORT, secure: env.IMAP_SECURE, user: env.IMAP_USER ?? '', password: env.IMAP_PASSWORD ?? '' },
              mailbox: env.MAIL_SENT_MAILBOX,
            }
          : undefined,
      outboxDir: env.MAIL_OUTBOX_DIR,
    },
  };
}
