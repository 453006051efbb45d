import type { QueueCursor } from '@desk/persistence';
import { ApiException } from '../http/api-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Postgres's text of a timestamptz, e.g. "2026-03-04 10:00:00.123456+00". */
const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

export function encodeCursor(cursor: QueueCursor): string {
  return Buffer.from(JSON.stringify([cursor.priority, cursor.due, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): QueueCursor {
  try {
    const [priority, due, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof priority !== 'number' || !Number.isInteger(priority)) throw new Error('priority');
    if (due !== null && (typeof due !== 'string' || !PG_TIMESTAMP.test(due))) throw new Error('due');
    if (typeof id !== 'string' || !UUID.test(id)) throw new Error('id');
    return { priority, due, id };
  } catch {
    throw new ApiException('invalid', 'cursor: not one this desk gave out');
  }
}
