import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLine } from '../../../src/server/platform/csv.js';
import { sql } from '../../../src/server/platform/db/index.js';
import { IMPORT_COLUMNS, IMPORT_HEADERS } from '../../../src/shared/people/importColumns.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { demoOrgs, newIdNumber } from './helpers.js';
import { upload, waitForJob } from './upload.js';

let sys: TestSystem;
let county1: Client;
let orgs: Awaited<ReturnType<typeof demoOrgs>>;
let creditCode: string;

beforeAll(async () => {
  sys = await createTestSystem();
  county1 = await sys.login('county1.union');
  orgs = await demoOrgs(sys);
  creditCode = (
    await sys.db.query<{ credit_code: string }>(
      sql`SELECT credit_code FROM units WHERE kind = 'enterprise' AND credit_code IS NOT NULL ORDER BY id LIMIT 1`,
    )
  )[0]!.credit_code;
});
afterAll(() => sys?.close());

type Row = Record<string, string>;
const csv = (rows: Row[], headers = IMPORT_HEADERS) =>
  Buffer.from(
    `\uFEFF${csvLine(headers)}${rows.map((r) => csvLine(headers.map((h) => r[h] ?? ''))).join('')}`,
  );
const counts = async () =>
  (
    await sys.db.query<{ p: number; m: number }>(
      sql`SELECT (SELECT count(*)::int FROM persons) AS p, (SELECT count(*)::int FROM memberships) AS m`,
    )
  )[0]!;

