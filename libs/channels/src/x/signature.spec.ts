import { createHmac } from 'node:crypto';
import { answerCrc, checkSignature, signatureOf, SIGNATURE_HEADER } from './signature.js';

const SECRET = 'fake-x-consumer-secret';
const body = Buffer.from('{"for_user_id":"2244994945","tweet_create_events":[]}');
/** Computed independently of the code under test. */
const oracle = (data: string | Buffer, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(data).digest('base64')}`;

describe('CRC challenge', () => {
  it('answers with the base64 HMAC-SHA256 of the token under the consumer secret', () => {
    const answer = answerCrc('some-crc-token', SECRET);
    expect(answer).toEqual({ ok: true, response: { response_token: oracle('some-crc-token') } });
  });

  it('answers differently under another secret', () => {
    const ours = answerCrc('t', SECRET);
    const theirs = answerCrc('t', 'another-secret');
    expect(ours.ok && theirs.ok && ours.response.response_token).not.toBe(theirs.ok && theirs.response.response_token);
  });

  it.each([
    ['missing', undefined, 'no crc_token'],
    ['empty', '', 'no crc_token'],
    ['repeated (a list)', ['a', 'b'], 'no crc_token'],
    ['too long', 'x'.repeat(1025), 'crc_token too long'],
  ])('refuses a %s token', (_label, token, reason) => {
    expect(answerCrc(token, SECRET)).toEqual({ ok: false, reason });
  });

  it('refuses to answer without a secret', () => {
    expect(answerCrc('t', '')).toEqual({ ok: false, reason: 'no consumer secret configured' });
  });
});

describe('webhook signature', () => {
  it('is named as X sends it', () => {
    expect(SIGNATURE_HEADER).toBe('x-twitter-webhooks-signature');
  });

  it('signs like X', () => {
    expect(signatureOf(body, SECRET)).toBe(oracle(body));
  });

  it('accepts the right signature', () => {
    expect(checkSignature(body, oracle(body), SECRET)).toEqual({ ok: true });
  });

  it('accepts surrounding whitespace in the header', () => {
    expect(checkSignature(body, ` ${oracle(body)} `, SECRET)).toEqual({ ok: true });
  });

  it('refuses a signature made with another secret', () => {
    expect(checkSignature(body, oracle(body, 'not-our-secret'), SECRET)).toEqual({ ok: false, reason: 'signature does not match the body' });
  });

  it('refuses a signature of another body (one byte changed)', () => {
    const changed = Buffer.from(body);
    changed[changed.length - 2] = 0x20;
    expect(checkSignature(changed, oracle(body), SECRET)).toEqual({ ok: false, reason: 'signature does not match the body' });
  });

  it('refuses a missing signature', () => {
    expect(checkSignature(body, undefined, SECRET)).toEqual({ ok: false, reason: 'no x-twitter-webhooks-signature header' });
    expect(checkSignature(body, '', SECRET)).toEqual({ ok: false, reason: 'no x-twitter-webhooks-signature header' });
  });

  it.each([
    ['shorter', (s: string) => s.slice(0, -4) + '='],
    ['longer', (s: string) => s.replace('=', '') + 'AAAA='],
    ['hex instead of base64', () => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`],
    ['without the sha256= prefix', (s: string) => s.slice('sha256='.length)],
    ['with another algorithm', (s: string) => s.replace('sha256=', 'sha1=')],
  ])('refuses a signature of a different length or form: %s', (_label, alter) => {
    expect(checkSignature(body, alter(oracle(body)), SECRET)).toEqual({ ok: false, reason: 'malformed x-twitter-webhooks-signature header' });
  });

  it('refuses a header sent twice', () => {
    expect(checkSignature(body, [oracle(body), oracle(body)], SECRET).ok).toBe(false);
  });

  it('refuses everything when no secret is configured, even a signature made with the empty secret', () => {
    expect(checkSignature(body, oracle(body, ''), '')).toEqual({ ok: false, reason: 'no consumer secret configured' });
  });
});
