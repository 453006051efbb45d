import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { Response } from 'express';
import { z } from 'zod';
import { ROLES, type DeskUser, type SessionInfo } from '@desk/domain';
import { parse } from '../http/parse.js';
import { DESK_SETTINGS, type DeskRuntimeSettings } from '../tokens.js';
import { AuthService } from './auth.service.js';
import { cookieIsSecure, readCookie, sessionCookie } from './cookies.js';
import { CurrentUser } from './current-user.js';
import { Public, Roles } from './roles.js';
import { SESSION_COOKIE, type AuthedRequest } from './session.guard.js';

const LoginBody = z.object({ email: z.string().trim().min(3).max(320), password: z.string().min(1).max(200) });

@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    @Inject(DESK_SETTINGS) private readonly settings: DeskRuntimeSettings,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  async login(@Body() body: unknown, @Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<SessionInfo> {
    const { email, password } = parse(LoginBody, body);
    try {
      const session = await this.auth.login(email, password, req.ip ?? 'unknown', req.header('user-agent') ?? null);
      res.setHeader(
        'Set-Cookie',
        sessionCookie(SESSION_COOKIE, session.token, { secure: cookieIsSecure(this.settings.cookieSecure, req) }),
      );
      return { user: session.user, csrfToken: session.csrfToken };
    } catch (error) {
      const retry = (error as { getResponse?: () => { retryAfterSeconds?: number } }).getResponse?.().retryAfterSeconds;
      if (retry) res.setHeader('Retry-After', String(retry));
      throw error;
    }
  }

  @Post('logout')
  @Roles(...ROLES)
  @HttpCode(204)
  async logout(@Req() req: AuthedRequest, @Res({ passthrough: true }) res: Response): Promise<void> {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (token) await this.auth.logout(token);
    res.setHeader('Set-Cookie', sessionCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: cookieIsSecure(this.settings.cookieSecure, req) }));
  }

  @Get('me')
  @Roles(...ROLES)
  me(@CurrentUser() user: DeskUser, @Req() req: AuthedRequest): SessionInfo {
    return { user, csrfToken: req.deskSession!.csrfToken };
  }
}
