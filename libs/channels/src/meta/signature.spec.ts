import { createHmac } from 'node:crypto';
import { checkSignature } from './signature.js';

const secret = 'fake-meta-app-secret';
const body = Buffer.from('{"object":"page","entry":[]}');
const sign = (bytes: Buffer, key = secret) => `sha256=${createHmac('sha256', key).update(bytes).digest('hex')}`;

describe('checkSignature (X-Hub-Signature-256)', () => {
  it('accepts the HMAC-SHA256 of the exact body with the app secret', () => {
    expect(checkSignature(body, sign(body), secret)).toEqual({ ok: true });
  });

  it('accepts upper-case hex and surrounding spaces', () => {
    expect(checkSignature(body, `sha256=${sign(body).slice(7).toUpperCase()} `, secret)).toEqual({ ok: true });
  });

  it('refuses a signature made with another secret', () => {
    expect(checkSignature(body, sign(body, 'another-secret'), secret)).toEqual({ ok: false, reason: 'signature does not match the body' });
  });

  it('refuses a signature of other bytes (one byte changed)', () => {
    const tampered = Buffer.from(body);
    tampered[tampered.length - 2] = 0x20;
    expect(checkSignature(tampered, sign(body), secret)).toMatchObject({ ok: false, reason: 'signature does not match the body' });
  });

  it('refuses a missing or empty header', () => {
    expect(checkSignature(body, undefined, secret)).toEqual({ ok: false, reason: 'no X-Hub-Signature-256 header' });
    expect(checkSignature(body, '', secret)).toEqual({ ok: false, reason: 'no X-Hub-Signature-256 header' });
  });

  it.each([
    ['the old SHA-1 form', `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`],
    ['hex without the prefix', sign(body).slice(7)],
    ['a short digest', sign(body).slice(0, -2)],
    ['a non-hex digest', `sha256=${'z'.repeat(64)}`],
    ['two signatures', `${sign(body)}, ${sign(body)}`],
  ])('refuses a malformed header: %s', (_, header) => {
    expect(checkSignature(body, header, secret)).toEqual({ ok: false, reason: 'malformed X-Hub-Signature-256 header' });
  });

  it('refuses a repeated header', () => {
    expect(checkSignature(body, [sign(body), sign(body)], secret)).toEqual({ ok: false, reason: 'malformed X-Hub-Signature-256 header' });
  });

  it('refuses everything when no app secret is configured, even a body signed with the empty key', () => {
    expect(checkSignature(body, sign(body, ''), '')).toEqual({ ok: false, reason: 'no app secret configured' });
  });

  it('never quotes the header or the secret in its reason', () => {
    const result = checkSignature(body, sign(body, 'wrong'), secret);
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(JSON.stringify(result)).not.toContain(sign(body, 'wrong').slice(7));
  });
});
