import { composeAlert, composePressForward, type AlertInput, type PressForwardInput } from './compose-forward.js';

/** A "Label:  value" line of the plain-text facts, however wide the labels are. */
function fact(text: string, label: string): string | undefined {
  return new RegExp(`^${label.replace(/[()]/g, '\\$&')}: +(.*)$`, 'm').exec(text)?.[1];
}

const emailEnquiry: PressForwardInput = {
  reference: 'MED-2026-0042',
  from: '"Communications team" <communications@trust.nhs.uk>',
  to: ['"Press office" <press.office@trust.nhs.uk>'],
  messageId: '<fwd-42@trust.nhs.uk>',
  trustName: 'Northvale NHS Foundation Trust',
  deskUrl: 'https://desk.trust.nhs.uk/items/42',
  item: {
    channel: 'email',
    author: { name: 'Jane Smith', email: 'jane.smith@bbc.co.uk' },
    subject: 'Interview request: urgent treatment centre',
    text: "Hello,\n\nI'm a producer at BBC Radio Sheffield. Could a spokesperson come on tomorrow at 7.40am?\n\nCould you let me know by 4pm today?\n\nJane",
    receivedAt: new Date('2026-11-20T10:15:00Z'),
  },
  dueAt: new Date('2026-11-23T16:30:00Z'),
  acknowledgement: 'Thank you: your enquiry has gone to our press office.',
};

