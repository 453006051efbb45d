// Message-IDs of the mail we send, and the threading headers that tie a reply to what it answers.

/** An id as we write it: "<left@right>", printable ASCII, no spaces or angle brackets inside. */
const MESSAGE_ID = /^<[!-;=?-~]{1,250}@[!-;=?-~]{1,250}>$/;

/** Ids ingest makes up for mail that had no Message-ID: they exist nowhere else, so nothing threads on them. */
const SYNTHETIC_ID = /@no-message-id\.invalid>$/i;

/** RFC 5322 suggests trimming long References chains while keeping the first and the latest ids. */
export const MAX_REFERENCES = 20;

const OUTBOUND_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const DOMAIN = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function isMessageId(id: string): boolean {
  return MESSAGE_ID.test(id);
}

/**
 * The Message-ID of one outbound row, "<outbound-id@domain>". Derived from the row alone, so a
 * resend after a crash carries the same id and the recipient's mail client (and our Sent-folder
 * check) sees one message.
 */
export function outboundMessageId(outboundId: string, domain: string): string {
  if (!OUTBOUND_ID.test(outboundId)) throw new Error(`an outbound id must be letters, digits, ".", "_" or "-" (got ${JSON.stringify(outboundId.slice(0, 40))})`);
  if (!DOMAIN.test(domain)) throw new Error(`not a domain name: ${JSON.stringify(domain.slice(0, 80))}`);
  return `<${outboundId}@${domain.toLowerCase()}>`;
}

/** Whether an inbound id is a real one that the sender's mail client knows. */
export function isThreadable(id: string | undefined): id is string {
  return !!id && isMessageId(id) && !SYNTHETIC_ID.test(id);
}

/**
 * The References of a reply: the original's own References (oldest first), then the original.
 * Invalid and repeated ids are dropped; past MAX_REFERENCES the first id (the thread's start) and
 * the latest ones are kept.
 */
export function replyReferences(originalId: string, originalReferences: readonly string[] = []): string[] {
  const seen = new Set<string>([originalId]);
  const ids: string[] = [];
  for (const id of originalReferences) {
    if (!isThreadable(id) || seen.has(id)) continue;
    seen.add(id);
    ids.push(id);
  }
  if (isThreadable(originalId)) ids.push(originalId);
  if (ids.length <= MAX_REFERENCES) return ids;
  return [ids[0]!, ...ids.slice(ids.length - (MAX_REFERENCES - 1))];
}
