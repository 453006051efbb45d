import { UnrecoverableError, type Job } from 'bullmq';
import type { JobName, QueueJobs, QueueName, PingPayload } from '@desk/queues';

export type Handlers<Q extends QueueName> = {
  /** `token` is the worker's lock on the job, needed to move it (e.g. to wait out a rate limit). */
  [N in JobName<Q>]?: (data: QueueJobs[Q][N], job: Job, token?: string) => Promise<unknown>;
};

const SUPPORTED_VERSION = 1;
const MAX_HOLD_MS = 10_000;

/**
 * Runs the handler for a job. A job no handler knows, or a payload version this code does not
 * understand, fails permanently with a reason rather than being retried or silently dropped.
 */
export async function dispatch<Q extends QueueName>(service: string, handlers: Handlers<Q>, job: Job, token?: string): Promise<unknown> {
  const handler = handlers[job.name as JobName<Q>] as ((data: unknown, job: Job, token?: string) => Promise<unknown>) | undefined;
  if (!handler) throw new UnrecoverableError(`${service} has no handler for job "${job.name}" on queue "${job.queueName}"`);
  const version = (job.data as { v?: unknown } | null)?.v;
  if (version !== SUPPORTED_VERSION) {
    throw new UnrecoverableError(`job "${job.name}" has payload version ${String(version)}; ${service} reads version ${SUPPORTED_VERSION}`);
  }
  return handler(job.data, job, token);
}

/** Answers a liveness probe sent through a queue: proves its owner is consuming it. */
export async function answerPing(service: string, data: PingPayload): Promise<{ service: string; pid: number; nonce: string }> {
  const hold = Math.min(Math.max(data.holdMs ?? 0, 0), MAX_HOLD_MS);
  if (hold > 0) await new Promise((resolve) => setTimeout(resolve, hold));
  return { service, pid: process.pid, nonce: data.nonce };
}
