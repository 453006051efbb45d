import { Injectable, Logger } from '@nestjs/common';
import { DeskEvents, type DeskEvent } from '@desk/runtime';

/** Publishes what an officer did; a lost event costs other browsers a refresh, never the action. */
@Injectable()
export class DeskPublisher {
  private readonly logger = new Logger('Events');

  constructor(private readonly events: DeskEvents) {}

  async publish(event: DeskEvent): Promise<void> {
    try {
      await this.events.publish(event);
    } catch (error) {
      this.logger.warn(`desk event ${event.type} not published: ${(error as Error).message}`);
    }
  }
}
