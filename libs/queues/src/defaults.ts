import type { DefaultJobOptions } from 'bullmq';

/**
 * Transient failures retry with exponential backoff (2 s, 4 s, ... about 8.5 minutes in all);
 * failed jobs are kept so that nothing disappears without a trace. Completed jobs are kept for a
 * day, which is also how long a repeated jobId is recognised as a duplicate.
 */
export const DEFAULT_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 2_000 },
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: false,
};
