import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { DeskUser, Role } from '@desk/domain';
import { ApiException } from '../http/api-error.js';
import { AuthService } from './auth.service.js';
import { readCookie } from './cookies.js';
import { PUBLIC_KEY, ROLES_KEY } from './roles.js';
import { sameToken } from './tokens.js';

export const SESSION_COOKIE = 'desk_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthedRequest extends Request {
  deskUser?: DeskUser;
  deskSession?: { token: string; csrfToken: string };
}

/**
 * Every /api request: a live session, the handler's roles, and for anything that changes state
 * the session's CSRF token in `X-CSRF-Token`. A handler without declared roles is refused, so a
 * new endpoint can't be open by omission.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  private readonly logger = new Logger('Access');

  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<AuthedRequest>();
    // Express matches routes case-insensitively: /API/... reaches the same handlers, so it is checked too.
    if (!req.path.toLowerCase().startsWith('/api/')) return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const session = token ? await this.auth.session(token) : undefined;
    if (!token || !session) throw new ApiException('unauthenticated', 'Please log in.');

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles) {
      this.logger.error(`${req.method} ${req.route?.path ?? req.path} declares no roles; refused`);
      throw new ApiException('forbidden', 'This action is not available.');
    }
    if (!roles.includes(session.user.role)) {
      throw new ApiException('forbidden', `Your role (${session.user.role}) can't do this.`);
    }
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.header('x-csrf-token');
      if (!sent || !sameToken(sent, session.csrfToken)) {
        this.logger.warn(`CSRF token missing or wrong: ${req.method} ${req.path} by ${session.user.id}`);
        throw new ApiException('csrf', 'The page is out of date: reload it and try again.');
      }
    }
    req.deskUser = session.user;
    req.deskSession = { token, csrfToken: session.csrfToken };
    return true;
  }
}
