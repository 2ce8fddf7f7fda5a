import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * `niudai decompose <file> [--date]`: prints the decomposition of a .txt, .docx, .doc, .xlsx
 * or text PDF as JSON (offsets into the extracted text, which is printed as `text`).
 */
export async function runDecompose(file: string | undefined, date: string | undefined): Promise<number> {
  if (!file) {
    process.stderr.write('usage: niudai decompose <file> [--date YYYY-MM-DD]\n');
    return 2;
  }
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    process.stderr.write('--date must be YYYY-MM-DD\n');
    return 2;
  }
  const { decompose } = await import('../../shared/decompose/index.js');
  const { extractText } = await import('../modules/tasks/documents/extract.js');
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    process.stderr.write(`cannot read ${file}: ${(e as Error).message}\n`);
    return 2;
  }
  let text: string;
  let notices: string[];
  let format: string;
  try {
    ({ text, notices, format } = await extractText(path.basename(file), bytes));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 1;
  }
  const r = decompose(text, { date });
  const out = { format, ...r, notices: [...notices, ...(r.notices ?? [])], text };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  return 0;
}
