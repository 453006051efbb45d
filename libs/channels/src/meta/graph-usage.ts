/**
 * Graph's rate limiting is announced before it bites: every answer carries usage percentages
 * (X-App-Usage, X-Page-Usage, X-Business-Use-Case-Usage). Reading them lets the responder slow
 * down while calls still succeed, instead of being blocked for up to an hour once one reaches 100%.
 */
import { isRecord } from './values.js';

/** Headers as fetch gives them, or a plain object (tests, recorded exchanges); names are case-insensitive. */
export type HeaderSource = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

export interface GraphUsage {
  /** The highest percentage any counter in any usage header reports (0 when none does). */
  highestPercent: number;
  /** The longest `estimated_time_to_regain_access` among business use cases, in minutes (0 when none). */
  regainMinutes: number;
}

export interface PacingPolicy {
  /** From this percentage on, calls are spaced out. */
  thresholdPercent: number;
  /** At this percentage and above, the delay is the longest. */
  fullPercent: number;
  maxDelayMs: number;
}

export const DEFAULT_PACING: PacingPolicy = { thresholdPercent: 75, fullPercent: 95, maxDelayMs: 60_000 };

/** When Graph blocks us without saying for how long. */
export const DEFAULT_RATE_LIMIT_MS = 5 * 60_000;

export const USAGE_HEADERS = {
  app: 'x-app-usage',
  page: 'x-page-usage',
  businessUseCase: 'x-business-use-case-usage',
} as const;

const COUNTERS = ['call_count', 'total_cputime', 'total_time'] as const;
/** Headers are attacker-free but not bug-free: anything this long is not a usage report. */
const MAX_HEADER_CHARS = 16_384;

export function headerValue(headers: HeaderSource, name: string): string | undefined {
  if (typeof headers.get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

/** Reads the usage headers; a missing or malformed one counts as no usage, never as an error. */
export function readGraphUsage(headers: HeaderSource): GraphUsage {
  const percents: number[] = [];
  const regains: number[] = [];
  for (const name of [USAGE_HEADERS.app, USAGE_HEADERS.page]) {
    const report = parseHeaderJson(headerValue(headers, name));
    if (isRecord(report)) percents.push(...counters(report));
  }
  const buc = parseHeaderJson(headerValue(headers, USAGE_HEADERS.businessUseCase));
  if (isRecord(buc)) {
    for (const entries of Object.values(buc)) {
      if (!Array.isArray(entries)) continue;
      for (const entry of entries.filter(isRecord)) {
        percents.push(...counters(entry));
        const regain = nonNegative(entry.estimated_time_to_regain_access);
        if (regain !== undefined) regains.push(regain);
      }
    }
  }
  return { highestPercent: Math.max(0, ...percents), regainMinutes: Math.max(0, ...regains) };
}

/**
 * No call before the returned time, or undefined to carry on. The delay grows linearly from
 * nothing at the threshold to the maximum at `fullPercent`, so pacing tightens smoothly as the
 * budget runs out; a regain estimate means Graph is already blocking, and wins when longer.
 */
export function pacingDeadline(usage: GraphUsage, now: Date, policy: PacingPolicy = DEFAULT_PACING): Date | undefined {
  const delays = [regainDelayMs(usage)];
  if (usage.highestPercent >= policy.thresholdPercent) {
    const span = Math.max(1, policy.fullPercent - policy.thresholdPercent);
    const share = Math.min(1, (usage.highestPercent - policy.thresholdPercent) / span);
    delays.push(Math.round(share * policy.maxDelayMs));
  }
  const delay = Math.max(...delays);
  return delay > 0 ? new Date(now.getTime() + delay) : undefined;
}

/** When a rate-limited call may be tried again: Graph's estimate, else the Retry-After we were given, else a default. */
export function rateLimitedUntil(usage: GraphUsage, now: Date, retryAfterSeconds?: number): Date {
  const regain = regainDelayMs(usage);
  if (regain > 0) return new Date(now.getTime() + regain);
  if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) return new Date(now.getTime() + retryAfterSeconds * 1000);
  return new Date(now.getTime() + DEFAULT_RATE_LIMIT_MS);
}

/** Retry-After in delta-seconds (Graph does not send HTTP dates); undefined when absent or unreadable. */
export function readRetryAfter(headers: HeaderSource): number | undefined {
  const value = headerValue(headers, 'retry-after')?.trim();
  return value && /^\d{1,6}$/.test(value) ? Number(value) : undefined;
}

function regainDelayMs(usage: GraphUsage): number {
  return usage.regainMinutes > 0 ? usage.regainMinutes * 60_000 : 0;
}

function parseHeaderJson(value: string | undefined): unknown {
  if (!value || value.length > MAX_HEADER_CHARS) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function counters(report: Record<string, unknown>): number[] {
  return COUNTERS.map((name) => nonNegative(report[name])).filter((n): n is number => n !== undefined);
}

/** Graph sends numbers, but a quoted number is read too; anything else is ignored. */
function nonNegative(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}
