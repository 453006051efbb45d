import type { InboundKind } from '@desk/domain';
import { header, type RawParts } from './raw-headers.js';

export interface Classification {
  kind: InboundKind;
  /** Which marker decided it, kept in `raw` so a wrong call can be traced. */
  because?: string;
}

/** Content-Type parameters: `report-type=delivery-status` and the like, lower-cased. */
function contentType(parts: RawParts): { type: string; reportType?: string } {
  const value = header(parts, 'content-type') ?? '';
  const type = value.split(';')[0]!.trim().toLowerCase();
  const reportType = /;\s*report-type\s*=\s*"?([a-z0-9-]+)"?/i.exec(value)?.[1]?.toLowerCase();
  return { type, reportType };
}

/**
 * Whether a machine sent it: delivery reports and abuse feedback are bounces; messages that say
 * they were generated automatically (RFC 3834 Auto-Submitted, the common X-Autoreply family,
 * Precedence: auto_reply, read receipts) are auto-replies. Anything else is a message for a person.
 */
export function classify(parts: RawParts, fromAddress: string | undefined): Classification {
  const { type, reportType } = contentType(parts);
  if (type === 'multipart/report' && reportType === 'delivery-status') return { kind: 'bounce', because: 'multipart/report; report-type=delivery-status' };
  if (type === 'multipart/report' && reportType === 'feedback-report') return { kind: 'bounce', because: 'ARF feedback report' };
  const local = fromAddress?.split('@')[0]?.toLowerCase();
  if (local === 'mailer-daemon' || local === 'postmaster') return { kind: 'bounce', because: `sender ${local}` };
  if (type === 'multipart/report' && reportType === 'disposition-notification') return { kind: 'auto_reply', because: 'read receipt (disposition-notification)' };

  const autoSubmitted = header(parts, 'auto-submitted')?.split(/[;(\s]/)[0]?.toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return { kind: 'auto_reply', because: `Auto-Submitted: ${autoSubmitted.slice(0, 40)}` };
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder']) {
    const value = header(parts, name);
    if (value !== undefined && !/^(no|false|0)$/i.test(value)) return { kind: 'auto_reply', because: name };
  }
  if (/^auto[-_]reply$/i.test(header(parts, 'precedence') ?? '')) return { kind: 'auto_reply', because: 'Precedence: auto_reply' };
  return { kind: 'message' };
}
