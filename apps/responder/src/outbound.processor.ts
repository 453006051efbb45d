import { Processor } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import type { ResponderSettings } from '@desk/config';
import { LoggedWorkerHost } from '@desk/queues';
import { answerPing, dispatch, type Handlers } from '@desk/runtime';
import { OutboundSweeper } from './outbound-sweeper.js';
import { OutboundWorker } from './outbound-worker.js';

/** Consumes the outbound queue, which this service owns. */
@Injectable()
export class ResponderProcessor extends LoggedWorkerHost {
  private readonly handlers: Handlers<'outbound'>;

  constructor(worker: OutboundWorker, sweeper: OutboundSweeper) {
    super();
    this.handlers = {
      'system.ping': (data) => answerPing('responder', data),
      'outbound.send': (data, job, token) => worker.send(data.outboundId, job, token),
      'outbound.sweep': () => sweeper.sweep(),
    };
  }

  override process(job: Job, token?: string): Promise<unknown> {
    return dispatch('responder', this.handlers, job, token);
  }
}

/**
 * The processor with its worker options from configuration (decorator arguments are fixed at
 * import, before configuration is read). The lock is how long a responder killed mid-send keeps its
 * job before another takes it over; the handler is idempotent, so a job may stall more than once.
 */
export function configuredProcessor(settings: ResponderSettings): typeof ResponderProcessor {
  class ConfiguredResponderProcessor extends ResponderProcessor {}
  Processor('outbound', {
    concurrency: settings.concurrency,
    lockDuration: settings.lockMs,
    stalledInterval: Math.max(1_000, Math.floor(settings.lockMs / 2)),
    maxStalledCount: 10,
  })(ConfiguredResponderProcessor);
  return ConfiguredResponderProcessor;
}
