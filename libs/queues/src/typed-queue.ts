import type { Job, JobsOptions, Queue } from 'bullmq';
import { jobIdFor } from './job-id.js';
import type { JobName, QueueJobs, QueueName } from './jobs.js';

export interface EnqueueOptions extends Omit<JobsOptions, 'jobId'> {
  /** What makes this job unique (usually a row id); the job id is derived from it. */
  key: string;
}

/**
 * A BullMQ queue that only accepts its own jobs: a job name from another queue, or a payload of
 * the wrong shape, is a compile error.
 */
export class TypedQueue<Q extends QueueName> {
  constructor(
    readonly name: Q,
    private readonly queue: Queue,
  ) {
    if (queue.name !== name) throw new Error(`TypedQueue: expected queue "${name}", got "${queue.name}"`);
  }

  enqueue<N extends JobName<Q>>(name: N, data: QueueJobs[Q][N], options: EnqueueOptions): Promise<Job> {
    const { key, ...rest } = options;
    return this.queue.add(name, data, { ...rest, jobId: jobIdFor(name, key) });
  }

  get raw(): Queue {
    return this.queue;
  }
}
