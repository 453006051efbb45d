import type { QueueCursor } from '@desk/persistence';
import { ApiException } from '../http/api-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(cursor: QueueCursor): string {
  return Buffer.from(JSON.stringify([cursor.priority, cursor.due?.toISOString() ?? null, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): QueueCursor {
  try {
    const [priority, due, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    if (typeof priority !== 'number' || !Number.isInteger(priority)) throw new Error('priority');
    if (due !== null && (typeof due !== 'string' || Number.isNaN(Date.parse(due)))) throw new Error('due');
    if (typeof id !== 'string' || !UUID.test(id)) throw new Error('id');
    return { priority, due: due === null ? null : new Date(due), id };
  } catch {
    throw new ApiException('invalid', 'cursor: not one this desk gave out');
  }
}
