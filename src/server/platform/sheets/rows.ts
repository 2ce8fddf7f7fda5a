/**
 * Reading an uploaded file row by row, whatever its format: CSV through the streaming parser,
 * .xlsx through ExcelJS's streaming reader (first worksheet). Before the import, `inspect`
 * checks the file is what its name says and counts its rows, so an oversize file is refused
 * before anything is written.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { MAX_CELL_CHARS } from '../../../shared/people/importColumns.js';
import { invalid } from '../errors.js';
import { countCsvRows, parseCsv } from './csv.js';
import { inspectXlsx } from './xlsxLimits.js';

export type FileFormat = 'csv' | 'xlsx';

export interface SheetRow {
  /** 1-based row number in the file (the header is row 1) */
  no: number;
  cells: string[];
  oversize: boolean;
}

const NOT_XLSX = '文件不是有效的 Excel（.xlsx）文件；请用 Excel 或 WPS 打开后另存为 .xlsx 再导入';

export function formatOf(fileName: string): FileFormat | null {
  const ext = fileName.toLowerCase().split('.').pop();
  return ext === 'csv' ? 'csv' : ext === 'xlsx' ? 'xlsx' : null;
}

/** Checks the first bytes against the format (at upload, before the job is queued). */
export async function sniff(path: string, format: FileFormat): Promise<void> {
  const fh = await open(path, 'r');
  const head = Buffer.alloc(8192);
  let n = 0;
  try {
    n = (await fh.read(head, 0, head.length, 0)).bytesRead;
  } finally {
    await fh.close();
  }
  if (n === 0) throw invalid('文件是空的');
  const zip = n >= 4 && head.readUInt32LE(0) === 0x04034b50;
  if (format === 'xlsx' && !zip) throw invalid(NOT_XLSX, { reason: 'not_xlsx' });
  // a compression bomb is refused here, before anything parses it
  if (format === 'xlsx') await inspectXlsx(path);
  if (format === 'csv' && (zip || head.subarray(0, n).includes(0)))
    throw invalid('文件不是 CSV 文本文件；Excel 文件请保存为 .xlsx 后导入', { reason: 'not_csv' });
}

/** Counts the rows (header included) of a file; throws a clear error when it cannot be read. */
export async function countRows(path: string, format: FileFormat): Promise<number> {
  if (format === 'csv') return countCsvRows(createReadStream(path, { highWaterMark: 1 << 20 }));
  return (await inspectXlsx(path)).rows;
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  // beyond 15 digits Excel has already lost precision: keep the tell-tale exponent form
  if (typeof v === 'number') return Math.abs(v) >= 1e15 ? v.toPrecision(15) : String(v);
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; text?: unknown; result?: unknown; error?: unknown };
    if (o.richText) return o.richText.map((t) => t.text).join('');
    if (o.result !== undefined) return cellText(o.result);
    if (o.text !== undefined) return cellText(o.text);
  }
  return '';
}

async function* xlsxRows(path: string): AsyncGenerator<SheetRow> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: string[] = [];
        let oversize = false;
        for (let i = 1; i < values.length && i <= 200; i++) {
          let t = cellText(values[i]);
          if (t.length > MAX_CELL_CHARS) {
            oversize = true;
            t = t.slice(0, MAX_CELL_CHARS + 1);
          }
          cells.push(t);
        }
        yield { no: row.number, cells, oversize };
      }
      break; // the first worksheet only
    }
  } catch (e) {
    if ((e as { status?: number }).status) throw e;
    throw invalid('无法读取 Excel 文件内容，请确认文件未损坏', { reason: 'unreadable' });
  }
}

async function* csvRows(path: string): AsyncGenerator<SheetRow> {
  let no = 0;
  for await (const r of parseCsv(createReadStream(path, { highWaterMark: 1 << 20 }), {
    maxCell: MAX_CELL_CHARS,
  })) {
    no++;
    yield { no, cells: r.cells, oversize: r.oversize };
  }
}

export function readRows(path: string, format: FileFormat): AsyncGenerator<SheetRow> {
  return format === 'csv' ? csvRows(path) : xlsxRows(path);
}
