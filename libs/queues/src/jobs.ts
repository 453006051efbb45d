/**
 * Every job the system passes between services, as one map per queue. Payloads carry ids and a
 * version, never whole rows: a handler reads the current row, so a retried or late job acts on
 * the truth in Postgres rather than on a stale copy.
 */
export interface PingPayload {
  v: 1;
  nonce: string;
  /** Keeps the worker busy this long; used to check that shutdown waits for the job in hand. */
  holdMs?: number;
}

export interface QueueJobs {
  /** Owned by ingest: pollers and the sweeper that re-enqueues items triage never saw. */
  ingest: {
    'system.ping': PingPayload;
    'ingest.sweep': { v: 1 };
  };
  /** Owned by triage: classify one stored inbound item. */
  triage: {
    'system.ping': PingPayload;
    'triage.item': { v: 1; itemId: string };
    /** An officer's re-route: the item takes this route and the route's automatic actions. */
    'triage.reroute': { v: 1; itemId: string; route: string; reason: string; actorId: string };
  };
  /** Owned by responder: perform one outbound_message row (reply, hide, forward). */
  outbound: {
    'system.ping': PingPayload;
    'outbound.send': { v: 1; outboundId: string };
    /** Re-queues rows no responder finished (a lost job, a worker that died too often). */
    'outbound.sweep': { v: 1 };
  };
  /** Owned by desk: timed work such as waking a snoozed conversation. */
  desk: {
    'system.ping': PingPayload;
    'desk.wake': { v: 1; conversationId: string };
    /** Every minute: wakes snoozed conversations whose delayed job was lost, ends expired sessions. */
    'desk.sweep': { v: 1 };
    /** Every 2 s: recomputes the report facts of items marked dirty. */
    'report.refresh': { v: 1 };
  };
}

export type QueueName = keyof QueueJobs;
export const QUEUE_NAMES = ['ingest', 'triage', 'outbound', 'desk'] as const satisfies readonly QueueName[];

export type JobName<Q extends QueueName> = keyof QueueJobs[Q] & string;
export type JobPayload<Q extends QueueName, N extends JobName<Q>> = QueueJobs[Q][N];

/** The one union of every job: queue, name and payload together. */
export type AnyJob = {
  [Q in QueueName]: { [N in JobName<Q>]: { queue: Q; name: N; data: QueueJobs[Q][N] } }[JobName<Q>];
}[QueueName];

/** Which service consumes each queue. */
export const QUEUE_OWNER = {
  ingest: 'ingest',
  triage: 'triage',
  outbound: 'responder',
  desk: 'desk',
} as const satisfies Record<QueueName, string>;
