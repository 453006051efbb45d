// How a failed SMTP submission ends for the outbound row. The reply code decides when the server
// gave one; otherwise the stage the session had reached decides whether the message may have been
// delivered (a connection lost after the message was handed over) or certainly was not.
import { OutboundFailure, type ProviderError } from '../outbound/ports.js';

/**
 * How far the session got: `connect` covers the greeting, EHLO, STARTTLS and AUTH; `envelope`
 * MAIL FROM and RCPT TO; `data` begins once the server has asked for the message (354).
 */
export type SmtpStage = 'connect' | 'envelope' | 'data';

/** The properties nodemailer puts on its errors (NodemailerError), all optional. */
export interface SmtpErrorLike {
  message?: string;
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  rejectedErrors?: ReadonlyArray<{ responseCode?: number }>;
}

const MAX_MESSAGE = 300;
const MAX_BODY = 4_096;
/** Node's codes for a server that is not there at all: nothing can have been sent. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EDNS']);
/** Certificate problems do not go away by retrying: a person must fix the configuration. */
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/;
/** Login refusals: 535 (bad credentials), 534 (the provider wants another mechanism), 530 (auth required). */
const AUTH_CODES = new Set([530, 534, 535]);
/** A daily sending quota in the providers' words (Gmail 5.4.5, Microsoft 365 SubmissionQuotaExceeded): a 5xx that is not for ever. */
const QUOTA = /\b(?:5\.4\.5|sending limit|SubmissionQuota\w*|quota exceeded)\b/i;
/** Throttling (Gmail 4.7.28, Microsoft 365 4.3.2 / "submission rate"); only ever a 4xx. */
const THROTTLED = /\b(?:rate limit\w*|too many (?:messages|connections)|submission rate|4\.7\.28|4\.3\.2|try again later)\b/i;
const THROTTLE_WAIT_MS = 5 * 60_000;
const QUOTA_WAIT_MS = 60 * 60_000;

/** "5.7.8" in "535 5.7.8 Authentication failed". */
export function enhancedCode(response: string | undefined): string | undefined {
  return response ? /^\d{3}[ -]([245]\.\d{1,3}\.\d{1,3})\b/.exec(response.trim())?.[1] : undefined;
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

function providerError(error: SmtpErrorLike, message: string, provider: ProviderError['provider'] = 'smtp'): ProviderError {
  const response = error.response?.trim();
  return {
    provider,
    status: error.responseCode,
    code: enhancedCode(response) ?? error.originalCode ?? error.code,
    message: oneLine(response ? `${message}: ${response}` : message, MAX_MESSAGE),
    body: response ? response.slice(0, MAX_BODY) : undefined,
  };
}

/** The failure for an error nodemailer reported while the session was at `stage`. */
export function smtpFailure(error: unknown, stage: SmtpStage, now = new Date()): OutboundFailure {
  const e = (error ?? {}) as SmtpErrorLike;
  const code = e.responseCode;
  if (typeof code === 'number' && code >= 400 && code < 600) return replyFailure(e, code, now);

  const codes = [e.code, e.originalCode].filter((c): c is string => !!c);
  if (e.code === 'EAUTH' || e.code === 'ENOAUTH') {
    return new OutboundFailure('permanent', providerError(e, 'The mail server login failed (check the SMTP user and password)'), { maybeDelivered: false });
  }
  if (e.command === 'API' || e.code === 'EENVELOPE' || e.code === 'EMESSAGE' || e.code === 'ECONFIG' || e.code === 'EREQUIRETLS') {
    // Refused before anything was sent: the message or the settings are wrong.
    return new OutboundFailure('permanent', providerError(e, 'The mail could not be sent as configured', e.command === 'API' ? 'local' : 'smtp'), { maybeDelivered: false });
  }
  if (codes.some((c) => CERTIFICATE.test(c)) || (e.code === 'ETLS' && CERTIFICATE.test(e.message ?? ''))) {
    return new OutboundFailure('permanent', providerError(e, "The mail server's TLS certificate was not accepted"), { maybeDelivered: false });
  }
  if (codes.some((c) => UNREACHABLE.has(c))) {
    return new OutboundFailure('transient', providerError(e, `Could not reach the mail server (${e.originalCode ?? e.code})`), { maybeDelivered: false });
  }
  if (stage === 'data') {
    return new OutboundFailure(
      'transient',
      providerError(e, `The connection to the mail server ended after the message was handed over, before it confirmed it (${e.code ?? 'error'}): it may have been sent`),
      { maybeDelivered: true },
    );
  }
  return new OutboundFailure('transient', providerError(e, `The connection to the mail server failed before the message was sent (${e.code ?? 'error'})`), { maybeDelivered: false });
}

/** The server answered with a 4xx or 5xx: it did not take the message, whatever the stage. */
function replyFailure(e: SmtpErrorLike, code: number, now: Date): OutboundFailure {
  const response = e.response ?? '';
  if (AUTH_CODES.has(code)) {
    return new OutboundFailure('permanent', providerError(e, 'The mail server refused our login (bad credentials)'), { maybeDelivered: false });
  }
  const quota = QUOTA.test(response);
  if (quota || (code < 500 && THROTTLED.test(response))) {
    const wait = quota ? QUOTA_WAIT_MS : THROTTLE_WAIT_MS;
    return new OutboundFailure('rate_limited', providerError(e, 'The mail server is limiting how much we send'), { until: new Date(now.getTime() + wait), maybeDelivered: false });
  }
  // Every recipient refused: permanent only if each refusal was (one 4xx may pass on a later try).
  const rejections = e.rejectedErrors?.map((r) => r.responseCode ?? 0) ?? [];
  const anyTemporary = rejections.some((c) => c < 500);
  // 503 "bad sequence of commands" is about the session, not the message: a new one can succeed.
  if (code >= 500 && code !== 503 && !anyTemporary) {
    const what = e.command === 'RCPT TO' ? 'refused the recipient' : e.command === 'MAIL FROM' ? 'refused our sender address' : 'refused the message';
    return new OutboundFailure('permanent', providerError(e, `The mail server ${what}`), { maybeDelivered: false });
  }
  return new OutboundFailure('transient', providerError(e, 'The mail server did not take the message for now'), { maybeDelivered: false });
}
