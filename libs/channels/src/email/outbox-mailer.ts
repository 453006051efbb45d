import { createHash, randomBytes } from 'node:crypto';
import { access, mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { OutboundFailure, type Mailer, type OutgoingMail, type Sent } from '../outbound/ports.js';
import { buildMessage } from './build-message.js';

/** Codes that mean the folder itself is unusable until a person fixes it. */
const SETUP_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR']);

/**
 * The file a message is written to: its Message-ID made safe for a file name, plus a hash of the
 * id so that two ids that sanitise alike still get their own files.
 */
export function outboxFileName(messageId: string): string {
  const readable = messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._@-]/g, '_').replace(/^\.+/, '_').slice(0, 100);
  const hash = createHash('sha256').update(messageId).digest('hex').slice(0, 12);
  return `${readable}-${hash}.eml`;
}

/**
 * The fake driver's mailer: each message becomes an .eml file in a folder (the same bytes SMTP
 * would carry), so the whole system runs without a mail server. A file appears whole or not at
 * all, and sending the same Message-ID again replaces it.
 */
export class OutboxMailer implements Mailer {
  constructor(private readonly dir: string) {}

  async send(mail: OutgoingMail): Promise<Sent> {
    const { raw } = await buildMessage(mail);
    const file = outboxFileName(mail.messageId);
    try {
      await mkdir(this.dir, { recursive: true });
      await writeAtomically(join(this.dir, file), raw);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException)?.code;
      const kind = code && SETUP_ERRORS.has(code) ? 'permanent' : 'transient';
      throw new OutboundFailure(kind, { provider: 'local', code, message: `Could not write to the outbox folder (${code ?? 'error'})` }, { maybeDelivered: false });
    }
    return { providerId: mail.messageId, at: new Date(), response: { file } };
  }

  async findSent(messageId: string): Promise<boolean> {
    try {
      await access(join(this.dir, outboxFileName(messageId)));
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {}
}

/** Written under a temporary name, flushed, then renamed: a crash leaves no half-written .eml. */
async function writeAtomically(path: string, bytes: Buffer): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temp, 'wx', 0o640);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
