/**
 * An uploaded onboarding file, read row by row (streamed from disk by the platform's sheet
 * reader, .xlsx or .csv) into cells keyed by column, after its header has been checked and
 * its rows counted against the documented cap — before anything is planned or written.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  type ColumnDef,
  MAX_ONBOARDING_BYTES,
  MAX_ONBOARDING_ROWS,
  mapColumns,
} from '../../../shared/onboarding/columns.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, invalid } from '../../platform/errors.js';
import { countRows, type FileFormat, formatOf, readRows, sniff } from '../../platform/sheets/rows.js';

export interface FileRow {
  no: number;
  get(key: string): string;
  oversize: boolean;
}

const MAX_CELL = 500;

/**
 * Stores the upload in the data folder's scratch space (owner-only), calls `use` with its
 * path and removes it afterwards whatever happens: an onboarding file is never kept.
 */
export async function withUpload<T>(
  deps: Deps,
  file: { filename: string; file: Readable & { truncated?: boolean } },
  use: (path: string, format: FileFormat) => Promise<T>,
): Promise<T> {
  const format = formatOf(file.filename);
  if (!format) {
    file.file.resume();
    throw invalid('只支持导入 .xlsx 或 .csv 文件', { field: 'file' });
  }
  const dir = join(deps.config.dataDir, 'imports');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, `onboarding-${randomBytes(8).toString('hex')}.${format}`);
  try {
    await pipeline(file.file, createWriteStream(path, { mode: 0o600 }));
    if (file.file.truncated) throw tooLarge();
    await sniff(path, format);
    return await use(path, format);
  } finally {
    await rm(path, { force: true });
  }
}

export const tooLarge = () =>
  new AppError('PAYLOAD_TOO_LARGE', `文件超过 ${MAX_ONBOARDING_BYTES / 1024 / 1024} MB 的上限，请拆分后导入`);

/** Checks the row cap, then yields the data rows with their cells by column key. */
export async function* fileRows(
  path: string,
  format: FileFormat,
  cols: readonly ColumnDef[],
): AsyncGenerator<FileRow> {
  const counted = Math.max(0, (await countRows(path, format)) - 1);
  if (counted > MAX_ONBOARDING_ROWS)
    throw invalid(
      `文件约有 ${counted} 行数据，超过单个文件 ${MAX_ONBOARDING_ROWS} 行的上限；请按区县拆分后分批导入，本次未导入任何数据`,
      { reason: 'too_many_rows', rows: counted, max: MAX_ONBOARDING_ROWS },
    );
  let index: Record<string, number> | undefined;
  let n = 0;
  for await (const r of readRows(path, format)) {
    if (!index) {
      if (r.cells.every((c) => c.trim() === '')) continue;
      const m = mapColumns(cols, r.cells);
      if ('missing' in m)
        throw invalid(
          `表头缺少必填列：${m.missing.join('、')}${m.unknown.length > 0 ? `（未识别的列：${m.unknown.join('、')}）` : ''}；请使用导入模板，不要改动表头`,
          { reason: 'header', missing: m.missing, unknown: m.unknown },
        );
      index = m.index;
      continue;
    }
    if (r.cells.every((c) => c.trim() === '')) continue;
    if (++n > MAX_ONBOARDING_ROWS)
      throw invalid(`超过单个文件 ${MAX_ONBOARDING_ROWS} 行的上限；请拆分后导入，本次未导入任何数据`, {
        reason: 'too_many_rows',
      });
    const idx = index;
    const cells = r.cells;
    yield {
      no: r.no,
      oversize: r.oversize || cells.some((c) => c.length > MAX_CELL),
      get: (key) => {
        const i = idx[key] ?? -1;
        return i < 0 ? '' : (cells[i] ?? '').trim();
      },
    };
  }
  if (!index) throw invalid('文件没有表头和数据行；请使用导入模板', { reason: 'empty' });
}
