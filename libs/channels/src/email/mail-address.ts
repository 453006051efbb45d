import { cleanLine } from './text.js';

/** A person or mailbox we write to. */
export interface MailAddress {
  address: string;
  /** A display name; public text, so it is quoted and never parsed as addresses. */
  name?: string;
}

const MAX_NAME = 100;
// Deliberately plain: one local part, one domain with a dot, no quoting, comments or spaces.
const ADDRESS = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

export function isEmailAddress(address: string): boolean {
  return address.length <= 254 && ADDRESS.test(address);
}

/**
 * `"Name" <address>`, the name in a quoted string: commas, angle brackets or quotes in it cannot
 * add a recipient. Throws for an address we would not send to.
 */
export function formatAddress({ address, name }: MailAddress): string {
  if (!isEmailAddress(address)) throw new Error(`not an email address we send to: ${JSON.stringify(address.slice(0, 80))}`);
  const display = name ? cleanLine(name, MAX_NAME) : '';
  if (!display) return address;
  return `"${display.replace(/["\\]/g, '\\$&')}" <${address}>`;
}

/** The domain of an address, lower-cased, or undefined for something that is not an address. */
export function domainOf(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const at = address.lastIndexOf('@');
  return at > 0 ? address.slice(at + 1).trim().toLowerCase() || undefined : undefined;
}
