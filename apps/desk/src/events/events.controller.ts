import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ROLES, type DeskUser } from '@desk/domain';
import { AuthService } from '../auth/auth.service.js';
import { CurrentUser } from '../auth/current-user.js';
import { Roles } from '../auth/roles.js';
import type { AuthedRequest } from '../auth/session.guard.js';
import { EventRelay } from './event-relay.js';
import { visibleTo } from './stream-event.js';

/** Keeps proxies from closing a quiet stream and lets the browser notice a dead one. */
const HEARTBEAT_MS = 25_000;
/** A stream outlives no session: it is re-checked this often (on an event or a heartbeat). */
const SESSION_CHECK_MS = 5_000;

/** Server-sent events: the queue, conversations and the press list move without a reload. */
@Controller('api/events')
export class EventsController {
  constructor(
    private readonly relay: EventRelay,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @Roles(...ROLES)
  stream(@CurrentUser() user: DeskUser, @Req() req: AuthedRequest, @Res() res: Response): void {
    const token = req.deskSession!.token;
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 3000\n\n');
    let checkedAt = Date.now();
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      subscription.unsubscribe();
      res.end();
    };
    // Logged out, expired or deactivated: the stream ends and the browser's reconnect gets a 401.
    const stillValid = async (): Promise<boolean> => {
      if (Date.now() - checkedAt < SESSION_CHECK_MS) return true;
      checkedAt = Date.now();
      const session = await this.auth.session(token).catch(() => undefined);
      if (!session) close();
      return Boolean(session);
    };
    const subscription = this.relay.events.subscribe((event) => {
      if (!visibleTo(user.role, event)) return;
      void stillValid().then((ok) => {
        if (ok && !closed) res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
      });
    });
    const heartbeat = setInterval(() => {
      void stillValid().then((ok) => {
        if (ok && !closed) res.write(': keep-alive\n\n');
      });
    }, HEARTBEAT_MS);
    req.on('close', close);
  }
}