describe('composePressForward', () => {
  const mail = composePressForward(emailEnquiry);

  it('puts reference, who, outlet, their deadline and the due time in the subject', () => {
    expect(mail.subject).toBe('[MED-2026-0042] Media enquiry from Jane Smith (BBC Radio Sheffield) – their deadline "by 4pm today" – due Mon 23 Nov 16:30');
  });

  it('lets the press office answer an email enquiry directly', () => {
    expect(mail.replyTo).toBe('"Jane Smith" <jane.smith@bbc.co.uk>');
    expect(mail.text).toContain('Reply-To is set to jane.smith@bbc.co.uk');
  });

  it('carries the reference in a header and goes to the press office', () => {
    expect(mail.headers).toMatchObject({ 'X-Desk-Reference': 'MED-2026-0042', 'Auto-Submitted': 'auto-generated' });
    expect(mail.to).toEqual(['"Press office" <press.office@trust.nhs.uk>']);
    expect(mail.inReplyTo).toBeUndefined();
  });

  it('gives every fact the press office needs, times on the UK clock', () => {
    expect(fact(mail.text, 'Reference')).toBe('MED-2026-0042');
    expect(fact(mail.text, 'From')).toBe('Jane Smith (jane.smith@bbc.co.uk)');
    expect(fact(mail.text, 'Outlet')).toBe('BBC Radio Sheffield');
    expect(fact(mail.text, 'Channel')).toBe('Email');
    expect(fact(mail.text, 'Subject')).toBe('Interview request: urgent treatment centre');
    expect(fact(mail.text, 'Received')).toBe('Fri 20 Nov 2026 10:15');
    expect(fact(mail.text, 'Their deadline')).toBe('"by 4pm today" (as they wrote it)');
    expect(fact(mail.text, 'Due (SLA)')).toBe('Mon 23 Nov 2026 16:30');
    expect(fact(mail.text, 'In the desk')).toBe('https://desk.trust.nhs.uk/items/42');
    expect(mail.text).toContain("> I'm a producer at BBC Radio Sheffield.");
    expect(mail.text).toContain('The desk acknowledged the enquiry to them with:\n\nThank you: your enquiry has gone to our press office.');
    expect(mail.html).toContain('<td style="padding:2px 0">BBC Radio Sheffield</td>');
    expect(mail.html).toContain('<a href="https://desk.trust.nhs.uk/items/42">');
  });

  it('forwards a public post with its handle and link, without Reply-To', () => {
    const x = composePressForward({
      ...emailEnquiry,
      item: {
        channel: 'x',
        author: { name: 'Mel Harris', handle: 'mel_healthdesk' },
        text: 'Working on a story for @thetimes about consultants doing private work. Could the @NorthvaleNHS press office get in touch? Deadline Weds',
        url: 'https://x.com/mel_healthdesk/status/1861234567890',
        receivedAt: new Date('2026-07-01T08:00:00Z'),
      },
      acknowledgement: undefined,
    });
    expect(x.subject).toBe('[MED-2026-0042] Media enquiry from Mel Harris (The Times) – their deadline "Deadline Weds" – due Mon 23 Nov 16:30');
    expect(x.replyTo).toBeUndefined();
    const withAddress = composePressForward({ ...emailEnquiry, item: { ...emailEnquiry.item, channel: 'facebook' } });
    expect(withAddress.replyTo).toBeUndefined();
    expect(fact(withAddress.text, 'Outlet')).toBe('BBC Radio Sheffield');
    expect(fact(x.text, 'From')).toBe('Mel Harris (@mel_healthdesk)');
    expect(fact(x.text, 'Channel')).toBe('X (public post)');
    expect(fact(x.text, 'Received')).toBe('Wed 1 Jul 2026 09:00');
    expect(fact(x.text, 'Original')).toBe('https://x.com/mel_healthdesk/status/1861234567890');
    expect(x.html).toContain('<a href="https://x.com/mel_healthdesk/status/1861234567890">');
  });

  it('says so when no outlet or deadline is known, and uses what the caller already knows', () => {
    const plain = { ...emailEnquiry, item: { ...emailEnquiry.item, author: { email: 'someone@gmail.com' }, text: 'Can someone call me about a story?' } };
    const none = composePressForward(plain);
    expect(none.subject).toBe('[MED-2026-0042] Media enquiry from someone@gmail.com – due Mon 23 Nov 16:30');
    expect(fact(none.text, 'Outlet')).toBe('not stated');
    expect(fact(none.text, 'Their deadline')).toBe('none stated');
    const given = composePressForward({ ...plain, outlet: 'Freelance', deadline: 'Friday' });
    expect(given.subject).toBe('[MED-2026-0042] Media enquiry from someone@gmail.com (Freelance) – their deadline "Friday" – due Mon 23 Nov 16:30');
  });

  it('escapes the enquiry in the HTML part and keeps header values on one line', () => {
    const hostile = composePressForward({
      ...emailEnquiry,
      item: {
        ...emailEnquiry.item,
        author: { name: 'Jane <script>x</script>\r\nBcc: all@trust.nhs.uk', email: 'jane@example.org' },
        text: '<script>alert(1)</script><a href="javascript:x">click</a>',
        url: 'javascript:alert(1)',
      },
    });
    expect(hostile.html).not.toMatch(/<script|href="javascript/i);
    expect(hostile.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile.subject).not.toMatch(/[\r\n]/);
    expect(hostile.replyTo).toBe('"Jane <script>x</script> Bcc: all@trust.nhs.uk" <jane@example.org>');
  });

  it('refuses a reference that could break a header or subject', () => {
    expect(() => composePressForward({ ...emailEnquiry, reference: 'MED 1\r\nBcc: x' })).toThrow(/reference/);
    expect(() => composePressForward({ ...emailEnquiry, to: [] })).toThrow(/recipient/);
  });
});

describe('composeAlert', () => {
  const alert: AlertInput = {
    from: '"Communications team" <communications@trust.nhs.uk>',
    to: ['on-duty@trust.nhs.uk'],
    messageId: '<alert-7@trust.nhs.uk>',
    trustName: 'Northvale NHS Foundation Trust',
    reference: 'item-7',
    item: {
      channel: 'x_dm',
      author: { name: 'Sam', handle: 'sam_k' },
      text: "I can't do this any more, I've taken all my tablets",
      receivedAt: new Date('2026-11-21T02:10:00Z'),
    },
    dueAt: new Date('2026-11-21T02:25:00Z'),
    reasons: ['self-harm intent', 'overdose'],
    autoReply: { text: 'If you are in danger now, call 999. You can call Samaritans free on 116 123.', status: 'sent', at: new Date('2026-11-21T02:10:30Z') },
    deskUrl: 'https://desk.trust.nhs.uk/items/7',
  };

  it('is marked urgent in the subject and headers', () => {
    const mail = composeAlert(alert);
    expect(mail.subject).toBe('URGENT: possible risk to safety – Sam on X DM – received Sat 21 Nov 02:10');
    expect(mail.headers).toMatchObject({ 'X-Desk-Reference': 'item-7', Importance: 'high', 'X-Priority': '1 (Highest)' });
  });

  it('says what was flagged, why, and what signposting was sent', () => {
    const mail = composeAlert(alert);
    expect(fact(mail.text, 'From')).toBe('Sam (@sam_k)');
    expect(fact(mail.text, 'Channel')).toBe('X DM (private)');
    expect(fact(mail.text, 'Why flagged')).toBe('self-harm intent; overdose');
    expect(mail.text).toContain("> I can't do this any more, I've taken all my tablets");
    expect(mail.text).toContain('The desk sent them this signposting reply at Sat 21 Nov 2026 02:10:\n\nIf you are in danger now, call 999.');
  });

  it('says plainly when the signposting reply failed or was never sent', () => {
    expect(composeAlert({ ...alert, autoReply: { ...alert.autoReply!, status: 'failed', at: undefined } }).text).toContain(
      'The automatic signposting reply could NOT be sent: they have not been signposted.',
    );
    expect(composeAlert({ ...alert, autoReply: undefined }).text).toContain('No automatic reply was sent');
    expect(composeAlert({ ...alert, autoReply: { ...alert.autoReply!, status: 'queued' } }).text).toContain('not yet confirmed as sent');
  });
});
