import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InitRefused, initCity } from '../../../src/server/modules/onboarding/init.js';
import { sql } from '../../../src/server/platform/db/index.js';
import { makeCreditCode } from '../../../src/shared/rules/creditCode.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { sendImport } from './upload.js';

/**
 * Going live on an empty database: `init` for 邯郸市 (1304), the one-time password, then the
 * organization tree, units and users imported from files, and an appeal routed to an
 * imported county union. One system for the file; the steps build on each other.
 */
let sys: TestSystem;
let admin: Client;
let password = '';
const NEW_PASSWORD = 'Handan#2027go';

const HEAD =
  '组织编码,*组织全称,简称,*组织类型,*层级,上级组织,*行政区划代码,统一社会信用代码,联系人,联系电话,受理诉求';
const csv = (lines: string[], head = HEAD) => Buffer.from(`\uFEFF${[head, ...lines].join('\r\n')}\r\n`);

const send = (c: Client, kind: string, name: string, body: Buffer, dryRun: boolean) =>
  sendImport(sys, c, kind, name, body, dryRun);

const count = async (table: string) =>
  (await sys.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM ${sql.raw(table)}`))[0]!.n;

beforeAll(async () => {
  // no job worker: the test runs the one-time password job itself, with a sender it can read
  sys = await createTestSystem({ seed: false, env: { NIUDAI_JOBS: 'false' } });
});
afterAll(() => sys?.close());

describe('init', () => {
  it('refuses an unknown city code and a malformed username, changing nothing', async () => {
    await expect(initCity(sys.db, { cityCode: '1399', admin: 'zhang', now: new Date() })).rejects.toThrow(
      /城市代码 1399 不存在/,
    );
    await expect(initCity(sys.db, { cityCode: '1304', admin: 'Zh', now: new Date() })).rejects.toThrow(
      InitRefused,
    );
    expect(await count('regions')).toBe(0);
  });

  it('loads the city down to village, the root organizations, roles and the first administrator', async () => {
    const r = await initCity(sys.db, { cityCode: '1304', admin: 'zhang.admin', now: new Date() });
    password = r.password;
    expect(r.city.name).toBe('邯郸市');
    const levels = await sys.db.query<{ level: number; n: number }>(
      sql`SELECT level, count(*)::int AS n FROM regions GROUP BY level ORDER BY level`,
    );
    expect(levels.map((l) => l.level)).toEqual([1, 2, 3, 4, 5]);
    expect(levels[4]!.n).toBeGreaterThan(1000);
    const orgs = await sys.db.query<{ name: string; parent_id: number | null }>(
      sql`SELECT name, parent_id FROM orgs ORDER BY id`,
    );
    expect(orgs[0]).toMatchObject({ name: '中共邯郸市委群团工作部', parent_id: null });
    expect(orgs.map((o) => o.name)).toContain('邯郸市总工会');
    expect(orgs.map((o) => o.name)).toContain('共青团邯郸市委员会');
    expect(await count('roles')).toBeGreaterThanOrEqual(6);
    const stored = await sys.db.query<{ password_hash: string }>(sql`SELECT password_hash FROM users`);
    expect(stored[0]!.password_hash).not.toContain(password);
  });

  it('refuses a second init on the database that is no longer empty', async () => {
    await expect(initCity(sys.db, { cityCode: '1307', admin: 'other', now: new Date() })).rejects.toThrow(
      /数据库不是空的/,
    );
    expect(await count('users')).toBe(1);
  });

  it('the one-time password logs in, and every endpoint but the password change answers 403', async () => {
    const login = await sys.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'zhang.admin', password },
    });
    expect(login.statusCode).toBe(200);
    expect(JSON.parse(login.body).mustChangePassword).toBe(true);
    admin = await sys.login('zhang.admin', password);
    for (const url of ['/api/me', '/api/orgs?parentId=root', '/api/users', '/api/onboarding/checklist']) {
      const r = await admin.get(url);
      expect(r.status, url).toBe(403);
      expect(r.body.error.details.reason).toBe('must_change_password');
    }
    expect((await admin.post('/api/orgs', {})).status).toBe(403);
    expect(
      (await admin.post('/api/auth/password', { oldPassword: password, newPassword: password })).status,
    ).toBe(400);
    const changed = await admin.post('/api/auth/password', {
      oldPassword: password,
      newPassword: NEW_PASSWORD,
    });
    expect(changed.status).toBe(204);
    expect((await admin.get('/api/me')).status).toBe(200);
    expect((await sys.login('zhang.admin', NEW_PASSWORD)).cookie).toBeTruthy();
    const again = await sys.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'zhang.admin', password: NEW_PASSWORD },
    });
    expect(JSON.parse(again.body).mustChangePassword).toBe(false);
  });
});

describe('organization tree import', () => {
  it('serves the template with required marks, an example row and drop-down validation', async () => {
    const r = await sys.app.inject({
      method: 'GET',
      url: '/api/onboarding/templates/orgs?format=xlsx',
      headers: { cookie: admin.cookie! },
    });
    expect(r.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.getRow(1).values).toContain('*组织全称');
    expect(ws.getRow(2).getCell(2).value).toBe('桥东区总工会');
    const validation = ws.getCell('D5').dataValidation;
    expect(validation.type).toBe('list');
    expect(String(validation.formulae?.[0])).toContain('工会');
  });

  // a three-level tree in an order where children come before their parents
  const tree = (countyRegion: string) => [
    'HD-GH-HS-HM,火磨街道总工会,,工会,乡镇街道,HD-GH-HS,130402001,,,,',
    `HD-GH-HS,邯山区总工会,邯山总工会,工会,县区,邯郸市总工会,${countyRegion},,李主席,0310-1234567,是`,
    'HD-GH-HS-HM-1,火磨街道某某社区工会联合会,,工会,村社区,邯郸市总工会/邯山区总工会/火磨街道总工会,130402001006,,,,',
    'HD-GH-CT,丛台区总工会,,工会,县区,HD-GH,130403,,,,',
  ];

  it('a dry run with an error row lists it and writes nothing; the plan is a tree', async () => {
    const before = await count('orgs');
    const r = await send(
      admin,
      'orgs',
      'tree.csv',
      csv([...tree('13040'), 'HD-GH,邯郸市总工会,,工会,市,,130400,,,,']),
      true,
    );
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('previewed');
    expect(r.body.errors).toContainEqual({
      row: 3,
      column: '行政区划代码',
      message: expect.stringContaining('行政区划代码应为'),
    });
    expect(await count('orgs')).toBe(before);
  });

  it('refuses the whole file when a row has an error (applied = false), then applies the fixed file', async () => {
    const before = await count('orgs');
    const bad = await send(admin, 'orgs', 'tree.csv', csv(tree('13040')), false);
    expect(bad.body.status).toBe('refused');
    expect(await count('orgs')).toBe(before);
    const report = await admin.get(`/api/onboarding/imports/${bad.body.id}/errors?format=json`);
    expect(report.body).toContainEqual(expect.objectContaining({ row: 3, column: '行政区划代码' }));
    expect(report.body).toContainEqual(
      expect.objectContaining({ row: 2, message: '上级组织（第 3 行）有错误' }),
    );
    // the code of the city union is set by a first small import, then used as a parent
    const fixed = [...tree('130402'), 'HD-GH,邯郸市总工会,,工会,市,中共邯郸市委群团工作部,130400,,,,'];
    const dry = await send(admin, 'orgs', 'tree.csv', csv(fixed), true);
    expect(dry.body.errors).toEqual([]);
    expect(dry.body).toMatchObject({ created: 4, updated: 1 });
    const root = dry.body.preview.find((n: { name: string }) => n.name === '中共邯郸市委群团工作部');
    const city = root.children.find((n: { name: string }) => n.name === '邯郸市总工会');
    expect(city.action).toBe('update');
    const county = city.children.find((n: { name: string }) => n.name === '邯山区总工会');
    expect(county.children[0].name).toBe('火磨街道总工会');
    expect(county.children[0].children[0].name).toBe('火磨街道某某社区工会联合会');
    const ok = await send(admin, 'orgs', 'tree.csv', csv(fixed), false);
    expect(ok.body).toMatchObject({ status: 'applied', created: 4, updated: 1 });
    const village = await sys.db.query<{ path: string; depth: number }>(
      sql`SELECT path, depth FROM orgs WHERE code = 'HD-GH-HS-HM-1'`,
    );
    expect(village[0]!.depth).toBe(4);
    // idempotent: the same file again changes nothing
    const again = await send(admin, 'orgs', 'tree.csv', csv(fixed), false);
    expect(again.body).toMatchObject({ status: 'applied', created: 0, updated: 0, unchanged: 5 });
    expect(await count('orgs')).toBe(before + 4);
    const audit = await sys.db.query(sql`SELECT 1 FROM audit_events WHERE action = 'onboarding.import_orgs'`);
    expect(audit.length).toBe(2);
  });

  it('reports cycles, duplicates, regions outside the city, bad credit codes and unknown parents per row', async () => {
    const before = await count('orgs');
    const credit = makeCreditCode('81130402MA0000001');
    const r = await send(
      admin,
      'orgs',
      'bad.csv',
      csv([
        'C-A,甲组织,,工会,县区,C-B,130402,,,,',
        'C-B,乙组织,,工会,县区,C-A,130402,,,,',
        ',复兴区总工会,,工会,县区,邯郸市总工会,130404,,,,',
        ',复兴区总工会,,工会,县区,HD-GH,130404,,,,',
        ',外市工会,,工会,县区,邯郸市总工会,130702,,,,',
        `,信用代码有误工会,,工会,县区,邯郸市总工会,130404,${credit.slice(0, 17)}${credit[17] === 'X' ? 'Y' : 'X'},,,`,
        ',无上级工会,,工会,县区,不存在的组织,130404,,,,',
        ',层级颠倒工会,,工会,市,HD-GH-HS,130402,,,,',
      ]),
      false,
    );
    expect(r.body.status).toBe('refused');
    const byRow = (n: number) =>
      r.body.errors
        .filter((e: { row: number }) => e.row === n)
        .map((e: { message: string }) => e.message)
        .join();
    expect(byRow(2)).toMatch(/成环/);
    expect(byRow(3)).toMatch(/成环/);
    expect(byRow(4)).toBe('');
    expect(byRow(5)).toMatch(/与第 4 行是同一个组织/);
    expect(byRow(6)).toMatch(/不在本市范围内/);
    expect(byRow(7)).toMatch(/校验位/);
    expect(byRow(8)).toMatch(/不存在/);
    expect(byRow(9)).toMatch(/层级不能高于/);
    expect(await count('orgs')).toBe(before);
  });

  it('refuses a missing or renamed column and a file above the row cap, with a message', async () => {
    const renamed = await send(admin, 'orgs', 'x.csv', csv(['a'], HEAD.replace('*组织全称', '名称')), true);
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.message).toMatch(/表头缺少必填列：组织全称/);
    const lines = Array.from({ length: 50_001 }, (_, i) => `,组织${i},,工会,基层单位,HD-GH-HS,130402,,,,`);
    const big = await send(admin, 'orgs', 'big.csv', csv(lines), true);
    expect(big.status).toBe(400);
    expect(big.body.error.message).toMatch(/超过单个文件 50000 行的上限/);
  });

  it('exports the tree in the template form, and the export imports back unchanged', async () => {
    const r = await sys.app.inject({
      method: 'GET',
      url: '/api/onboarding/export/orgs?format=csv',
      headers: { cookie: admin.cookie! },
    });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('HD-GH-HS');
    const back = await send(admin, 'orgs', 'export.csv', Buffer.from(r.body), true);
    expect(back.body.errors).toEqual([]);
    expect(back.body.created).toBe(0);
    expect(back.body.updated).toBe(0);
  });
});

describe('units and users import', () => {
  it('imports units under imported organizations, idempotently', async () => {
    const credit = makeCreditCode('91130402MA0HD0001');
    const head =
      '*单位名称,统一社会信用代码,*单位类别,*所有制,*行政区划代码,*所属组织,职工人数,地址,已建组织';
    const file = csv(
      [
        `邯郸某某机械有限公司,${credit},企业,非公,130402001,HD-GH-HS,120,,HD-GH-HS-HM`,
        '某某社区,,社区,公共机构,130402001006,HD-GH-HS-HM,3000,,',
        '无代码企业,,企业,非公,130402001,HD-GH-HS,10,,',
      ],
      head,
    );
    const bad = await send(admin, 'units', 'units.csv', file, false);
    expect(bad.body.status).toBe('refused');
    expect(bad.body.errors[0]).toMatchObject({ row: 4, column: '统一社会信用代码' });
    const good = csv(
      [
        `邯郸某某机械有限公司,${credit},企业,非公,130402001,HD-GH-HS,120,,HD-GH-HS-HM`,
        '某某社区,,社区,公共机构,130402001006,HD-GH-HS-HM,3000,,',
      ],
      head,
    );
    expect((await send(admin, 'units', 'units.csv', good, false)).body).toMatchObject({
      status: 'applied',
      created: 2,
    });
    expect((await send(admin, 'units', 'units.csv', good, false)).body).toMatchObject({
      created: 0,
      unchanged: 2,
    });
    expect(await count('unit_coverage')).toBe(1);
  });

  it('imports users with roles; the one-time password goes out by SMS only, and must be changed', async () => {
    const head = '*用户名,*姓名,*手机号码,*所属组织,*角色,状态';
    const file = csv(['hs.union,邯山区管理员,13912345678,HD-GH-HS,组织管理员,正常'], head);
    const r = await send(admin, 'users', 'users.csv', file, false);
    expect(r.body).toMatchObject({ status: 'applied', created: 1 });
    const sent: { to: string; body: string }[] = [];
    const { otpHandler } = await import('../../../src/server/modules/onboarding/otp.js');
    const handler = otpHandler(sys.deps, { name: 'test', send: async (m) => void sent.push(m) });
    const rows = await sys.db.query<{ id: number; payload: { userId: number } }>(
      sql`SELECT id, payload FROM outbox WHERE topic = 'onboarding.otp'`,
    );
    expect(rows.length).toBe(1);
    await handler(rows[0]!.payload, { outboxId: Number(rows[0]!.id) });
    await handler(rows[0]!.payload, { outboxId: Number(rows[0]!.id) }); // a retry sends nothing more
    expect(sent.length).toBe(1);
    expect(sent[0]!.to).toBe('13912345678');
    const otp = /一次性密码：(\S+?)，/.exec(sent[0]!.body)![1]!;
    const u = await sys.login('hs.union', otp);
    expect((await u.get('/api/me')).status).toBe(403);
    const list = await admin.get('/api/onboarding/imports?kind=users');
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({ kind: 'users', status: 'applied' });
    const again = await send(admin, 'users', 'users.csv', file, false);
    expect(again.body).toMatchObject({ created: 0, unchanged: 1 });
  });
});

describe('the public appeal form routes to the imported county union', () => {
  it('a worker appeal in 邯山区 goes to 邯山区总工会', async () => {
    const r = await sys.anonymous().post('/api/public/appeals', {
      content: '公司拖欠三个月工资，多次讨要无果。',
      group: 'worker',
      categoryCode: 'LABOR_WAGE',
      regionCode: '130402001006',
      phone: '13700001111',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.orgName).toBe('邯山区总工会');
  });

  it('the checklist marks the imported tree, units and users done from the data', async () => {
    const r = await admin.get('/api/onboarding/checklist');
    expect(r.status).toBe(200);
    const done = Object.fromEntries(r.body.items.map((i: { key: string; done: boolean }) => [i.key, i.done]));
    expect(done).toMatchObject({
      orgs: true,
      units: true,
      users: true,
      routing: false,
      sms: false,
      backups: false,
    });
  });
});

describe('the inbox', () => {
  it('holds the open checklist for the platform administrator', async () => {
    const r = await admin.get('/api/me/todo');
    expect(r.status).toBe(200);
    const item = r.body.items.find((i: { kind: string }) => i.kind === 'onboarding.checklist');
    expect(item).toMatchObject({ href: '/onboarding', title: expect.stringMatching(/已完成 3\/7/) });
  });
});
