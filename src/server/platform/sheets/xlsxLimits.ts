/**
 * Checks an .xlsx before anything parses it: every entry of the ZIP is decompressed as a
 * stream and measured, never kept, so that a compression bomb (one cell of hundreds of
 * megabytes, a shared-string table of gigabytes, a style sheet that inflates without end) is
 * refused with a clear message before the parser allocates anything for it. Also refuses
 * data the central directory does not list (a streaming parser would read it).
 */
import { open } from 'node:fs/promises';
import { invalid } from '../errors.js';
import { NotZipError, openEntry, type ZipEntry, zipEntries } from './zip.js';

export const XLSX_LIMITS = {
  /** all entries together, decompressed */
  totalBytes: 1024 * 1024 * 1024,
  /** one worksheet, decompressed (a million rows of the template fit) */
  sheetBytes: 768 * 1024 * 1024,
  /** the shared-string table, decompressed (the parser keeps it in memory) */
  sharedStringsBytes: 128 * 1024 * 1024,
  /** any other entry (styles, workbook, relationships…), decompressed */
  otherBytes: 16 * 1024 * 1024,
  /** the longest text or tag between two `<` (a cell is at most 500 characters) */
  tokenBytes: 64 * 1024,
};

const MB = 1024 * 1024;
const NOT_XLSX = '文件不是有效的 Excel（.xlsx）文件；请用 Excel 或 WPS 打开后另存为 .xlsx 再导入';

const isSheet = (name: string) => /^xl\/worksheets\/sheet\d+\.xml$/.test(name);
const isSharedStrings = (name: string) => name === 'xl/sharedStrings.xml';

/** Every byte of the file belongs to an entry the central directory lists (no hidden entries). */
async function assertCovered(path: string, entries: readonly ZipEntry[], cdOffset: number): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const sorted = [...entries].sort((a, b) => a.localOffset - b.localOffset);
    let at = 0;
    const head = Buffer.alloc(30);
    for (const e of sorted) {
      const gap = e.localOffset - at;
      // a data descriptor (12 or 16 bytes, or 16/24 for zip64) may follow an entry's data
      if (![0, 12, 16, 24].includes(gap)) throw new NotZipError('data outside the listed entries');
      await fh.read(head, 0, 30, e.localOffset);
      if (head.readUInt32LE(0) !== 0x04034b50) throw new NotZipError('bad local header');
      at = e.localOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28) + e.compressedSize;
    }
    if (![0, 12, 16, 24].includes(cdOffset - at)) throw new NotZipError('data outside the listed entries');
  } finally {
    await fh.close();
  }
}

/**
 * Measures every entry of an .xlsx within XLSX_LIMITS; returns the number of rows (header
 * included) of the first worksheet. Throws VALIDATION (400) naming the limit exceeded.
 */
export async function inspectXlsx(path: string): Promise<{ rows: number }> {
  let entries: ZipEntry[];
  let cdOffset: number;
  try {
    ({ entries, cdOffset } = await zipEntries(path, true));
    await assertCovered(path, entries, cdOffset);
  } catch (e) {
    if (e instanceof NotZipError) throw invalid(NOT_XLSX, { reason: 'not_xlsx' });
    throw e;
  }
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) throw invalid(NOT_XLSX, { reason: 'not_xlsx' });
  const first = entries.find((e) => isSheet(e.name));
  if (!first) throw invalid('Excel 文件中没有工作表', { reason: 'no_sheet' });
  let total = 0;
  let rows = 0;
  for (const e of entries) {
    if (e.name.endsWith('/')) continue;
    const cap = isSheet(e.name)
      ? XLSX_LIMITS.sheetBytes
      : isSharedStrings(e.name)
        ? XLSX_LIMITS.sharedStringsBytes
        : XLSX_LIMITS.otherBytes;
    const xml = e.name.endsWith('.xml') || e.name.endsWith('.rels');
    const counting = e === first;
    let size = 0;
    let run = 0; // bytes since the last '<'
    let carry = '';
    let stream: Awaited<ReturnType<typeof openEntry>> | undefined;
    try {
      stream = await openEntry(path, e);
      for await (const chunk of stream) {
        const buf = chunk as Buffer;
        size += buf.length;
        total += buf.length;
        if (size > cap) {
          if (isSharedStrings(e.name))
            throw invalid(
              `Excel 文件的共享字符串表解压后超过 ${cap / MB} MB，文件异常或过大；请拆分后导入，或另存为 CSV 导入`,
              { reason: 'xlsx_shared_strings_too_large', entry: e.name },
            );
          throw invalid(
            `Excel 文件解压后过大（${e.name} 超过 ${cap / MB} MB），文件异常或过大；请拆分后导入`,
            {
              reason: 'xlsx_too_large',
              entry: e.name,
            },
          );
        }
        if (total > XLSX_LIMITS.totalBytes)
          throw invalid(
            `Excel 文件解压后超过 ${XLSX_LIMITS.totalBytes / MB} MB，文件异常或过大；请拆分后导入`,
            {
              reason: 'xlsx_too_large',
            },
          );
        if (xml) {
          for (let pos = 0; ; ) {
            const i = buf.indexOf(0x3c, pos);
            run += (i < 0 ? buf.length : i) - pos;
            if (run > XLSX_LIMITS.tokenBytes)
              throw invalid(
                `Excel 文件中有超过 ${XLSX_LIMITS.tokenBytes / 1024} KB 的单元格或标记，文件异常；单元格内容不能超过 500 字`,
                { reason: 'xlsx_cell_too_large', entry: e.name },
              );
            if (i < 0) break;
            run = 0;
            pos = i + 1;
          }
        }
        if (counting) {
          const s = carry + buf.toString('latin1');
          for (let i = s.indexOf('<row'); i >= 0 && i + 4 < s.length; i = s.indexOf('<row', i + 4)) {
            const c = s.charCodeAt(i + 4);
            if (c === 32 || c === 62) rows++;
          }
          // an occurrence starting in the last 4 characters was not counted yet
          carry = s.slice(-4);
        }
      }
    } catch (err) {
      if (err instanceof NotZipError || (err as { code?: string }).code?.startsWith('Z_'))
        throw invalid(NOT_XLSX, { reason: 'not_xlsx' });
      throw err;
    } finally {
      stream?.destroy();
    }
  }
  return { rows };
}
