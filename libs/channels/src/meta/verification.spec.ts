import { answerVerification } from './verification.js';

const token = 'fake-meta-verify-token';
const query = (over: Record<string, unknown> = {}) => ({
  'hub.mode': 'subscribe',
  'hub.verify_token': token,
  'hub.challenge': '1158201444',
  ...over,
});

describe('answerVerification (the subscription handshake)', () => {
  it('echoes the challenge when the mode is subscribe and the token matches', () => {
    expect(answerVerification(query(), token)).toEqual({ ok: true, challenge: '1158201444' });
  });

  it('refuses a wrong token, including one that only differs in length or case', () => {
    for (const wrong of ['nope', `${token}x`, token.slice(0, -1), token.toUpperCase(), '']) {
      expect(answerVerification(query({ 'hub.verify_token': wrong }), token)).toEqual({ ok: false, reason: 'verify token does not match' });
    }
  });

  it('refuses a missing token, or one given twice', () => {
    expect(answerVerification(query({ 'hub.verify_token': undefined }), token)).toMatchObject({ ok: false });
    expect(answerVerification(query({ 'hub.verify_token': [token, token] }), token)).toMatchObject({ ok: false });
  });

  it('refuses any mode but subscribe', () => {
    expect(answerVerification(query({ 'hub.mode': 'unsubscribe' }), token)).toEqual({ ok: false, reason: 'hub.mode is not subscribe' });
    expect(answerVerification(query({ 'hub.mode': undefined }), token)).toMatchObject({ ok: false });
  });

  it('refuses when no verify token is configured, whatever is sent', () => {
    expect(answerVerification(query({ 'hub.verify_token': '' }), '')).toEqual({ ok: false, reason: 'no verify token configured' });
  });

  it('does not echo a missing, long or non-printable challenge', () => {
    for (const challenge of [undefined, '', 'x'.repeat(257), '<b>hi</b> there', 'a\nb', ['1', '2']]) {
      expect(answerVerification(query({ 'hub.challenge': challenge }), token)).toEqual({ ok: false, reason: 'missing or malformed hub.challenge' });
    }
    expect(answerVerification(query({ 'hub.challenge': 'x'.repeat(256) }), token)).toMatchObject({ ok: true });
  });
});
