import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DeskUser } from '@desk/domain';
import { SessionsRepository, UsersRepository, type StoredSession } from '@desk/persistence';
import { ApiException } from '../http/api-error.js';
import { LoginLimiter } from './login-limiter.js';
import { decoyHash, verifyPassword } from './passwords.js';
import { newToken, tokenHash } from './tokens.js';
import { DESK_SETTINGS, type DeskRuntimeSettings } from '../tokens.js';

export interface NewSession {
  token: string;
  csrfToken: string;
  user: DeskUser;
}

/** Logins, sessions and logouts. */
@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');
  /** Sliding expiry is written at most this often per session, not on every request. */
  private static readonly TOUCH_EVERY_MS = 60_000;

  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly limiter: LoginLimiter,
    @Inject(DESK_SETTINGS) private readonly settings: DeskRuntimeSettings,
  ) {}

  async login(email: string, password: string, ip: string, userAgent: string | null): Promise<NewSession> {
    const wait = await this.limitWait(email, ip);
    if (wait > 0) {
      this.logger.warn(`login refused: too many failures for this email or address (${ip})`);
      throw new ApiException('rate_limited', `Too many failed attempts. Try again in ${Math.ceil(wait / 60_000)} minute(s).`, {
        retryAfterSeconds: Math.ceil(wait / 1000),
      });
    }
    const found = await this.users.credentials(email);
    // Verify against a decoy when the email is unknown, so both answers take as long.
    const ok = await verifyPassword(found?.passwordHash ?? (await decoyHash()), password);
    if (!found || !ok) {
      await this.limiter.failed(email, ip).catch((error: Error) => this.logger.warn(`login failure not counted: ${error.message}`));
      this.logger.warn(`failed login from ${ip}`);
      throw new ApiException('unauthenticated', 'Wrong email or password.');
    }
    await this.limiter.succeeded(email).catch(() => undefined);
    const token = newToken();
    const csrfToken = newToken();
    await this.sessions.create({
      idHash: tokenHash(token),
      userId: found.user.id,
      csrfToken,
      expiresAt: new Date(Date.now() + this.settings.sessionMs),
      ip,
      userAgent,
    });
    await this.users.recordLogin(found.user.id);
    this.logger.log(`login: ${found.user.id} (${found.user.role})`);
    return { token, csrfToken, user: found.user };
  }

  /** The session for a cookie token, sliding its expiry; undefined when unknown, expired or the user is inactive. */
  async session(token: string): Promise<StoredSession | undefined> {
    const idHash = tokenHash(token);
    const now = new Date();
    const session = await this.sessions.find(idHash, now);
    if (session && now.getTime() - session.lastSeenAt.getTime() > AuthService.TOUCH_EVERY_MS) {
      await this.sessions.touch(idHash, new Date(now.getTime() + this.settings.sessionMs));
    }
    return session;
  }

  async logout(token: string): Promise<void> {
    await this.sessions.delete(tokenHash(token));
  }

  private async limitWait(email: string, ip: string): Promise<number> {
    try {
      return await this.limiter.wait(email, ip);
    } catch (error) {
      // Without Redis the limit can't be counted; logins still work and the gap is logged.
      this.logger.error(`login limiter unavailable: ${(error as Error).message}`);
      return 0;
    }
  }
}
