import { ImapFlow } from 'imapflow';
import { OutboundFailure } from '../outbound/ports.js';
import { describeError } from './imap-mailbox.js';

/**
 * The mailbox where the provider files a copy of mail submitted over SMTP (Gmail's "[Gmail]/Sent
 * Mail", Microsoft 365's "Sent Items"), read to learn whether a message went out.
 */
export interface SentMailboxSettings {
  imap: { host: string; port: number; secure: boolean; user: string; password: string };
  mailbox: string;
}

const LOGOUT_WAIT_MS = 5_000;
/** More matches than this for one Message-ID means something else is wrong; these are enough to decide. */
const MAX_CHECKED = 20;

const bare = (id: string) => id.trim().replace(/^<|>$/g, '');

/**
 * Whether the mailbox holds a message with this Message-ID. SEARCH HEADER matches substrings (and
 * some servers search loosely), so each hit's own Message-ID is compared before saying yes. Any
 * failure is a transient OutboundFailure that cannot rule out delivery.
 */
export async function sentMailboxHas(settings: SentMailboxSettings, messageId: string, timeoutMs: number): Promise<boolean> {
  const { host, port, secure, user, password } = settings.imap;
  const client = new ImapFlow({
    host,
    port,
    secure,
    auth: { user, pass: password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    clientInfo: { name: 'engagement-desk' },
  });
  // Failures reach us through the awaited calls; the event would otherwise be thrown as unhandled.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.mailboxOpen(settings.mailbox, { readOnly: true });
    const uids = await client.search({ header: { 'message-id': messageId } }, { uid: true });
    if (!Array.isArray(uids)) throw new Error('the server refused the search');
    if (!uids.length) return false;
    const found = await client.fetchAll(uids.slice(-MAX_CHECKED), { envelope: true }, { uid: true });
    return found.some((m) => m.envelope?.messageId !== undefined && bare(m.envelope.messageId) === bare(messageId));
  } catch (error) {
    throw new OutboundFailure(
      'transient',
      { provider: 'imap', message: `Could not check the sent mailbox "${settings.mailbox}": ${describeError(error)}`.slice(0, 300) },
      { maybeDelivered: true },
    );
  } finally {
    await disconnect(client);
  }
}

async function disconnect(client: ImapFlow): Promise<void> {
  if (client.usable) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([client.logout().catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, LOGOUT_WAIT_MS)))]);
    clearTimeout(timer);
  }
  client.close();
}
