import type { Request } from 'express';

/** Reads one cookie without a parser dependency; later duplicates are ignored. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface CookieOptions {
  /** Omitted: a browser-session cookie, while the server slides the session's own expiry with use. 0: delete. */
  maxAgeSeconds?: number;
  secure: boolean;
}

export function sessionCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * `auto`: Secure everywhere except plain http on this machine, where browsers would drop a Secure
 * cookie set over http by a non-localhost name. Behind TLS (or a proxy saying so) it is always Secure.
 */
export function cookieIsSecure(setting: 'auto' | boolean, req: Request): boolean {
  if (setting !== 'auto') return setting;
  if (req.secure) return true;
  return !LOOPBACK.has(req.hostname);
}
