import { hmacSha256, safeEqual } from '../signature.js';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export const SIGNATURE_HEADER = 'x-hub-signature-256';
const FORMAT = /^sha256=([0-9a-fA-F]{64})$/;

/**
 * Checks `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the
 * app secret>`, as Meta signs every webhook delivery. Reasons are safe to log: they never quote
 * the header or the secret.
 */
export function checkSignature(body: Buffer, header: string | string[] | undefined, appSecret: string): SignatureCheck {
  // An unset secret must not turn into "anyone who signs with the empty string is Meta".
  if (!appSecret) return { ok: false, reason: 'no app secret configured' };
  if (header === undefined || header === '') return { ok: false, reason: 'no X-Hub-Signature-256 header' };
  const match = typeof header === 'string' ? FORMAT.exec(header.trim()) : null;
  if (!match) return { ok: false, reason: 'malformed X-Hub-Signature-256 header' };
  const expected = hmacSha256(appSecret, body).toString('hex');
  return safeEqual(match[1]!.toLowerCase(), expected) ? { ok: true } : { ok: false, reason: 'signature does not match the body' };
}
