import { readFile } from 'node:fs/promises';

/** `niudai decompose <file> [--date]`: prints the decomposition of a document as JSON. */
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
  const text = await readFile(file, 'utf8');
  process.stdout.write(`${JSON.stringify(decompose(text, { date }), null, 2)}\n`);
  return 0;
}
