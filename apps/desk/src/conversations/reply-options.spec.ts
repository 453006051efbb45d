import { describe, expect, it } from '@jest/globals';
import { failureText } from './failure-text.js';
import { replyOptions, replyRoute } from './reply-options.js';

describe('reply options', () => {
  it('offers X both a public reply and a DM, Facebook and Instagram public only, DMs and email private only', () => {
    expect(replyOptions('x', 'i')).toEqual({ itemId: 'i', public: true, private: true, maxLength: 280 });
    expect(replyOptions('facebook', null)).toMatchObject({ public: true, private: false, maxLength: null });
    expect(replyOptions('instagram', null)).toMatchObject({ public: true, private: false });
    expect(replyOptions('x_dm', null)).toMatchObject({ public: false, private: true });
    expect(replyOptions('email', null)).toMatchObject({ public: false, private: true, maxLength: null });
  });

  it('turns a choice into the outbound kind and channel, refusing what the channel lacks', () => {
    expect(replyRoute('x', 'public')).toEqual({ kind: 'reply', channel: 'x' });
    expect(replyRoute('x', 'private')).toEqual({ kind: 'direct_message', channel: 'x_dm' });
    expect(replyRoute('x_dm', 'private')).toEqual({ kind: 'direct_message', channel: 'x_dm' });
    expect(replyRoute('email', 'private')).toEqual({ kind: 'email', channel: 'email' });
    expect(replyRoute('facebook', 'public')).toEqual({ kind: 'reply', channel: 'facebook' });
    expect(replyRoute('facebook', 'private')).toBeUndefined();
    expect(replyRoute('email', 'public')).toBeUndefined();
  });
});

describe('failureText', () => {
  it('names the provider, its message and status for a person to act on', () => {
    expect(failureText({ kind: 'permanent', provider: 'x', message: 'the tweet was deleted', status: 403, code: 385 })).toBe(
      'x: the tweet was deleted (HTTP 403, code 385)',
    );
    expect(failureText({ message: 'no press office address' })).toBe('no press office address');
    expect(failureText(null)).toBeNull();
  });
});
