import { describe, expect, it } from '@jest/globals';
import { decodeCursor, encodeCursor } from './cursor.js';
import { previewLine } from './preview.js';

describe('queue cursor', () => {
  it('round-trips the sort key to the microsecond, including a missing due time', () => {
    const id = '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
    const due = '2026-03-04 10:00:00.123456+00';
    expect(decodeCursor(encodeCursor({ priority: 10, due, id }))).toEqual({ priority: 10, due, id });
    expect(decodeCursor(encodeCursor({ priority: 10, due: '2026-03-04 10:00:00+05:30', id })).due).toBe('2026-03-04 10:00:00+05:30');
    expect(decodeCursor(encodeCursor({ priority: 90, due: null, id }))).toEqual({ priority: 90, due: null, id });
  });

  it('refuses cursors it did not make', () => {
    const bad = [
      'not-base64-json',
      Buffer.from(JSON.stringify([1, null, "x' OR 1=1"])).toString('base64url'),
      Buffer.from(JSON.stringify(['1', null, '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b'])).toString('base64url'),
      Buffer.from(JSON.stringify([1, 'yesterday', '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b'])).toString('base64url'),
      Buffer.from(JSON.stringify([1, "2026-03-04 10:00:00+00'; --", '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b'])).toString('base64url'),
    ];
    for (const cursor of bad) expect(() => decodeCursor(cursor)).toThrow('cursor');
  });
});

describe('previewLine', () => {
  it('takes the first non-empty line, after the subject when there is one', () => {
    expect(previewLine(null, '\n\n  Parking at the Northern General  \nsecond line')).toBe('Parking at the Northern General');
    expect(previewLine('Complaint', 'My mother waited 9 hours')).toBe('Complaint — My mother waited 9 hours');
    expect(previewLine('  ', '')).toBe('');
  });

  it('caps long text by characters, not UTF-16 units, so emoji are never split', () => {
    const text = '😀'.repeat(200);
    const preview = previewLine(null, text, 10);
    expect([...preview]).toHaveLength(10);
    expect(preview.endsWith('😀…')).toBe(true);
  });
});
