import { enhancedCode, smtpFailure, type SmtpErrorLike } from './smtp-failure.js';

const now = new Date('2026-11-20T12:00:00Z');

/** An error as nodemailer's SMTPConnection builds it for a server reply. */
function reply(response: string, command: string, code = 'EENVELOPE'): SmtpErrorLike {
  return { message: `failed: ${response}`, code, response, responseCode: Number(response.slice(0, 3)), command };
}

describe('smtpFailure', () => {
  it.each([
    ['550 5.1.1 <nobody@example.org>: Recipient address rejected: mailbox unavailable', 'RCPT TO', 'refused the recipient'],
    ['553 5.7.1 Sender address rejected: not owned by user', 'MAIL FROM', 'refused our sender address'],
    ['554 5.7.1 Message rejected as spam', 'DATA', 'refused the message'],
    ['552 5.3.4 Message size exceeds fixed limit', 'DATA', 'refused the message'],
  ])('a 5xx reply is permanent: %s', (response, command, what) => {
    for (const stage of ['envelope', 'data'] as const) {
      const failure = smtpFailure(reply(response, command), stage, now);
      expect(failure.kind).toBe('permanent');
      expect(failure.maybeDelivered).toBe(false);
      expect(failure.error).toMatchObject({ provider: 'smtp', status: Number(response.slice(0, 3)), code: enhancedCode(response), body: response });
      expect(failure.error.message).toContain(what);
    }
  });

  it('a refused login is permanent, "bad credentials"', () => {
    const failure = smtpFailure(reply('535 5.7.8 Username and Password not accepted', 'AUTH PLAIN', 'EAUTH'), 'connect', now);
    expect(failure.kind).toBe('permanent');
    expect(failure.maybeDelivered).toBe(false);
    expect(failure.error.status).toBe(535);
    expect(failure.error.code).toBe('5.7.8');
    expect(failure.error.message).toMatch(/bad credentials/);
  });

  it('missing credentials are permanent too', () => {
    const failure = smtpFailure({ message: 'Missing credentials for "PLAIN"', code: 'EAUTH', command: 'API' }, 'connect', now);
    expect(failure.kind).toBe('permanent');
    expect(failure.error.message).toMatch(/login failed/);
  });

  it.each([
    ['450 4.2.1 Mailbox busy', 'DATA', 'data'],
    ['451 4.3.0 Local error in processing', 'DATA', 'data'],
    ['452 4.3.1 Insufficient system storage', 'MAIL FROM', 'envelope'],
    ['421 4.4.2 Service shutting down', 'DATA', 'data'],
    ['454 4.7.0 Temporary authentication failure', 'AUTH PLAIN', 'connect'],
    ['503 5.5.1 Bad sequence of commands', 'RCPT TO', 'envelope'],
  ] as const)('%s is transient, and not delivered: the server said so', (response, command, stage) => {
    const failure = smtpFailure(reply(response, command), stage, now);
    expect(failure.kind).toBe('transient');
    expect(failure.maybeDelivered).toBe(false);
    expect(failure.error.status).toBe(Number(response.slice(0, 3)));
  });

  it('all recipients refused: permanent when every refusal is, transient when one is temporary', () => {
    const all550 = { ...reply('550 5.1.1 no such user', 'RCPT TO'), rejectedErrors: [{ responseCode: 550 }, { responseCode: 550 }] };
    expect(smtpFailure(all550, 'envelope', now).kind).toBe('permanent');
    const one450 = { ...reply('550 5.1.1 no such user', 'RCPT TO'), rejectedErrors: [{ responseCode: 450 }, { responseCode: 550 }] };
    expect(smtpFailure(one450, 'envelope', now).kind).toBe('transient');
  });

  it('throttling and daily quotas wait rather than fail', () => {
    const gmail = smtpFailure(reply('421 4.7.28 Our system has detected an unusual rate of unsolicited mail', 'DATA'), 'data', now);
    expect(gmail.kind).toBe('rate_limited');
    expect(gmail.until).toEqual(new Date('2026-11-20T12:05:00Z'));
    const quota = smtpFailure(reply('550 5.4.5 Daily user sending limit exceeded', 'DATA'), 'data', now);
    expect(quota.kind).toBe('rate_limited');
    expect(quota.until).toEqual(new Date('2026-11-20T13:00:00Z'));
    expect(quota.maybeDelivered).toBe(false);
    // A permanent refusal that happens to say "try again later" is still permanent.
    expect(smtpFailure(reply('554 5.7.1 Rejected, try again later', 'DATA'), 'data', now).kind).toBe('permanent');
  });

  it.each([
    [{ message: 'connect ECONNREFUSED 127.0.0.1:25', code: 'ESOCKET', originalCode: 'ECONNREFUSED', command: 'CONN' }, 'ECONNREFUSED'],
    [{ message: 'getaddrinfo ENOTFOUND smtp.example.org', code: 'EDNS', originalCode: 'ENOTFOUND', command: 'CONN' }, 'ENOTFOUND'],
  ])('an unreachable server is transient and certainly not delivered (%#)', (error, code) => {
    for (const stage of ['connect', 'envelope', 'data'] as const) {
      const failure = smtpFailure(error, stage, now);
      expect(failure.kind).toBe('transient');
      expect(failure.maybeDelivered).toBe(false);
      expect(failure.error.code).toBe(code);
    }
  });

  it('a lost connection or timeout may hide a delivery only once the message was handed over', () => {
    const timeout = { message: 'Timeout', code: 'ETIMEDOUT', command: 'CONN' };
    const closed = { message: 'Connection closed unexpectedly', code: 'ECONNECTION', command: 'CONN' };
    for (const error of [timeout, closed]) {
      expect(smtpFailure(error, 'connect', now)).toMatchObject({ kind: 'transient', maybeDelivered: false });
      expect(smtpFailure(error, 'envelope', now)).toMatchObject({ kind: 'transient', maybeDelivered: false });
      const afterData = smtpFailure(error, 'data', now);
      expect(afterData).toMatchObject({ kind: 'transient', maybeDelivered: true });
      expect(afterData.error.message).toMatch(/may have been sent/);
    }
  });

  it('certificate problems need a person', () => {
    const failure = smtpFailure({ message: 'certificate has expired', code: 'ETLS', originalCode: 'CERT_HAS_EXPIRED', command: 'CONN' }, 'connect', now);
    expect(failure.kind).toBe('permanent');
  });

  it('caps what it keeps of a long answer', () => {
    const long = `550 5.7.1 ${'x'.repeat(10_000)}`;
    const failure = smtpFailure(reply(long, 'DATA'), 'data', now);
    expect(failure.error.message.length).toBeLessThanOrEqual(300);
    expect(String(failure.error.body).length).toBeLessThanOrEqual(4096);
  });

  it('reads the enhanced status code', () => {
    expect(enhancedCode('535-5.7.8 Username and Password not accepted')).toBe('5.7.8');
    expect(enhancedCode('550 Mailbox unavailable')).toBeUndefined();
  });
});