describe('bulk import', () => {
  it('downloads the template with Chinese headers as .xlsx and as CSV', async () => {
    const x = await county1.request('GET', '/api/people/import-template?format=xlsx');
    expect(x.status).toBe(200);
    expect(String(x.headers['content-disposition'])).toContain(encodeURIComponent('人员导入模板'));
    const res = await sys.app.inject({
      method: 'GET',
      url: '/api/people/import-template',
      headers: { cookie: county1.cookie! },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    // required columns marked *, an example row, the allowed values as drop-downs
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as string[]).slice(1)).toEqual(
      IMPORT_COLUMNS.map((c) => (c.required ? `*${c.header}` : c.header)),
    );
    expect((ws.getRow(2).values as string[]).slice(1, 3)).toEqual(['张三', '130702199001010018']);
    const col = IMPORT_HEADERS.indexOf('学历') + 1;
    const dv = ws.getCell(2, col).dataValidation as { type?: string; formulae?: string[] } | undefined;
    expect(dv?.type).toBe('list');
    expect(dv?.formulae?.[0]).toContain('高中/中专');
    const c = await county1.request('GET', '/api/people/import-template?format=csv');
    expect(c.body).toContain('*姓名,*身份证号');
    // the template as downloaded imports as it is (its example row)
    const up = await upload(sys, county1, orgs.town1, '人员导入模板.xlsx', res.rawPayload);
    expect(up.status, JSON.stringify(up.body)).toBe(202);
    const job = await waitForJob(sys, county1, up.body.id);
    expect(job, JSON.stringify(job)).toMatchObject({ status: 'done', errorRows: 0 });
  });

  it('imports valid rows, reports rejected ones by row and column, and the fixed file imports the rest', async () => {
    const good = [newIdNumber(30), newIdNumber(24, true), newIdNumber(45)];
    const badCheck = newIdNumber(33);
    const wrongCheck = badCheck.slice(0, 17) + (badCheck[17] === '0' ? '1' : '0');
    const birthOf = newIdNumber(36);
    const rows: Row[] = [
      {
        姓名: '导入甲',
        身份证号: good[0]!,
        手机号码: '13911112222',
        工作单位信用代码: creditCode,
        人员类别: '职工',
      },
      { 姓名: '导入乙', 身份证号: good[1]!, 所属组织: String(orgs.town1), 一线职工: '是' },
      { 姓名: '导入丙', 身份证号: wrongCheck },
      { 姓名: '导入丁', 身份证号: good[2]!, 手机号码: '12345' },
      { 姓名: '导入戊', 身份证号: birthOf, 出生日期: '1970-01-01' },
      { 姓名: '导入己', 身份证号: newIdNumber(40), 所属组织: '不存在的工会' },
      { 姓名: '导入甲', 身份证号: good[0]! },
    ];
    const before = await counts();
    const up = await upload(sys, county1, orgs.town1, '会员名单.csv', csv(rows));
    expect(up.status, JSON.stringify(up.body)).toBe(202);
    expect(up.body.status).toBe('queued');
    const job = await waitForJob(sys, county1, up.body.id);
    expect(job, JSON.stringify(job)).toMatchObject({
      status: 'done',
      totalRows: 7,
      processedRows: 7,
      personsCreated: 2,
      membershipsCreated: 2,
      errorRows: 5,
      percent: 100,
    });
    const errors = (await county1.get(`/api/people/imports/${up.body.id}/errors?format=json`)).body;
    expect(errors.map((e: { row: number; column: string }) => [e.row, e.column])).toEqual([
      [4, '身份证号'],
      [5, '手机号码'],
      [6, '出生日期'],
      [7, '所属组织'],
      [8, '身份证号'],
    ]);
    expect(errors[4].message).toContain('第 2 行');
    expect(JSON.stringify(errors)).not.toContain(wrongCheck);
    // the .xlsx and CSV reports say the same
    const res = await sys.app.inject({
      method: 'GET',
      url: `/api/people/imports/${up.body.id}/errors`,
      headers: { cookie: county1.cookie! },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(6);
    expect(wb.worksheets[0]!.getRow(2).getCell(3).value).toContain('校验位');
    const report = await county1.request('GET', `/api/people/imports/${up.body.id}/errors?format=csv`);
    expect(report.body.split('\r\n').filter(Boolean)).toHaveLength(6);
    const after = await counts();
    expect(after.p - before.p).toBe(2);
    const audits = await sys.db.query<{ after: { personsCreated: number } }>(
      sql`SELECT after FROM audit_events WHERE action = 'person.import' AND entity_id = ${String(up.body.id)}`,
    );
    expect(audits).toHaveLength(1);
    expect(audits[0]!.after.personsCreated).toBe(2);

    // the fixed file: the bad rows corrected; the good ones already in
    const fixed: Row[] = [
      rows[0]!,
      rows[1]!,
      { 姓名: '导入丙', 身份证号: badCheck },
      { 姓名: '导入丁', 身份证号: good[2]!, 手机号码: '13912345678' },
      { 姓名: '导入戊', 身份证号: birthOf },
    ];
    const second = await waitForJob(
      sys,
      county1,
      (await upload(sys, county1, orgs.town1, '会员名单-修正.csv', csv(fixed))).body.id,
    );
    expect(second).toMatchObject({
      status: 'done',
      personsCreated: 3,
      personsExisting: 2,
      membershipsCreated: 3,
      membershipsExisting: 2,
      errorRows: 0,
    });
    // re-importing the same file changes nothing
    const mid = await counts();
    const third = await waitForJob(
      sys,
      county1,
      (await upload(sys, county1, orgs.town1, '会员名单-修正.csv', csv(fixed))).body.id,
    );
    expect(third).toMatchObject({
      status: 'done',
      personsCreated: 0,
      personsExisting: 5,
      membershipsCreated: 0,
      membershipsExisting: 5,
    });
    expect(await counts()).toEqual(mid);
    const p = (await county1.post('/api/persons/lookup', { idNumber: good[0]! })).body;
    expect(p).toMatchObject({ name: '导入甲', employer: { name: expect.any(String) } });
    expect(p.memberships[0]).toMatchObject({ orgId: orgs.town1, status: 'active', role: 'member' });
  });

  it('imports .xlsx written by Excel-like tools, and explains an ID number stored as a number', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRow(IMPORT_HEADERS);
    const id1 = newIdNumber(31);
    const at = (o: Row) => IMPORT_HEADERS.map((h) => o[h] ?? null);
    ws.addRow(at({ 姓名: '表格甲', 身份证号: id1, 入会日期: '2024-05-01' }));
    const r2 = ws.addRow(at({ 姓名: '表格乙' }));
    r2.getCell(2).value = Number('130702199001011234'); // what Excel does to an unformatted ID column
    const r3 = ws.addRow(at({ 姓名: '表格丙', 身份证号: newIdNumber(29) }));
    r3.getCell(4).value = new Date(Date.UTC(1980, 0, 1)); // a date cell contradicting the ID number
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const up = await upload(sys, county1, orgs.town1, '名单.xlsx', buf);
    expect(up.status, JSON.stringify(up.body)).toBe(202);
    const job = await waitForJob(sys, county1, up.body.id);
    expect(job).toMatchObject({ status: 'done', totalRows: 3, personsCreated: 1, errorRows: 2 });
    const errors = (await county1.get(`/api/people/imports/${up.body.id}/errors?format=json`)).body;
    expect(errors[0]).toMatchObject({ row: 3, column: '身份证号' });
    expect(errors[0].message).toContain('文本');
    expect(errors[1]).toMatchObject({ row: 4, column: '出生日期' });
    const m = await sys.db.query<{ joined_on: string }>(
      sql`SELECT m.joined_on FROM memberships m JOIN persons p ON p.id = m.person_id WHERE p.name = '表格甲'`,
    );
    expect(m[0]!.joined_on).toBe('2024-05-01');
  });

  it('refuses files that are not what they say, before anything is queued', async () => {
    const fake = await upload(sys, county1, orgs.town1, '名单.xlsx', Buffer.from('姓名,身份证号\n张三,1\n'));
    expect(fake.status).toBe(400);
    expect(fake.body.error.message).toContain('不是有效的 Excel');
    const zipAsCsv = await upload(sys, county1, orgs.town1, '名单.csv', Buffer.from('PK\u0003\u0004rest'));
    expect(zipAsCsv.status).toBe(400);
    const txt = await upload(sys, county1, orgs.town1, '名单.txt', Buffer.from('a'));
    expect(txt.status).toBe(400);
    expect(txt.body.error.message).toContain('.xlsx');
    const empty = await upload(sys, county1, orgs.town1, '空.csv', Buffer.alloc(0));
    expect(empty.status).toBe(400);
    const broken = await upload(
      sys,
      county1,
      orgs.town1,
      '坏.xlsx',
      Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(2000, 7)]),
    );
    // a broken ZIP is found at upload now (every part is measured there, issue 12)
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toContain('不是有效的 Excel');
    const noHeader = await upload(
      sys,
      county1,
      orgs.town1,
      '无表头.csv',
      Buffer.from('张三,13070219900101123X\n'),
    );
    const j2 = await waitForJob(sys, county1, noHeader.body.id);
    expect(j2).toMatchObject({ status: 'failed' });
    expect(j2.message).toContain('表头缺少');
  });

  it('refuses a file over 1,000,000 rows as a whole: nothing is written', async () => {
    const before = await counts();
    const line = `张三,${newIdNumber(30)}\n`;
    const big = Buffer.from(`姓名,身份证号\n${line.repeat(1_000_001)}`);
    const up = await upload(sys, county1, orgs.town1, '太多.csv', big);
    expect(up.status).toBe(202);
    const job = await waitForJob(sys, county1, up.body.id);
    expect(job.status).toBe('failed');
    expect(job.message).toContain('1000000');
    expect(await counts()).toEqual(before);
  });

  it('refuses a file over 200 MB while it streams in', async () => {
    const mb = Buffer.alloc(1 << 20, 0x61);
    const r = await upload(sys, county1, orgs.town1, '巨大.csv', async function* () {
      yield Buffer.from('姓名,身份证号\n张三,"');
      for (let i = 0; i < 201; i++) yield mb;
      yield Buffer.from('"\n');
    });
    expect(r.status).toBe(413);
    expect(r.body.error.message).toContain('200 MB');
    const left = await sys.db.query(sql`SELECT 1 FROM import_jobs WHERE file_name = '巨大.csv'`);
    expect(left).toHaveLength(0);
  });

  it('checks the right to import and the organization before reading the file', async () => {
    const staff = await sys.login('town1.union');
    expect((await upload(sys, staff, orgs.town1, 'a.csv', csv([]))).status).toBe(403);
    const county2 = await sys.login('county2.union');
    expect((await upload(sys, county2, orgs.town1, 'a.csv', csv([]))).status).toBe(404);
    const jobs = await county1.get('/api/people/imports');
    expect(jobs.body.total).toBeGreaterThan(0);
    expect((await county2.get(`/api/people/imports/${jobs.body.items[0].id}`)).status).toBe(404);
  });

  it('exports a filtered list masked, and in full only with reveal=true and pii:reveal', async () => {
    const x = await county1.request('GET', `/api/persons/export?orgId=${orgs.town1}&format=csv`);
    expect(x.status).toBe(200);
    const lines = x.body.split('\r\n').filter(Boolean);
    expect(lines[0]).toContain('身份证号');
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.slice(1).every((l: string) => /\d{6}\*{8}[\dX]{4}/.test(l))).toBe(true);
    expect((await county1.request('GET', `/api/persons/export?orgId=${orgs.town1}&reveal=true`)).status).toBe(
      403,
    );
    const admin = await sys.login('admin');
    const full = await admin.request('GET', `/api/persons/export?orgId=${orgs.town1}&format=csv&reveal=true`);
    expect(full.body).toMatch(/,\d{17}[\dX],/);
    const res = await sys.app.inject({
      method: 'GET',
      url: `/api/persons/export?orgId=${orgs.town1}`,
      headers: { cookie: county1.cookie! },
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets[0]!.rowCount).toBe(lines.length);
    const audits = await sys.db.query<{ after: { revealed: boolean } }>(
      sql`SELECT after FROM audit_events WHERE action = 'person.export' ORDER BY id`,
    );
    expect(audits.map((a) => a.after.revealed)).toEqual([false, true, false]);
  });
});
