import { neutraliseBidi } from '@desk/domain';

/** Excel reads a UTF-8 file as UTF-8 (names, emoji, Welsh) only when it starts with this. */
export const CSV_BOM = '\uFEFF';

/** One CSV field: quoted, quotes doubled; a leading = + - @ is defused so a spreadsheet won't run it. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = neutraliseBidi(value === null || value === undefined ? '' : String(value));
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function csvLine(values: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return values.map(csvField).join(',') + '\r\n';
}
