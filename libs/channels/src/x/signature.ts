import { hmacSha256, safeEqual } from '../signature.js';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export const SIGNATURE_HEADER = 'x-twitter-webhooks-signature';
/** "sha256=" and a base64 SHA-256 digest (44 characters with its padding). */
const FORMAT = /^sha256=([A-Za-z0-9+/]{43}=)$/;
/** X's tokens are short; a long one is someone probing, and costs us an HMAC per byte. */
export const MAX_CRC_TOKEN = 1024;

export function signatureOf(body: Buffer | string, consumerSecret: string): string {
  return `sha256=${hmacSha256(consumerSecret, body).toString('base64')}`;
}

export type CrcAnswer = { ok: true; response: { response_token: string } } | { ok: false; reason: string };

/**
 * The challenge X sends when a webhook is registered and then hourly: proof that we hold the
 * consumer secret is the token's HMAC-SHA256, base64, after "sha256=".
 */
export function answerCrc(crcToken: unknown, consumerSecret: string): CrcAnswer {
  if (!consumerSecret) return { ok: false, reason: 'no consumer secret configured' };
  if (typeof crcToken !== 'string' || crcToken.length === 0) return { ok: false, reason: 'no crc_token' };
  if (crcToken.length > MAX_CRC_TOKEN) return { ok: false, reason: 'crc_token too long' };
  return { ok: true, response: { response_token: signatureOf(crcToken, consumerSecret) } };
}

/**
 * Checks `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256 of the exact body bytes, keyed
 * with the consumer secret>`. Reasons are safe to log: they never quote the header or the secret.
 */
export function checkSignature(body: Buffer, header: string | string[] | undefined, consumerSecret: string): SignatureCheck {
  // An unset secret must not turn into "anyone who signs with the empty string is X".
  if (!consumerSecret) return { ok: false, reason: 'no consumer secret configured' };
  if (header === undefined || header === '') return { ok: false, reason: `no ${SIGNATURE_HEADER} header` };
  const match = typeof header === 'string' ? FORMAT.exec(header.trim()) : null;
  if (!match) return { ok: false, reason: `malformed ${SIGNATURE_HEADER} header` };
  return safeEqual(`sha256=${match[1]}`, signatureOf(body, consumerSecret))
    ? { ok: true }
    : { ok: false, reason: 'signature does not match the body' };
}
