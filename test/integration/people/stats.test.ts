import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { demoOrgs, newIdNumber } from './helpers.js';

let sys: TestSystem;
let admin: Client;
let county1: Client;
let orgs: Awaited<ReturnType<typeof demoOrgs>>;

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
  orgs = await demoOrgs(sys);
});
afterAll(() => sys?.close());

describe('composition and membership statistics', () => {
  it('computes shares of front-line workers, women and people under 35 among committees and representatives', async () => {
    // a fresh grassroots union with a known committee: 4 people, 1 front-line, 2 women, 3 under 35
    const unit = await county1.post('/api/orgs', {
      parentId: orgs.town1,
      name: '统计测试工会',
      type: 'union',
      level: 'grassroots',
      regionCode: (await county1.get(`/api/orgs/${orgs.town1}`)).body.regionCode,
    });
    const people: [number, boolean, boolean][] = [
      [25, true, true],
      [30, false, true],
      [33, false, false],
      [50, false, false],
    ];
    for (const [age, frontline, female] of people) {
      const r = await county1.post('/api/persons', {
        name: '委员',
        idNumber: newIdNumber(age, female),
        frontline,
        orgId: unit.body.id,
        membership: { role: 'committee' },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    const c = await county1.get(`/api/people/composition?orgId=${unit.body.id}&by=level`);
    expect(c.status).toBe(200);
    expect(c.body.rows).toEqual([
      expect.objectContaining({
        key: 'grassroots',
        label: '基层单位',
        role: 'committee',
        total: 4,
        frontline: 1,
        women: 2,
        under35: 3,
        frontlineShare: 0.25,
        womenShare: 0.5,
        under35Share: 0.75,
      }),
    ]);
    const byOrg = await county1.get(`/api/people/composition?orgId=${orgs.town1}&by=org`);
    const row = byOrg.body.rows.find((r: { key: string }) => r.key === String(unit.body.id));
    expect(row).toMatchObject({ label: '统计测试工会', total: 4 });
    const stats = await county1.get(`/api/people/stats?orgId=${unit.body.id}&by=org`);
    expect(stats.body.rows).toEqual([
      expect.objectContaining({ key: '', role: 'committee', active: 4, women: 2, under35: 3, frontline: 1 }),
    ]);
  });

  it('counts members over the whole tree by type and level, in scope only', async () => {
    const all = await admin.get('/api/people/stats?by=type');
    expect(all.status).toBe(200);
    const union = all.body.rows.find(
      (r: { key: string; role: string }) => r.key === 'union' && r.role === 'member',
    );
    const direct = await sys.db.query<{
      n: number;
    }>(sql`SELECT count(*)::int AS n FROM memberships m JOIN orgs o ON o.id = m.org_id
      WHERE o.type = 'union' AND m.role = 'member' AND m.status = 'active'`);
    expect(union.active).toBe(direct[0]!.n);
    expect(union.label).toBe('工会');
    const mine = await county1.get('/api/people/stats?by=level');
    const total = mine.body.totals.active;
    expect(total).toBeGreaterThan(0);
    expect(total).toBeLessThan(all.body.totals.active);
    expect((await county1.get(`/api/people/stats?orgId=${orgs.county2}`)).status).toBe(404);
    const staff = await sys.login('hotline');
    expect((await staff.get('/api/people/stats')).status).toBe(403);
  });
});

describe('organization coverage', () => {
  it('lists the uncovered enterprise of the demo city first among the most people, and not the covered ones', async () => {
    const r = await admin.get('/api/coverage/uncovered?kind=enterprise&pageSize=50');
    expect(r.status).toBe(200);
    const names = r.body.items.map((u: { name: string }) => u.name);
    expect(names).toContain('示范市新业态物流科技有限公司');
    const heads = r.body.items.map((u: { headcount: number }) => u.headcount);
    expect([...heads].sort((a, b) => b - a)).toEqual(heads);
    expect(r.body.items.every((u: { coveringTypes: string[] }) => u.coveringTypes.length === 0)).toBe(true);
    const noLeague = await admin.get(
      '/api/coverage/uncovered?kind=enterprise&orgType=youth_league&pageSize=200',
    );
    expect(noLeague.body.total).toBeGreaterThan(r.body.total);
  });

  it('computes coverage rates by region, organization type, ownership and unit kind, consistent with each other', async () => {
    const byRegion = await admin.get('/api/coverage/stats?by=region');
    expect(byRegion.status).toBe(200);
    const t = byRegion.body.total;
    expect(t.units).toBeGreaterThan(100);
    expect(t.covered).toBeLessThan(t.units);
    expect(byRegion.body.rows.reduce((s: number, r: { units: number }) => s + r.units, 0)).toBe(t.units);
    expect(byRegion.body.rows.reduce((s: number, r: { covered: number }) => s + r.covered, 0)).toBe(
      t.covered,
    );
    expect(byRegion.body.rows[0].label).toMatch(/[区县市]$/);
    const county = byRegion.body.rows[0].key;
    const inner = await admin.get(`/api/coverage/stats?by=region&regionCode=${county}`);
    expect(inner.body.total.units).toBe(byRegion.body.rows[0].units);
    expect(inner.body.rows[0].key).toHaveLength(9);
    const byOwnership = await admin.get('/api/coverage/stats?by=ownership');
    const priv = byOwnership.body.rows.find((r: { key: string }) => r.key === 'private');
    expect(priv.label).toBe('非公');
    expect(priv.rate).toBeGreaterThan(0);
    expect(priv.rate).toBeLessThan(1);
    const byType = await admin.get('/api/coverage/stats?by=orgType');
    const union = byType.body.rows.find((r: { key: string }) => r.key === 'union');
    expect(union.covered).toBeGreaterThan(0);
    const byKind = await admin.get('/api/coverage/stats?by=kind&kind=platform');
    expect(byKind.body.rows.map((r: { key: string }) => r.key)).toEqual(['platform']);
    const scoped = await county1.get('/api/coverage/stats?by=region');
    expect(scoped.body.total.units).toBeLessThan(t.units);
  });
});
