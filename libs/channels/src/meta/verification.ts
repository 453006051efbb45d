import { hmacSha256, safeEqual } from '../signature.js';

export type VerificationAnswer = { ok: true; challenge: string } | { ok: false; reason: string };

/** Meta sends a number; anything long or with spaces or controls is not a challenge we echo. */
const CHALLENGE = /^[\x21-\x7e]{1,256}$/;

/**
 * The subscription handshake: Meta calls GET with hub.mode=subscribe, the verify token we gave it
 * and a challenge, and expects the challenge back. Any other request gets no echo.
 */
export function answerVerification(query: Record<string, unknown>, verifyToken: string): VerificationAnswer {
  const mode = query['hub.mode'];
  const token = query['hub.verify_token'];
  const challenge = query['hub.challenge'];
  if (mode !== 'subscribe') return { ok: false, reason: 'hub.mode is not subscribe' };
  if (!verifyToken) return { ok: false, reason: 'no verify token configured' };
  if (typeof token !== 'string' || !sameSecret(token, verifyToken)) return { ok: false, reason: 'verify token does not match' };
  if (typeof challenge !== 'string' || !CHALLENGE.test(challenge)) return { ok: false, reason: 'missing or malformed hub.challenge' };
  return { ok: true, challenge };
}

/** Compared as digests, so the time taken tells nothing about the token, not even its length. */
function sameSecret(given: string, expected: string): boolean {
  const key = 'meta-verify-token';
  return safeEqual(hmacSha256(key, given).toString('hex'), hmacSha256(key, expected).toString('hex'));
}
