import { parseEnv } from './load.js';
import { deskEnv, ingestEnv, responderEnv, type sharedEnv, triageEnv } from './schemas.js';
import { ingestSettings, type IngestSettings } from './ingest-settings.js';
import { responderSettings, type ResponderSettings } from './responder-settings.js';
import type { z } from 'zod';

export const SERVICES = ['desk', 'ingest', 'triage', 'responder'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** What every service needs to start, whatever it does. */
export interface ServiceConfig {
  service: ServiceName;
  env: 'development' | 'production' | 'test';
  logLevel: z.infer<typeof sharedEnv>['LOG_LEVEL'];
  databaseUrl: string;
  redisUrl: string;
  queuePrefix: string;
  host: string;
  /** HTTP port: the API for desk and ingest, the health endpoint for the workers. */
  port: number;
  shutdownGraceMs: number;
  sla: {
    /** The SLA_* calendar variables as given; the sla library validates them. */
    calendarEnv: Record<string, string | undefined>;
    targetHours: number;
    atRiskHours: number;
  };
  /** Only for the ingest service. */
  ingest?: IngestSettings;
  /** Only for the responder. */
  responder?: ResponderSettings;
  /** Only for triage. */
  triage?: TriageRuntimeSettings;
  /** Only for the desk. */
  desk?: DeskSettings;
}

export interface TriageRuntimeSettings {
  lockMs: number;
  /** Most items decided in one round trip (TRIAGE_BATCH). */
  batch: number;
}

export interface DeskSettings {
  cookieSecure: 'auto' | boolean;
  sessionMs: number;
  loginMaxFailures: number;
  loginWindowMs: number;
  staticDir: string | undefined;
  trustProxy: boolean;
}

type Env = Record<string, string | undefined>;

function common(service: ServiceName, env: z.infer<typeof sharedEnv>, port: number): ServiceConfig {
  return {
    service,
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    databaseUrl: env.DATABASE_URL,
    redisUrl: env.REDIS_URL,
    queuePrefix: env.QUEUE_PREFIX,
    host: env.BIND_HOST,
    port,
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    sla: {
      calendarEnv: {
        SLA_TIME_ZONE: env.SLA_TIME_ZONE,
        SLA_DIVISION: env.SLA_DIVISION,
        SLA_OPENING_HOURS: env.SLA_OPENING_HOURS,
        SLA_CLOSURES: env.SLA_CLOSURES,
      },
      targetHours: env.SLA_TARGET_HOURS,
      atRiskHours: env.SLA_AT_RISK_HOURS,
    },
  };
}

/** Reads and validates one service's environment; throws ConfigError naming each bad variable. */
export function loadServiceConfig(service: ServiceName, source: Env = process.env): ServiceConfig {
  switch (service) {
    case 'desk': {
      const env = parseEnv(service, deskEnv, source);
      return {
        ...common(service, env, env.DESK_PORT),
        desk: {
          cookieSecure: env.DESK_COOKIE_SECURE === 'auto' ? 'auto' : env.DESK_COOKIE_SECURE === 'true',
          sessionMs: env.DESK_SESSION_HOURS * 3_600_000,
          loginMaxFailures: env.DESK_LOGIN_MAX_FAILURES,
          loginWindowMs: env.DESK_LOGIN_WINDOW_MINUTES * 60_000,
          staticDir: env.DESK_STATIC_DIR,
          trustProxy: env.DESK_TRUST_PROXY === 'true',
        },
      };
    }
    case 'ingest': {
      const env = parseEnv(service, ingestEnv, source);
      return { ...common(service, env, env.INGEST_PORT), ingest: ingestSettings(env) };
    }
    case 'triage': {
      const env = parseEnv(service, triageEnv, source);
      return { ...common(service, env, env.TRIAGE_HEALTH_PORT), triage: { lockMs: env.TRIAGE_LOCK_MS, batch: env.TRIAGE_BATCH } };
    }
    case 'responder': {
      const env = parseEnv(service, responderEnv, source);
      return { ...common(service, env, env.RESPONDER_HEALTH_PORT), responder: responderSettings(env) };
    }
  }
}
