import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { Mailer, OutgoingMail, Sent } from '../outbound/ports.js';
import { buildMessage, type BuiltMessage } from './build-message.js';
import { sentMailboxHas, type SentMailboxSettings } from './sent-mailbox.js';
import { smtpFailure, type SmtpStage } from './smtp-failure.js';

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
  /** For connecting, the greeting and any silence from the server afterwards. */
  timeoutMs?: number;
  /**
   * Refuse to go on without TLS. By default required when logging in to a server that is not on
   * this machine, so a password never crosses a network in the clear.
   */
  requireTls?: boolean;
  /** Where the provider keeps a copy of what we send: lets findSent answer. */
  sentMailbox?: SentMailboxSettings;
}

type SendInfo = { accepted: Array<string | false>; rejected: string[]; response: string };

const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_RESPONSE = 1_000;

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * The body stream handed to nodemailer. It is read only once the server has answered DATA with
 * 354, so its first read marks the point after which a lost connection may hide a delivery.
 */
function bodyStream(raw: Buffer, onFirstRead: () => void): Readable {
  let started = false;
  return new Readable({
    read() {
      if (started) return;
      started = true;
      onFirstRead();
      this.push(raw);
      this.push(null);
    },
  });
}

/**
 * Sends mail over SMTP, one connection per message (the desk sends a few an hour). Every
 * failure is an OutboundFailure whose kind and maybeDelivered follow smtpFailure.
 */
export class SmtpMailer implements Mailer {
  private readonly open = new Set<SMTPConnection>();

  constructor(private readonly settings: SmtpSettings) {}

  async send(mail: OutgoingMail): Promise<Sent> {
    const built = await buildMessage(mail);
    const info = await this.submit(built);
    return {
      providerId: mail.messageId,
      at: new Date(),
      response: { accepted: info.accepted, rejected: info.rejected, response: info.response.slice(0, MAX_RESPONSE) },
    };
  }

  async findSent(messageId: string): Promise<boolean | undefined> {
    if (!this.settings.sentMailbox) return undefined;
    return sentMailboxHas(this.settings.sentMailbox, messageId, this.timeoutMs);
  }

  /** Ends sessions still open; their sends fail as the stage they reached implies. */
  async close(): Promise<void> {
    for (const connection of this.open) connection.close();
    this.open.clear();
  }

  private get timeoutMs(): number {
    return this.settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  private submit(built: BuiltMessage): Promise<SendInfo> {
    const { host, port, secure, user, password } = this.settings;
    const timeout = this.timeoutMs;
    const connection = new SMTPConnection({
      host,
      port,
      secure,
      requireTLS: this.settings.requireTls ?? (!secure && !!user && !isLoopback(host)),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      logger: false,
    });
    this.open.add(connection);
    return new Promise<SendInfo>((resolve, reject) => {
      let stage: SmtpStage = 'connect';
      let settled = false;
      const finish = (error: unknown, info?: SendInfo) => {
        if (settled) return;
        settled = true;
        this.open.delete(connection);
        if (error || !info) {
          connection.close();
          reject(smtpFailure(error ?? new Error('no answer to the message'), stage));
          return;
        }
        connection.quit();
        resolve(info);
      };
      // Kept for the connection's life: errors after the outcome (during QUIT) are of no interest.
      connection.on('error', (error) => finish(error));
      const transfer = () => {
        stage = 'envelope';
        connection.send(built.envelope, bodyStream(built.raw, () => (stage = 'data')), (error, info) =>
          finish(error, info && { accepted: info.accepted, rejected: info.rejected, response: String(info.response ?? '') }),
        );
      };
      connection.connect((error) => {
        if (error) return finish(error);
        if (!user || !connection.allowsAuth) return transfer();
        connection.login({ user, pass: password ?? '' }, (loginError) => (loginError ? finish(loginError) : transfer()));
      });
    });
  }
}
