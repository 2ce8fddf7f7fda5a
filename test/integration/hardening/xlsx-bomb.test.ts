import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import { XLSX_LIMITS } from '../../../src/server/platform/sheets/xlsxLimits.js';
import { demoOrgs } from '../people/helpers.js';
import { upload } from '../people/upload.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { workbook, zip } from './zipfile.js';

/**
 * Issue 12, item 14: an .xlsx that inflates to hundreds of megabytes (one giant cell, a
 * giant shared-string table, a giant style sheet) is refused at upload with a clear 400,
 * measured while streaming, before any parser allocates it.
 */
let sys: TestSystem;
let county1: Client;
let orgs: Awaited<ReturnType<typeof demoOrgs>>;
beforeAll(async () => {
  sys = await createTestSystem();
  county1 = await sys.login('county1.union');
  orgs = await demoOrgs(sys);
});
afterAll(() => sys?.close());

const MB = 1024 * 1024;
/** `total` bytes of `unit` repeated, in chunks of about 1 MB (never whole in memory). */
function* repeat(unit: string, total: number): Generator<Buffer> {
  const chunk = Buffer.from(unit.repeat(Math.max(1, Math.floor(MB / unit.length))));
  for (let n = 0; n < total; n += chunk.length) yield chunk;
}
const header =
  '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>身份证号</t></is></c></row>';
const sheetStart =
  '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const sheetEnd = '</sheetData></worksheet>';

async function refused(name: string, file: Buffer, reason: string) {
  const jobs = async () =>
    (await sys.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM import_jobs`))[0]!.n;
  const before = await jobs();
  const r = await upload(sys, county1, orgs.town1, name, file);
  expect(r.status).toBe(400);
  expect(r.body.error.code).toBe('VALIDATION');
  expect(r.body.error.details.reason).toBe(reason);
  expect(r.body.error.message).toMatch(/Excel/);
  expect(await jobs()).toBe(before);
  // nothing of it stays on disk
  const left = await readdir(join(sys.deps.config.dataDir, 'imports')).catch(() => []);
  expect(left.filter((f) => f.startsWith('upload-'))).toEqual([]);
}

describe('xlsx bombs', () => {
  it('refuses one cell of 60 MB (a few kB compressed)', async () => {
    const file = await zip(
      workbook(function* () {
        yield Buffer.from(`${sheetStart}${header}<row r="2"><c r="A2" t="inlineStr"><is><t>`);
        yield* repeat('A', 60 * MB);
        yield Buffer.from(`</t></is></c></row>${sheetEnd}`);
      }),
    );
    expect(file.length).toBeLessThan(200 * 1024);
    await refused('炸弹-单元格.xlsx', file, 'xlsx_cell_too_large');
  });

  it('refuses a giant tag (an attribute of 1 MB) the same way', async () => {
    const file = await zip(
      workbook(function* () {
        yield Buffer.from(`${sheetStart}${header}<row r="2" x="`);
        yield* repeat('9', MB);
        yield Buffer.from(`"></row>${sheetEnd}`);
      }),
    );
    await refused('炸弹-标记.xlsx', file, 'xlsx_cell_too_large');
  });

  it('refuses a shared-string table that inflates past its cap, however small each string', async () => {
    const file = await zip(
      workbook(
        function* () {
          yield Buffer.from(`${sheetStart}${header}<row r="2"><c r="A2" t="s"><v>0</v></c></row>${sheetEnd}`);
        },
        function* () {
          yield Buffer.from(
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
          );
          yield* repeat('<si><t>张三</t></si>', XLSX_LIMITS.sharedStringsBytes + MB);
          yield Buffer.from('</sst>');
        },
      ),
    );
    expect(file.length).toBeLessThan(2 * MB);
    await refused('炸弹-共享字符串.xlsx', file, 'xlsx_shared_strings_too_large');
  });

  it('refuses any other part that inflates past its cap (a style sheet)', async () => {
    const entries = workbook(function* () {
      yield Buffer.from(`${sheetStart}${header}${sheetEnd}`);
    });
    entries.splice(2, 0, {
      name: 'xl/styles.xml',
      chunks: function* () {
        yield Buffer.from('<styleSheet>');
        yield* repeat('<font/>', XLSX_LIMITS.otherBytes + MB);
        yield Buffer.from('</styleSheet>');
      },
    });
    await refused('炸弹-样式.xlsx', await zip(entries), 'xlsx_too_large');
  });

  it('refuses data hidden outside the listed entries (a streaming parser would read it)', async () => {
    const good = await zip(
      workbook(function* () {
        yield Buffer.from(`${sheetStart}${header}${sheetEnd}`);
      }),
    );
    const hidden = await zip(
      workbook(function* () {
        yield Buffer.from(`${sheetStart}${header}${sheetEnd}`);
      }).slice(0, 1),
    );
    // an extra local entry pushed in front, the offsets of the directory moved past it
    const extra = hidden.subarray(0, hidden.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])));
    const shifted = Buffer.from(good);
    const cd = shifted.indexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    for (let p = shifted.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])); p >= 0 && p < cd; ) {
      shifted.writeUInt32LE(shifted.readUInt32LE(p + 42) + extra.length + 7, p + 42);
      p += 46 + shifted.readUInt16LE(p + 28) + shifted.readUInt16LE(p + 30) + shifted.readUInt16LE(p + 32);
    }
    shifted.writeUInt32LE(shifted.readUInt32LE(cd + 16) + extra.length + 7, cd + 16);
    const file = Buffer.concat([extra, Buffer.from('garbage'), shifted]);
    await refused('隐藏.xlsx', file, 'not_xlsx');
  });

  it('accepts a small crafted workbook of the same shape', async () => {
    const file = await zip(
      workbook(function* () {
        yield Buffer.from(`${sheetStart}${header}${sheetEnd}`);
      }),
    );
    const r = await upload(sys, county1, orgs.town1, '正常.xlsx', file);
    expect(r.status).toBe(202);
  });
});
