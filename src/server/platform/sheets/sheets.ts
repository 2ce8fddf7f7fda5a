/** Streaming .xlsx and CSV output for templates, error reports and exports. */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { csvLine } from '../csv.js';

export type Cell = string | number | null;
export type OutFormat = 'xlsx' | 'csv';

export interface SheetSpec {
  name: string;
  columns: { header: string; width?: number; text?: boolean }[];
  rows: AsyncIterable<Cell[]> | Iterable<Cell[]>;
}

/** Writes a sheet as .xlsx (inline strings, no shared-string table: constant memory) or UTF-8 CSV with BOM. */
export async function writeSheet(out: PassThrough, format: OutFormat, spec: SheetSpec): Promise<void> {
  if (format === 'csv') {
    out.write('\uFEFF');
    out.write(csvLine(spec.columns.map((c) => c.header)));
    for await (const r of spec.rows)
      if (!out.write(csvLine(r))) await new Promise((res) => out.once('drain', res));
    out.end();
    return;
  }
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: true,
  });
  const ws = wb.addWorksheet(spec.name);
  ws.columns = spec.columns.map((c, i) => ({
    key: String(i),
    width: c.width ?? Math.max(10, c.header.length * 2 + 4),
    style: c.text ? { numFmt: '@' } : {},
  }));
  const head = ws.addRow(spec.columns.map((c) => c.header));
  head.font = { bold: true };
  head.commit();
  for await (const r of spec.rows) ws.addRow(r).commit();
  ws.commit();
  await wb.commit();
}

/** Sends a generated sheet as a download; errors while streaming end the response. */
export function sendSheet(reply: FastifyReply, format: OutFormat, fileName: string, spec: SheetSpec) {
  const out = new PassThrough();
  writeSheet(out, format, spec).catch((err) => out.destroy(err as Error));
  const type =
    format === 'csv'
      ? 'text/csv; charset=utf-8'
      : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
  const full = `${fileName}.${format}`;
  return reply
    .header('content-type', type)
    .header('cache-control', 'no-store')
    .header(
      'content-disposition',
      `attachment; filename="download.${format}"; filename*=UTF-8''${encodeURIComponent(full)}`,
    )
    .send(out);
}
