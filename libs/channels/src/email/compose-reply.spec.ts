import { composeReply, replySubject, type ReplyInput } from './compose-reply.js';

const base: ReplyInput = {
  original: {
    messageId: '<CAF=abc123@mail.gmail.com>',
    references: ['<first@example.org>', '<second@example.org>'],
    subject: 'Parking at Riverside',
  },
  to: { address: 'jane.smith@example.org', name: 'Jane Smith' },
  from: '"Communications team" <communications@trust.nhs.uk>',
  messageId: '<out-1@trust.nhs.uk>',
  body: 'Dear Jane,\n\nThank you for getting in touch.\nWe have passed this on.',
  signer: { name: 'Alice Brown', initials: 'AB' },
  trustName: 'Northvale NHS Foundation Trust',
};

describe('composeReply', () => {
  it('threads on the original: In-Reply-To is it, References end with it', () => {
    const mail = composeReply(base);
    expect(mail.messageId).toBe('<out-1@trust.nhs.uk>');
    expect(mail.inReplyTo).toBe('<CAF=abc123@mail.gmail.com>');
    expect(mail.references).toEqual(['<first@example.org>', '<second@example.org>', '<CAF=abc123@mail.gmail.com>']);
    expect(mail.to).toEqual(['"Jane Smith" <jane.smith@example.org>']);
    expect(mail.from).toBe(base.from);
  });

  it('does not thread on an id ingest made up for mail that had none', () => {
    const mail = composeReply({ ...base, original: { messageId: '<sha256.00ff@no-message-id.invalid>', subject: 'Hi' } });
    expect(mail.inReplyTo).toBeUndefined();
    expect(mail.references).toBeUndefined();
  });

  it('signs with the officer\'s name and initials, then the team', () => {
    const mail = composeReply(base);
    expect(mail.text).toBe(
      'Dear Jane,\n\nThank you for getting in touch.\nWe have passed this on.\n\nAlice Brown – AB\nCommunications team, Northvale NHS Foundation Trust\n',
    );
    expect(mail.html).toContain('<p>Alice Brown – AB<br>\nCommunications team, Northvale NHS Foundation Trust</p>');
    expect(mail.headers).toBeUndefined();
  });

  it('signs an automatic reply as the team, and marks it automatic (RFC 3834)', () => {
    const mail = composeReply({ ...base, signer: undefined });
    expect(mail.text.endsWith('We have passed this on.\n\nCommunications team, Northvale NHS Foundation Trust\n')).toBe(true);
    expect(mail.text).not.toContain('–');
    expect(mail.headers).toEqual({ 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' });
  });

  it('escapes public and officer text in the HTML part', () => {
    const mail = composeReply({
      ...base,
      to: { address: 'x@example.org', name: '<img src=x onerror=alert(1)>' },
      body: 'We saw <script>alert("hi")</script> & more',
      signer: { name: 'Alice <b>Brown</b>', initials: 'A&B' },
      original: { ...base.original, text: 'Line one <iframe src="evil">\nLine two' },
    });
    expect(mail.html).not.toMatch(/<script|<img|<iframe|<b>/i);
    expect(mail.html).toContain('We saw &lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt; &amp; more');
    expect(mail.html).toContain('Alice &lt;b&gt;Brown&lt;/b&gt; – A&amp;B');
    expect(mail.html).toContain('Line one &lt;iframe src=&quot;evil&quot;&gt;');
  });

  it('quotes the first lines of the original under the reply', () => {
    const text = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n');
    const mail = composeReply({ ...base, original: { ...base.original, text, receivedAt: new Date('2026-11-20T16:30:00Z') } });
    expect(mail.text).toContain('On Fri 20 Nov 2026 16:30, Jane Smith wrote:\n> line 1\n> line 2\n');
    expect(mail.text).toContain('> line 12\n> …\n');
    expect(mail.text).not.toContain('line 13');
    expect(mail.html).toContain('<blockquote');
  });

  it('keeps a hostile display name inside one quoted address', () => {
    const mail = composeReply({ ...base, to: { address: 'jane@example.org', name: 'Evil", other@attacker.example, "x' } });
    expect(mail.to).toEqual(['"Evil\\", other@attacker.example, \\"x" <jane@example.org>']);
  });

  it('refuses what it cannot send', () => {
    expect(() => composeReply({ ...base, body: ' \n ' })).toThrow(/needs text/);
    expect(() => composeReply({ ...base, to: { address: 'not an address' } })).toThrow(/email address/);
    expect(() => composeReply({ ...base, messageId: 'no-brackets@x' })).toThrow(/Message-ID/);
  });
});

describe('replySubject', () => {
  it.each([
    ['Parking at Riverside', 'Re: Parking at Riverside'],
    ['Re: Parking', 'Re: Parking'],
    ['RE: Parking', 'RE: Parking'],
    ['re:Parking', 're:Parking'],
    ['Re[2]: Parking', 'Re[2]: Parking'],
    ['RE(3): Parking', 'RE(3): Parking'],
    ['AW: Termin', 'AW: Termin'],
    ['SV: Tid', 'SV: Tid'],
    ['Fwd: Complaint', 'Re: Fwd: Complaint'],
    ['FW: Complaint', 'Re: FW: Complaint'],
    ['Regarding my appointment', 'Re: Regarding my appointment'],
    ['Reply needed', 'Re: Reply needed'],
    ['  Line\r\nbreak  ', 'Re: Line break'],
    ['', 'Re: your email'],
    [undefined, 'Re: your email'],
  ])('%j → %j', (original, expected) => {
    expect(replySubject(original)).toBe(expected);
  });

  it('caps a long subject', () => {
    expect(replySubject('x'.repeat(1000)).length).toBeLessThanOrEqual(204);
  });
});
