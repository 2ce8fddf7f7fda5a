import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { csvFile, sendImport } from './upload.js';

/** Imports by an organization administrator stay inside their data scope (demo city). */
let sys: TestSystem;
let county1: Client;
let own: { id: number; name: string };
let sibling: { id: number; name: string };

const ORG_HEAD =
  '组织编码,*组织全称,简称,*组织类型,*层级,上级组织,*行政区划代码,统一社会信用代码,联系人,联系电话,受理诉求';

beforeAll(async () => {
  sys = await createTestSystem();
  county1 = await sys.login('county1.union');
  const rows = await sys.db.query<{ username: string; id: number; name: string; region_code: string }>(
    sql`SELECT u.username, o.id, o.name, o.region_code FROM users u JOIN orgs o ON o.id = u.org_id
      WHERE u.username IN ('county1.union', 'county2.union')`,
  );
  own = rows.find((r) => r.username === 'county1.union')!;
  sibling = rows.find((r) => r.username === 'county2.union')!;
});
afterAll(() => sys?.close());

describe('onboarding imports inside the data scope', () => {
  it('an organization administrator adds below their own organization, not under a sibling nor at the top', async () => {
    const region = (
      await sys.db.query<{ region_code: string }>(sql`SELECT region_code FROM orgs WHERE id = ${own.id}`)
    )[0]!.region_code.slice(0, 6);
    const r = await sendImport(
      sys,
      county1,
      'orgs',
      'o.csv',
      csvFile(ORG_HEAD, [
        `,范围内新建工会,,工会,基层单位,${own.name},${region},,,,`,
        `,兄弟单位下的工会,,工会,基层单位,${sibling.name},${region},,,,`,
        `,顶级新组织,,工会,市,,${region},,,,`,
      ]),
      false,
    );
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('refused');
    const rows = r.body.errors.map((e: { row: number }) => e.row);
    expect(rows).toEqual([3, 4]);
    expect(r.body.errors[0].message).toMatch(/不在您的权限范围内/);
    const names = await sys.db.query(
      sql`SELECT 1 FROM orgs WHERE name IN ('范围内新建工会', '兄弟单位下的工会')`,
    );
    expect(names.length).toBe(0);
  });

  it('cannot hand out a role beyond its own (the platform administrator) through a users import', async () => {
    const r = await sendImport(
      sys,
      county1,
      'users',
      'u.csv',
      csvFile('*用户名,*姓名,*手机号码,*所属组织,*角色', [
        `grab.admin,夺权,13900001234,${own.name},平台管理员`,
      ]),
      true,
    );
    expect(r.body.errors[0]).toMatchObject({
      row: 2,
      column: '角色',
      message: expect.stringMatching(/超出本人权限/),
    });
  });

  it("the checklist is the platform administrator's; a dry run by the admin is not the county's to read", async () => {
    expect((await county1.get('/api/onboarding/checklist')).status).toBe(403);
    const admin = await sys.login('admin');
    expect((await admin.get('/api/onboarding/checklist')).status).toBe(200);
    const r = await sendImport(sys, admin, 'units', 'x.csv', csvFile('*单位名称', ['x']), true);
    expect(r.status).toBe(400);
    const d = await sendImport(
      sys,
      admin,
      'units',
      'x.csv',
      csvFile('*单位名称,*单位类别,*所有制,*行政区划代码,*所属组织', ['某单位,社会组织,社会组织,130702,x']),
      true,
    );
    expect((await county1.get(`/api/onboarding/imports/${d.body.id}`)).status).toBe(404);
    expect((await admin.get(`/api/onboarding/imports/${d.body.id}`)).status).toBe(200);
  });
});
