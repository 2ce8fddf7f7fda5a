import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/server/platform/db/index.js';
import type { Client } from './support/client.js';
import { createTestSystem, type TestSystem } from './support/system.js';

let sys: TestSystem;
let admin: Client;
let county1: Client;
let county1Org: number;
let county2Org: number;
let region: string;

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
  county1Org = (await county1.get('/api/me')).body.organization.id;
  county2Org = (await (await sys.login('county2.union')).get('/api/me')).body.organization.id;
  region = (await admin.get(`/api/orgs/${county1Org}`)).body.regionCode;
});
afterAll(() => sys?.close());

const newOrg = (parentId: number, name: string, extra: object = {}) => ({
  parentId,
  name,
  type: 'union',
  level: 'grassroots',
  regionCode: region,
  ...extra,
});

describe('organization tree', () => {
  it('seeds a city with every level and thousands of units', async () => {
    const counts = await sys.db.query<{ level: string; n: number }>(
      sql`SELECT level, count(*)::int AS n FROM orgs GROUP BY level`,
    );
    const by = Object.fromEntries(counts.map((c) => [c.level, c.n]));
    expect(by.county).toBeGreaterThanOrEqual(5 * 6);
    expect(by.township).toBeGreaterThanOrEqual(50);
    expect(by.village).toBeGreaterThanOrEqual(500);
    const units = await sys.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM units`);
    expect(units[0]!.n).toBeGreaterThanOrEqual(2000);
    const types = await sys.db.query<{ type: string }>(sql`SELECT DISTINCT type FROM orgs ORDER BY type`);
    expect(types.map((t) => t.type)).toEqual(
      [
        'commerce',
        'disabled',
        'literary',
        'overseas',
        'party_mass_office',
        'red_cross',
        'science',
        'union',
        'women',
        'youth_league',
      ].sort(),
    );
  });

  it('creates an organization, finds it by name, by Traditional characters and by pinyin initials', async () => {
    const res = await county1.post('/api/orgs', newOrg(county1Org, '示范物流园区联合工会'));
    expect(res.status).toBe(201);
    expect(res.body.abilities.update).toBe(true);
    for (const q of ['物流园区联合', '物流園區聯合', 'sfwlyq']) {
      const found = await county1.get(`/api/orgs?q=${encodeURIComponent(q)}`);
      expect(
        found.body.items.map((o: { id: number }) => o.id),
        q,
      ).toContain(res.body.id);
    }
    const other = await (await sys.login('county2.union')).get(
      `/api/orgs?q=${encodeURIComponent('示范物流园区联合工会')}`,
    );
    expect(other.body.total).toBe(0);
  });

  it('lists the visible tops of the tree for a scoped user', async () => {
    const roots = await county1.get('/api/orgs?parentId=root');
    expect(roots.body.items.map((o: { id: number }) => o.id)).toEqual([county1Org]);
    const all = await admin.get('/api/orgs?parentId=root');
    expect(all.body.items).toHaveLength(1);
    expect(all.body.items[0].parentId).toBeNull();
  });

  it('rejects a duplicate name under the same parent and changes nothing', async () => {
    await county1.post('/api/orgs', newOrg(county1Org, '重名测试工会'));
    const dup = await county1.post('/api/orgs', newOrg(county1Org, '重名测试工会'));
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('CONFLICT');
    const n = await sys.db.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM orgs WHERE name = '重名测试工会'`,
    );
    expect(n[0]!.n).toBe(1);
  });

  it('rejects invalid input with clear errors: unknown region, unknown field, wrong level, bad JSON, oversize body', async () => {
    const badRegion = await county1.post(
      '/api/orgs',
      newOrg(county1Org, '区划错误工会', { regionCode: '999999999999' }),
    );
    expect(badRegion.status).toBe(400);
    expect(badRegion.body.error.message).toContain('行政区划');
    const unknown = await county1.post('/api/orgs', { ...newOrg(county1Org, '未知字段工会'), hacker: true });
    expect(unknown.status).toBe(400);
    const level = await county1.post('/api/orgs', newOrg(county1Org, '层级错误工会', { level: 'city' }));
    expect(level.status).toBe(400);
    const bad = await county1.request('POST', '/api/orgs', '{"parentId": 1,', {
      'content-type': 'application/json',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION');
    const huge = await county1.post('/api/orgs', {
      ...newOrg(county1Org, 'x'.repeat(50)),
      contactName: 'x'.repeat(2_000_000),
    });
    expect(huge.status).toBe(413);
    const wrongType = await county1.get('/api/orgs?pageSize=abc');
    expect(wrongType.status).toBe(400);
  });

  it('moves a subtree, updating every descendant, and refuses cycles', async () => {
    const a = (await county1.post('/api/orgs', newOrg(county1Org, '移动测试甲工会'))).body;
    const b = (await county1.post('/api/orgs', newOrg(county1Org, '移动测试乙工会'))).body;
    const a1 = (await county1.post('/api/orgs', newOrg(a.id, '移动测试甲一工会'))).body;
    const a11 = (await county1.post('/api/orgs', newOrg(a1.id, '移动测试甲一一工会'))).body;

    const cycle = await county1.post(`/api/orgs/${a.id}/move`, { version: a.version, parentId: a11.id });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.details.reason).toBe('cycle');
    const self = await county1.post(`/api/orgs/${a.id}/move`, { version: a.version, parentId: a.id });
    expect(self.status).toBe(400);

    const moved = await county1.post(`/api/orgs/${a.id}/move`, { version: a.version, parentId: b.id });
    expect(moved.status).toBe(200);
    expect(moved.body.parentId).toBe(b.id);
    const paths = await sys.db.query<{ id: number; path: string; depth: number }>(
      sql`SELECT id, path, depth FROM orgs WHERE id = ANY(${[b.id, a.id, a1.id, a11.id]}::bigint[]) ORDER BY depth`,
    );
    const bPath = paths[0]!.path;
    expect(paths.map((p) => p.path)).toEqual([
      bPath,
      `${bPath}${a.id}/`,
      `${bPath}${a.id}/${a1.id}/`,
      `${bPath}${a.id}/${a1.id}/${a11.id}/`,
    ]);
    expect(paths.map((p) => p.depth)).toEqual([
      paths[0]!.depth,
      paths[0]!.depth + 1,
      paths[0]!.depth + 2,
      paths[0]!.depth + 3,
    ]);
    const detail = await county1.get(`/api/orgs/${a11.id}`);
    expect(detail.body.ancestors.map((x: { id: number }) => x.id)).toEqual([county1Org, b.id, a.id, a1.id]);
  });

  it('cannot move an organization into another county it cannot see', async () => {
    const a = (await county1.post('/api/orgs', newOrg(county1Org, '越界移动工会'))).body;
    const r = await county1.post(`/api/orgs/${a.id}/move`, { version: a.version, parentId: county2Org });
    expect(r.status).toBe(404);
  });

  it('detects concurrent edits with the version (409) and keeps the first', async () => {
    const o = (await county1.post('/api/orgs', newOrg(county1Org, '并发编辑工会'))).body;
    const [x, y] = await Promise.all([
      county1.patch(`/api/orgs/${o.id}`, { version: o.version, contactName: '甲' }),
      county1.patch(`/api/orgs/${o.id}`, { version: o.version, contactName: '乙' }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const winner = x.status === 200 ? '甲' : '乙';
    expect((await county1.get(`/api/orgs/${o.id}`)).body.contactName).toBe(winner);
  });

  it('deactivates only when no active children remain', async () => {
    const p = (await county1.post('/api/orgs', newOrg(county1Org, '停用测试工会'))).body;
    const c = (await county1.post('/api/orgs', newOrg(p.id, '停用测试下级工会'))).body;
    const refused = await county1.patch(`/api/orgs/${p.id}`, { version: p.version, status: 'inactive' });
    expect(refused.status).toBe(400);
    expect(
      (await county1.patch(`/api/orgs/${c.id}`, { version: c.version, status: 'inactive' })).status,
    ).toBe(200);
    const ok = await county1.patch(`/api/orgs/${p.id}`, { version: p.version, status: 'inactive' });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('inactive');
    const under = await county1.post('/api/orgs', newOrg(p.id, '停用后新增工会'));
    expect(under.status).toBe(400);
  });

  it('only a whole-tree administrator may create a top-level organization', async () => {
    const r = await county1.post('/api/orgs', {
      ...newOrg(county1Org, '顶级工会'),
      parentId: null,
      level: 'city',
    });
    expect(r.status).toBe(403);
  });
});

describe('grassroots units', () => {
  it('validates the unified social credit code (GB 32100) and links covering organizations', async () => {
    const bad = await county1.post('/api/units', {
      name: '校验失败公司',
      kind: 'enterprise',
      ownership: 'private',
      creditCode: '91130702MA0DEM8010',
      regionCode: region,
      orgId: county1Org,
    });
    expect(bad.status).toBe(400);
    const wrongCheck = await county1.post('/api/units', {
      name: '校验失败公司',
      kind: 'enterprise',
      ownership: 'private',
      creditCode: '91130702MA0DEM8012',
      regionCode: region,
      orgId: county1Org,
    });
    expect(wrongCheck.status).toBe(400);
    expect(wrongCheck.body.error.message).toContain('统一社会信用代码');
    const { makeCreditCode } = await import('../../src/shared/rules/creditCode.js');
    const code = makeCreditCode('91130702MA0TEW701');
    const union = (await county1.post('/api/orgs', newOrg(county1Org, '测试科技公司工会'))).body;
    const ok = await county1.post('/api/units', {
      name: '测试科技有限公司',
      kind: 'enterprise',
      ownership: 'private',
      creditCode: code,
      regionCode: region,
      orgId: county1Org,
      headcount: 120,
      coveringOrgIds: [union.id],
    });
    expect(ok.status).toBe(201);
    expect(ok.body.coveringOrgs.map((c: { id: number }) => c.id)).toEqual([union.id]);
    const again = await county1.post('/api/units', {
      name: '重复代码公司',
      kind: 'enterprise',
      ownership: 'private',
      creditCode: code,
      regionCode: region,
      orgId: county1Org,
    });
    expect(again.status).toBe(409);
  });

  it('lists uncovered units of the scope, most people first', async () => {
    const r = await county1.get('/api/units?covered=no&pageSize=50');
    expect(r.status).toBe(200);
    expect(r.body.total).toBeGreaterThan(0);
    const heads = r.body.items.map((u: { headcount: number }) => u.headcount);
    expect(heads).toEqual([...heads].sort((a, b) => b - a));
    expect(r.body.items.every((u: { coveringOrgs: unknown[] }) => u.coveringOrgs.length === 0)).toBe(true);
    expect(r.body.items.map((u: { name: string }) => u.name)).toContain('示范市新业态物流科技有限公司');
    const c2 = await (await sys.login('county2.union')).get('/api/units?covered=no&pageSize=200');
    expect(c2.body.items.map((u: { name: string }) => u.name)).not.toContain('示范市新业态物流科技有限公司');
  });
});

describe('the tree as a scoped user sees it', () => {
  it('offers a move only where the parent is in scope', async () => {
    const own = await county1.get(`/api/orgs/${county1Org}`);
    expect(own.body.abilities.move).toBe(false);
    expect((await admin.get(`/api/orgs/${county1Org}`)).body.abilities.move).toBe(true);
    const children = await county1.get(`/api/orgs?parentId=${county1Org}&pageSize=5`);
    expect(children.body.items[0].abilities.move).toBe(true);
  });

  it('shows children only when the user may see them (ORG scope)', async () => {
    const roles = await admin.get('/api/roles');
    const staff = roles.body.items.find((r: { key: string }) => r.key === 'staff');
    const made = await admin.post('/api/users', {
      username: 'county1.staff',
      displayName: '区工会干事',
      orgId: county1Org,
      password: 'Field#Work26',
      roleIds: [staff.id],
    });
    expect(made.status).toBe(201);
    const clerk = await sys.login('county1.staff', 'Field#Work26');
    const own = await clerk.get(`/api/orgs/${county1Org}`);
    expect(own.status).toBe(200);
    expect(own.body.hasChildren).toBe(false);
    expect((await county1.get(`/api/orgs/${county1Org}`)).body.hasChildren).toBe(true);
  });
});

describe('units by region', () => {
  it('filters by the significant prefix of a region code at any level', async () => {
    // a township such as 130708100 next to 130708101…: a careless zero-strip would take both
    const [town] = await sys.db.query<{ code: string }>(
      sql`SELECT r.code FROM regions r WHERE r.level = 4 AND r.code ~ '^[0-9]{6}[1-9]00000$'
            AND EXISTS (SELECT 1 FROM units u WHERE u.region_code LIKE substr(r.code, 1, 9) || '%')
            AND EXISTS (SELECT 1 FROM units u WHERE u.region_code LIKE substr(r.code, 1, 8) || '%'
                          AND u.region_code NOT LIKE substr(r.code, 1, 9) || '%')
          ORDER BY r.code LIMIT 1`,
    );
    expect(town, 'the demo city has such a township').toBeDefined();
    const code = town!.code;
    for (const asked of [code, code.slice(0, 9), code.slice(0, 6), code.slice(0, 4)]) {
      const prefix = asked.length === 12 ? code.slice(0, 9) : asked;
      const [want] = await sys.db.query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM units WHERE region_code LIKE ${`${prefix}%`}`,
      );
      const res = await admin.get(`/api/units?regionCode=${asked}&pageSize=1`);
      expect(res.status).toBe(200);
      expect(res.body.total, asked).toBe(want!.n);
    }
    const bad = await admin.get('/api/units?regionCode=1307021');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBeTruthy();
  });
});
