import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ROLES, type DeskUser } from '@desk/domain';
import { CurrentUser } from '../auth/current-user.js';
import { Roles } from '../auth/roles.js';
import type { AuthedRequest } from '../auth/session.guard.js';
import { EventRelay } from './event-relay.js';
import { visibleTo } from './stream-event.js';

/** Keeps proxies from closing a quiet stream and lets the browser notice a dead one. */
const HEARTBEAT_MS = 25_000;

/** Server-sent events: the queue, conversations and the press list move without a reload. */
@Controller('api/events')
export class EventsController {
  constructor(private readonly relay: EventRelay) {}

  @Get()
  @Roles(...ROLES)
  stream(@CurrentUser() user: DeskUser, @Req() req: AuthedRequest, @Res() res: Response): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    const subscription = this.relay.events.subscribe((event) => {
      if (visibleTo(user.role, event)) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    req.on('close', () => {
      clearInterval(heartbeat);
      subscription.unsubscribe();
    });
  }
}
