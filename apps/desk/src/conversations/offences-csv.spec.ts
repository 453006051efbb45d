import { describe, expect, it } from '@jest/globals';
import { csvField } from '../http/csv.js';
import { offencesCsv } from './offences-csv.js';

describe('offences CSV', () => {
  it('quotes every field and doubles quotes, keeping commas and newlines inside the field', () => {
    expect(csvField('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvField(null)).toBe('""');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    for (const text of ['=HYPERLINK("http://evil")', '+1', '-1+1', '@SUM(A1)']) expect(csvField(text)).toBe(`"'${text.replace(/"/g, '""')}"`);
  });

  it('neutralises bidi controls that would reorder what a reviewer reads', () => {
    expect(csvField('abc\u202Edef')).not.toContain('\u202E');
  });

  it('starts with a BOM and a header, one line per hidden item', () => {
    const csv = offencesCsv({ handle: 'troll', displayName: 'T', platform: 'x' }, [
      { channel: 'x', url: 'https://x.com/troll/status/1', body: 'you are all useless', receivedAt: new Date('2026-03-04T10:00:00Z'), hiddenAt: new Date('2026-03-04T10:05:00Z'), route: 'abuse', strike: 'abuse: insult' },
    ]);
    expect(csv.startsWith('\uFEFF"platform","handle"')).toBe(true);
    const lines = csv.slice(1).split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('"x","troll","T","2026-03-04T10:00:00.000Z","2026-03-04T10:05:00.000Z","x","abuse","abuse: insult","https://x.com/troll/status/1","you are all useless"');
  });
});
