import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { Subject, type Observable } from 'rxjs';
import { redisConnectionOptions, type ServiceConfig } from '@desk/config';
import type { DeskStreamEvent } from '@desk/domain';
import { logErrorsOf } from '@desk/queues';
import { deskEventsChannel, SERVICE_CONFIG, type DeskEvent } from '@desk/runtime';
import { toStreamEvents } from './stream-event.js';

/**
 * Subscribes once per desk process to the services' events and fans them out to the browsers
 * connected to this process. A missed event costs a refresh, never data.
 */
@Injectable()
export class EventRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Events');
  private readonly subject = new Subject<DeskStreamEvent>();
  private subscriber: Redis | undefined;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: ServiceConfig) {}

  get events(): Observable<DeskStreamEvent> {
    return this.subject.asObservable();
  }

  onModuleInit(): void {
    this.subscriber = new Redis({ ...redisConnectionOptions(this.config.redisUrl), maxRetriesPerRequest: null });
    logErrorsOf(this.subscriber, 'event subscription', (line) => this.logger.warn(line));
    this.subscriber.on('message', (_channel, message) => this.relay(message));
    // Not awaited: the desk starts (and /health says Redis is down) while Redis is away; ioredis
    // subscribes once it connects, and again after every reconnect.
    this.subscriber.subscribe(deskEventsChannel(this.config.queuePrefix)).catch((error: Error) => this.logger.error(`event subscription failed: ${error.message}`));
  }

  private relay(message: string): void {
    let event: DeskEvent;
    try {
      event = JSON.parse(message) as DeskEvent;
    } catch {
      this.logger.warn('an unreadable desk event was dropped');
      return;
    }
    for (const out of toStreamEvents(event)) this.subject.next(out);
  }

  onApplicationShutdown(): void {
    this.subject.complete();
    this.subscriber?.disconnect();
  }
}
