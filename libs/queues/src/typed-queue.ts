import type { Job, JobsOptions, Queue } from 'bullmq';
import { jobIdFor } from './job-id.js';
import type { JobName, QueueJobs, QueueName } from './jobs.js';
import { Batcher } from './batcher.js';

export interface EnqueueOptions extends Omit<JobsOptions, 'jobId'> {
  /** What makes this job unique (usually a row id); the job id is derived from it. */
  key: string;
}

interface JobToAdd {
  name: string;
  data: unknown;
  opts: JobsOptions;
}

/**
 * A BullMQ queue that only accepts its own jobs: a job name from another queue, or a payload of
 * the wrong shape, is a compile error.
 */
export class TypedQueue<Q extends QueueName> {
  private readonly soon: Batcher<JobToAdd, Job>;

  constructor(
    readonly name: Q,
    private readonly queue: Queue,
  ) {
    if (queue.name !== name) throw new Error(`TypedQueue: expected queue "${name}", got "${queue.name}"`);
    this.soon = new Batcher((jobs) => this.queue.addBulk(jobs));
  }

  enqueue<N extends JobName<Q>>(name: N, data: QueueJobs[Q][N], options: EnqueueOptions): Promise<Job> {
    const job = jobToAdd(name, data, options);
    return this.queue.add(job.name, job.data, job.opts);
  }

  /**
   * As `enqueue`, but the jobs enqueued in the same turn of the event loop reach Redis together,
   * in one round trip: a burst of concurrent webhooks costs one write, not one each. If that
   * batch fails, every job in it is reported failed (some may have been added all the same; the
   * job ids make adding them again harmless).
   */
  enqueueSoon<N extends JobName<Q>>(name: N, data: QueueJobs[Q][N], options: EnqueueOptions): Promise<Job> {
    return this.soon.add(jobToAdd(name, data, options));
  }

  get raw(): Queue {
    return this.queue;
  }
}

function jobToAdd(name: string, data: unknown, options: EnqueueOptions): JobToAdd {
  const { key, ...rest } = options;
  return { name, data, opts: { ...rest, jobId: jobIdFor(name, key) } };
}
