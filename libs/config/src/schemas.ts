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

export const deskEnv = sharedEnv.extend({ DESK_PORT: port(3000) });
export const ingestEnv = sharedEnv.extend({ INGEST_PORT: port(3001) });
export const triageEnv = sharedEnv.extend({ TRIAGE_HEALTH_PORT: port(3002) });
export const responderEnv = sharedEnv.extend({ RESPONDER_HEALTH_PORT: port(3003) });
