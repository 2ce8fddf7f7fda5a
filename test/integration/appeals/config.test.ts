import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tablesVersion } from '../../../src/server/platform/cache.js';
import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { type AppealWorld, appealWorld, submitPublic } from './helpers.js';

let sys: TestSystem;
let w: AppealWorld;
let admin: Client;
let county1: Client;

beforeAll(async () => {
  sys = await createTestSystem();
  w = await appealWorld(sys);
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
});
afterEach(async () => {
  await admin.post('/api/test/clock', { to: null });
});
afterAll(() => sys?.close());

/** The lists saved whole, each with one version: where they are read and saved, and their field. */
const LISTS = {
  routing: { path: '/api/appeal-config/routing-rules', field: 'rules' },
  sla: { path: '/api/appeal-config/sla-rules', field: 'rules' },
  calendar: { path: '/api/appeal-config/calendar', field: 'overrides' },
} as const;
type ListName = keyof typeof LISTS;

/** The list as the configuration screen reads it: its items and version. */
async function read(list: ListName) {
  const r = await admin.get(LISTS[list].path);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(typeof r.body.version).toBe('number');
  return r.body as { version: number; rules?: unknown[]; items?: unknown[] };
}

/** Saves a whole list at its current version (what the screen does). */
async function save(list: ListName, items: unknown[]) {
  const { version } = await read(list);
  return admin.request('PUT', LISTS[list].path, { version, [LISTS[list].field]: items });
}

async function auditCount(action: string) {
  const r = await admin.get(`/api/audit-events?action=${action}&pageSize=1`);
  expect(r.status).toBe(200);
  return r.body.total as number;
}

const BASE_SLA = [
  {
    categoryCode: null,
    priority: null,
    signDays: 1,
    returnDays: 2,
    replyDays: 5,
    visitDays: 1,
    maxExtensionDays: 10,
  },
  {
    categoryCode: null,
    priority: 'urgent',
    signDays: 0,
    returnDays: 1,
    replyDays: 0,
    visitDays: 1,
    maxExtensionDays: 10,
  },
];

