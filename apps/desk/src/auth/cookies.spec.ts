import { describe, expect, it } from '@jest/globals';
import type { Request } from 'express';
import { cookieIsSecure, readCookie, sessionCookie } from './cookies.js';
import { newToken, sameToken, tokenHash } from './tokens.js';
import { passwordProblem } from './passwords.js';

describe('cookies', () => {
  it('reads the named cookie among others, and nothing from a malformed header', () => {
    expect(readCookie('a=1; desk_session=abc%3D; b=2', 'desk_session')).toBe('abc=');
    expect(readCookie('xdesk_session=1', 'desk_session')).toBeUndefined();
    expect(readCookie('desk_session=%E0%A4%A', 'desk_session')).toBeUndefined();
    expect(readCookie(undefined, 'desk_session')).toBeUndefined();
  });

  it('sets the session cookie HttpOnly and SameSite=Strict, Secure when asked', () => {
    expect(sessionCookie('s', 'v', { maxAgeSeconds: 0, secure: true })).toBe('s=v; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure');
    // The login cookie has no fixed lifetime: the server's sliding expiry decides.
    expect(sessionCookie('s', 'v', { secure: false })).toBe('s=v; Path=/; HttpOnly; SameSite=Strict');
    expect(sessionCookie('s', 'v', { maxAgeSeconds: 60, secure: false })).not.toContain('Secure');
  });

  it('is Secure in auto mode except over plain http on this machine', () => {
    const req = (secure: boolean, hostname: string) => ({ secure, hostname }) as Request;
    expect(cookieIsSecure('auto', req(false, '127.0.0.1'))).toBe(false);
    expect(cookieIsSecure('auto', req(false, 'desk.trust.nhs.uk'))).toBe(true);
    expect(cookieIsSecure('auto', req(true, 'localhost'))).toBe(true);
    expect(cookieIsSecure(false, req(true, 'desk.trust.nhs.uk'))).toBe(false);
  });
});

describe('tokens and passwords', () => {
  it('makes distinct 256-bit tokens and stores only their hash', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(newToken());
    expect(tokenHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash(a)).not.toContain(a);
    expect(sameToken(a, a)).toBe(true);
    expect(sameToken(a, `${a}x`)).toBe(false);
  });

  it('asks for at least 12 characters', () => {
    expect(passwordProblem('short')).toMatch(/12/);
    expect(passwordProblem('long enough pass')).toBeUndefined();
    expect(passwordProblem('x'.repeat(201))).toMatch(/200/);
  });
});
