/**
 * CSV for Excel users (UTF-8 with a byte-order mark, CRLF): cells quoted where needed, and a
 * cell starting with = + - @ (or a tab or CR) prefixed with ' so Excel does not run it as a
 * formula (CSV injection).
 */
export function csvCell(v: string | number | null | undefined): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV line with its CRLF. */
export const csvLine = (cells: readonly (string | number | null | undefined)[]): string =>
  `${cells.map(csvCell).join(',')}\r\n`;

/** A whole CSV file: the header, the rows, and the byte-order mark Excel needs for UTF-8. */
export const csvDocument = (
  head: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string => `\uFEFF${csvLine(head)}${rows.map(csvLine).join('')}`;
