/** Streaming .xlsx and CSV output for templates, error reports and exports. */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyReply } from 'fastify';
import { csvLine } from '../csv.js';

export type Cell = string | number | null;
export type OutFormat = 'xlsx' | 'csv';

export interface SheetSpec {
  name: string;
  /** `choices`: the allowed values, offered as a drop-down (Excel data validation) in .xlsx */
  columns: { header: string; width?: number; text?: boolean; choices?: readonly string[] }[];
  rows: AsyncIterable<Cell[]> | Iterable<Cell[]>;
}

/** Rows a drop-down covers below the header. */
const VALIDATED_ROWS = 10_000;
const colName = (i: number): string =>
  (i < 26 ? '' : colName(Math.floor(i / 26) - 1)) + String.fromCharCode(65 + (i % 26));

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
  spec.columns.forEach((c, i) => {
    if (!c.choices?.length) return;
    const list = c.choices.map((x) => x.replace(/[",]/g, '')).join(',');
    if (list.length > 250) return; // Excel's limit of an inline list
    const col = colName(i);
    (ws as unknown as { dataValidations: { add(range: string, v: object): void } }).dataValidations.add(
      `${col}2:${col}${VALIDATED_ROWS + 1}`,
      {
        type: 'list',
        allowBlank: true,
        formulae: [`"${list}"`],
        showErrorMessage: false,
        showInputMessage: true,
        promptTitle: c.header.replace(/^\*/, ''),
        prompt: '可从下拉列表选择',
      },
    );
  });
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
