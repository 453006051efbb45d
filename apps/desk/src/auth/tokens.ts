import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe: the session cookie and the CSRF token. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Sessions are stored by this hash, so the table alone can't be replayed as cookies. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