describe('appeal configuration by an administrator', () => {
  it('is refused to anyone without appeal:config over the whole tree', async () => {
    for (const c of [county1, await sys.login('supervisor')]) {
      expect(
        (await c.request('PUT', '/api/appeal-config/sla-rules', { version: 1, rules: BASE_SLA })).status,
      ).toBe(403);
      expect(
        (await c.request('PUT', '/api/appeal-config/calendar', { version: 1, overrides: [] })).status,
      ).toBe(403);
      expect((await c.get('/api/appeal-config/routing-rules')).status).toBe(403);
      expect((await c.get('/api/appeal-config/sla-rules')).status).toBe(403);
      expect(
        (await c.request('PUT', '/api/appeal-config/routing-rules', { version: 1, rules: [] })).status,
      ).toBe(403);
      expect(
        (
          await c.request('PUT', '/api/appeal-config/categories/LABOR_NOPE', {
            parentCode: 'LABOR',
            name: '无权新增',
            kind: 'help',
            version: null,
          })
        ).status,
      ).toBe(403);
    }
  });

  it('applies the administrator’s working-day overrides to deadlines', async () => {
    await admin.post('/api/test/clock', { to: '2026-10-13T10:00:00+08:00' });
    const put = await save('calendar', [
      { day: '2026-10-14', kind: 'holiday', note: '本市防汛停工（示例）' },
    ]);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const s = await submitPublic(sys, {}, w);
    const d = (await county1.get(`/api/appeals/${s.id}`)).body;
    expect(d.deadlines.signDueAt).toBe(new Date('2026-10-15T17:30:00+08:00').toISOString());
    expect((await save('calendar', [])).status).toBe(200);
  });

  it('replaces time limits (a default rule is required) and routing rules', async () => {
    const noDefault = await save('sla', BASE_SLA.slice(1));
    expect(noDefault.status).toBe(400);
    const unknown = await save('sla', [...BASE_SLA, { ...BASE_SLA[0], categoryCode: 'NO_SUCH' }]);
    expect(unknown.status).toBe(400);
    const sla = await save('sla', [...BASE_SLA, { ...BASE_SLA[0], categoryCode: 'LABOR', replyDays: 20 }]);
    expect(sla.status, JSON.stringify(sla.body)).toBe(200);
    await admin.post('/api/test/clock', { to: '2026-11-02T10:00:00+08:00' });
    const s = await submitPublic(sys, {}, w);
    const d = (await county1.get(`/api/appeals/${s.id}`)).body;
    // 20 working days after Monday Nov 2 → Monday Nov 30
    expect(d.deadlines.dueAt).toBe(new Date('2026-11-30T17:30:00+08:00').toISOString());

    const rules = await save('routing', [
      {
        seq: 1,
        name: '测试：全部交妇联',
        groups: null,
        categoryCodes: null,
        orgType: 'women',
        lowestLevel: 'county',
      },
    ]);
    expect(rules.status, JSON.stringify(rules.body)).toBe(200);
    const routed = await submitPublic(sys, { content: '路由规则修改后的诉求' }, w);
    const r = (await admin.get(`/api/appeals/${routed.id}`)).body;
    expect(r.orgId).toBe(w.county1Women);
    expect(r.routing.ruleName).toBe('测试：全部交妇联');
  });

  it('adds a category that the public form lists at once', async () => {
    const put = await admin.request('PUT', '/api/appeal-config/categories/LABOR_PLATFORM', {
      parentCode: 'LABOR',
      name: '平台用工纠纷',
      kind: 'complaint',
      sort: 16,
      version: null,
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const cats = await sys.anonymous().get('/api/public/appeal-categories');
    const labor = cats.body.items.find((c: { code: string }) => c.code === 'LABOR');
    expect(labor.children.map((c: { code: string }) => c.code)).toContain('LABOR_PLATFORM');
    const self = await admin.request('PUT', '/api/appeal-config/categories/LABOR_X', {
      parentCode: 'LABOR_X',
      name: '自引用',
      kind: 'help',
      version: null,
    });
    expect(self.status).toBe(400);
  });

  it('refuses to move a category under its own descendant, and changes nothing', async () => {
    const catalog = async () => (await admin.get('/api/appeal-config/categories')).body.items;
    const child = await admin.request('PUT', '/api/appeal-config/categories/LABOR_CYCLE', {
      parentCode: 'LABOR',
      name: '环路测试',
      kind: 'help',
      version: null,
    });
    expect(child.status, JSON.stringify(child.body)).toBe(200);
    const before = await catalog();
    const labor = before.find((c: { code: string }) => c.code === 'LABOR');
    const moved = await admin.request('PUT', '/api/appeal-config/categories/LABOR', {
      parentCode: 'LABOR_CYCLE',
      name: labor.name,
      kind: labor.kind,
      sort: labor.sort,
      version: labor.version,
    });
    expect(moved.status).toBe(400);
    expect(moved.body.error.code).toBe('VALIDATION');
    expect(moved.body.error.message).toContain('下级分类');
    expect(moved.body.error.details).toEqual({ field: 'parentCode' });
    expect(await catalog()).toEqual(before);
  });
});

describe('optimistic locking: a save carries the version it was based on', () => {
  const CHANGES: Record<ListName, { first: unknown[]; second: unknown[] }> = {
    routing: {
      first: [
        {
          seq: 10,
          name: '锁测试：先保存的',
          groups: null,
          categoryCodes: null,
          orgType: 'union',
          lowestLevel: 'county',
        },
      ],
      second: [
        {
          seq: 10,
          name: '锁测试：后保存的',
          groups: null,
          categoryCodes: null,
          orgType: 'women',
          lowestLevel: 'city',
        },
      ],
    },
    sla: {
      first: [{ ...BASE_SLA[0], replyDays: 11 }],
      second: [{ ...BASE_SLA[0], replyDays: 22 }],
    },
    calendar: {
      first: [{ day: '2027-05-12', kind: 'holiday', note: '先保存的' }],
      second: [{ day: '2027-05-13', kind: 'holiday', note: '后保存的' }],
    },
  };
  const itemsOf = (list: ListName, body: { rules?: unknown[]; items?: unknown[] }) =>
    ((list === 'calendar' ? body.items : body.rules) ?? []) as Record<string, unknown>[];
  const action = {
    routing: 'appeal.config.routing',
    sla: 'appeal.config.sla',
    calendar: 'appeal.config.calendar',
  };

  for (const list of Object.keys(LISTS) as ListName[]) {
    it(`${list}: a fresh version saves and advances it; a stale one answers 409 and changes nothing; none is 400`, async () => {
      const { path, field } = LISTS[list];
      const audits = await auditCount(action[list]);
      const v0 = (await read(list)).version;

      // administrator A saves on the version both read
      const a = await admin.request('PUT', path, { version: v0, [field]: CHANGES[list].first });
      expect(a.status, JSON.stringify(a.body)).toBe(200);
      expect(a.body.version).toBe(v0 + 1);
      const afterA = await read(list);
      expect(afterA.version).toBe(v0 + 1);
      expect(itemsOf(list, afterA)).toEqual(itemsOf(list, a.body));
      expect(await auditCount(action[list])).toBe(audits + 1);

      // administrator B saves on the version read before A's save: refused, A's list stays
      const b = await admin.request('PUT', path, { version: v0, [field]: CHANGES[list].second });
      expect(b.status).toBe(409);
      expect(b.body.error.code).toBe('CONFLICT');
      expect(b.body.error.message).toBe('数据已被他人修改，请刷新后重试');
      expect(b.body.error.details).toEqual({ reason: 'version' });
      expect(await read(list)).toEqual(afterA);

      // without a version: a VALIDATION error, nothing changed
      const none = await admin.request('PUT', path, { [field]: CHANGES[list].second });
      expect(none.status).toBe(400);
      expect(none.body.error.code).toBe('VALIDATION');
      expect(JSON.stringify(none.body.error.details)).toContain('version');
      expect(await read(list)).toEqual(afterA);
      expect(await auditCount(action[list])).toBe(audits + 1);

      // B reloads and saves again on the fresh version
      const b2 = await admin.request('PUT', path, { version: afterA.version, [field]: CHANGES[list].second });
      expect(b2.status, JSON.stringify(b2.body)).toBe(200);
      expect(b2.body.version).toBe(v0 + 2);
      const shown = itemsOf(list, await read(list));
      expect(shown.length).toBe(1);
      expect(shown[0]).toMatchObject(CHANGES[list].second[0] as object);
      expect(await auditCount(action[list])).toBe(audits + 2);
    });
  }

  it('two saves on the same version at once: one is saved, the other answers 409', async () => {
    const { version } = await read('calendar');
    const [x, y] = await Promise.all(
      [CHANGES.calendar.first, CHANGES.calendar.second].map((overrides) =>
        admin.request('PUT', LISTS.calendar.path, { version, overrides }),
      ),
    );
    expect([x!.status, y!.status].sort()).toEqual([200, 409]);
    const after = await read('calendar');
    expect(after.version).toBe(version + 1);
    expect(after.items).toEqual((x!.status === 200 ? x : y)!.body.items);
  });

  it('categories: each carries its own version; a new one is saved with version null', async () => {
    const path = '/api/appeal-config/categories/LOCK_TEST';
    const body = { parentCode: 'LABOR', name: '锁测试分类', kind: 'help', sort: 90 };
    const catalog = async () =>
      (await admin.get('/api/appeal-config/categories')).body.items.find(
        (c: { code: string }) => c.code === 'LOCK_TEST',
      );
    const audits = await auditCount('appeal.config.category');

    // a new category: version null; its version starts at 1
    const created = await admin.request('PUT', path, { ...body, version: null });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    expect(created.body).toEqual({ code: 'LOCK_TEST', ...body, active: true, version: 1 });
    expect(await catalog()).toEqual(created.body);
    // the same code again as new: refused, the first one stays
    const again = await admin.request('PUT', path, { ...body, name: '重复新增', version: null });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CONFLICT');
    expect(again.body.error.details).toEqual({ field: 'code' });
    expect(await catalog()).toEqual(created.body);

    // A edits on version 1: saved, version 2
    const a = await admin.request('PUT', path, { ...body, name: '改名甲', version: 1 });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    expect(a.body.version).toBe(2);
    // B disables on version 1: stale, nothing changed
    const b = await admin.request('PUT', path, { ...body, active: false, version: 1 });
    expect(b.status).toBe(409);
    expect(b.body.error.code).toBe('CONFLICT');
    expect(b.body.error.details).toEqual({ reason: 'version' });
    expect(await catalog()).toEqual({ code: 'LOCK_TEST', ...body, name: '改名甲', active: true, version: 2 });
    // without a version: 400
    const none = await admin.request('PUT', path, { ...body, active: false });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('VALIDATION');
    expect((await catalog()).version).toBe(2);
    // B on the fresh version: saved
    const b2 = await admin.request('PUT', path, { ...body, name: '改名甲', active: false, version: 2 });
    expect(b2.status, JSON.stringify(b2.body)).toBe(200);
    expect(await catalog()).toEqual({
      code: 'LOCK_TEST',
      ...body,
      name: '改名甲',
      active: false,
      version: 3,
    });
    // other categories keep their own versions
    const labor = (await admin.get('/api/appeal-config/categories')).body.items.find(
      (c: { code: string }) => c.code === 'LABOR',
    );
    expect(labor.version).toBe(1);
    // an edit of a category that does not exist
    const missing = await admin.request('PUT', '/api/appeal-config/categories/NO_SUCH_CAT', {
      ...body,
      version: 1,
    });
    expect(missing.status).toBe(404);
    // the three saves are audited, the refused ones are not
    expect(await auditCount('appeal.config.category')).toBe(audits + 3);
  });
});

describe('the version that tells other processes the configuration changed', () => {
  it('changes with the rows and columns it covers, and only with them', async () => {
    const version = tablesVersion(sys.db, [
      ['appeal_categories', ['code', 'name', 'active']],
      ['orgs', ['id', 'name'], "type = 'party_mass_office'"],
    ]);
    const v0 = await version();
    await sys.db.query(sql`UPDATE appeal_categories SET sort = sort + 1 WHERE code = 'CONSULT'`);
    await sys.db.query(sql`UPDATE orgs SET name = name || '（改）' WHERE id = ${w.county1Union}`);
    expect(await version(), 'a column not covered, a row filtered out').toBe(v0);
    await sys.db.query(sql`UPDATE appeal_categories SET name = name || '（改）' WHERE code = 'CONSULT'`);
    const v1 = await version();
    expect(v1).not.toBe(v0);
    await sys.db.query(sql`UPDATE orgs SET name = name || '（改）' WHERE type = 'party_mass_office'`);
    const v2 = await version();
    expect(v2).not.toBe(v1);
    await sys.db.query(
      sql`INSERT INTO appeal_categories (code, name, kind, sort, active) VALUES ('VERSION_PROBE', '探针', 'consult', 99, false)`,
    );
    const v3 = await version();
    expect(v3).not.toBe(v2);
    await sys.db.query(sql`DELETE FROM appeal_categories WHERE code = 'VERSION_PROBE'`);
    expect(await version()).toBe(v2);
  });
});
