import { simpleParser } from 'mailparser';
import { OutboundFailure, type OutgoingMail } from '../outbound/ports.js';
import { buildMessage } from './build-message.js';

const mail: OutgoingMail = {
  messageId: '<out-1@trust.nhs.uk>',
  from: '"Communications team" <communications@trust.nhs.uk>',
  to: ['"Jane \\"JJ\\" Smith, BBC" <jane@example.org>'],
  replyTo: 'desk@trust.nhs.uk',
  subject: 'Re: Parking £5',
  inReplyTo: '<orig@example.org>',
  references: ['<first@example.org>', '<orig@example.org>'],
  text: 'Thank you £',
  html: '<p>Thank you &pound;</p>',
  headers: { 'X-Desk-Reference': 'MED-2026-0042' },
};

describe('buildMessage', () => {
  it('writes every field as a header and both parts', async () => {
    const { raw, envelope } = await buildMessage(mail);
    expect(envelope).toEqual({ from: 'communications@trust.nhs.uk', to: ['jane@example.org'] });
    const parsed = await simpleParser(raw);
    expect(parsed.messageId).toBe('<out-1@trust.nhs.uk>');
    expect(parsed.inReplyTo).toBe('<orig@example.org>');
    expect(parsed.references).toEqual(['<first@example.org>', '<orig@example.org>']);
    expect(parsed.subject).toBe('Re: Parking £5');
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value).toEqual([{ address: 'jane@example.org', name: 'Jane "JJ" Smith, BBC' }]);
    expect(parsed.replyTo?.value[0]?.address).toBe('desk@trust.nhs.uk');
    expect(parsed.headers.get('x-desk-reference')).toBe('MED-2026-0042');
    expect(parsed.text?.trim()).toBe('Thank you £');
    expect(parsed.html).toContain('&pound;');
    expect(raw.toString('latin1')).not.toMatch(/X-Mailer/i);
  });

  it.each<[string, Partial<OutgoingMail>]>([
    ['two addresses in one To entry', { to: ['a@example.org, b@example.org'] }],
    ['no recipient', { to: [] }],
    ['a From with two addresses', { from: 'a@example.org, b@example.org' }],
    ['a bad Message-ID', { messageId: 'x' }],
    ['a bad thread id', { references: ['<ok@x>', 'bad'] }],
    ['a reserved header', { headers: { Bcc: 'all@trust.nhs.uk' } }],
    ['a broken header name', { headers: { 'X-Bad Name': 'v' } }],
  ])('refuses %s, permanently and before sending', async (_, change) => {
    const failure = await buildMessage({ ...mail, ...change }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OutboundFailure);
    expect((failure as OutboundFailure).kind).toBe('permanent');
    expect((failure as OutboundFailure).error.provider).toBe('local');
    expect((failure as OutboundFailure).maybeDelivered).toBe(false);
  });

  it('keeps header values on one line', async () => {
    const { raw } = await buildMessage({ ...mail, subject: 'Hi\r\nBcc: all@trust.nhs.uk', headers: { 'X-Desk-Reference': 'a\r\nBcc: b@x' } });
    expect(raw.toString()).not.toMatch(/^Bcc:/im);
  });
});
