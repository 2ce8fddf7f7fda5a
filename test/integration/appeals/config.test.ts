import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
      expect((await c.request('PUT', '/api/appeal-config/sla-rules', { rules: BASE_SLA })).status).toBe(403);
      expect((await c.request('PUT', '/api/appeal-config/calendar', { overrides: [] })).status).toBe(403);
    }
  });

  it('applies the administrator’s working-day overrides to deadlines', async () => {
    await admin.post('/api/test/clock', { to: '2026-10-13T10:00:00+08:00' });
    const put = await admin.request('PUT', '/api/appeal-config/calendar', {
      overrides: [{ day: '2026-10-14', kind: 'holiday', note: '本市防汛停工（示例）' }],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const s = await submitPublic(sys, {}, w);
    const d = (await county1.get(`/api/appeals/${s.id}`)).body;
    expect(d.deadlines.signDueAt).toBe(new Date('2026-10-15T17:30:00+08:00').toISOString());
    await admin.request('PUT', '/api/appeal-config/calendar', { overrides: [] });
  });

  it('replaces time limits (a default rule is required) and routing rules', async () => {
    const noDefault = await admin.request('PUT', '/api/appeal-config/sla-rules', {
      rules: BASE_SLA.slice(1),
    });
    expect(noDefault.status).toBe(400);
    const unknown = await admin.request('PUT', '/api/appeal-config/sla-rules', {
      rules: [...BASE_SLA, { ...BASE_SLA[0], categoryCode: 'NO_SUCH' }],
    });
    expect(unknown.status).toBe(400);
    const sla = await admin.request('PUT', '/api/appeal-config/sla-rules', {
      rules: [...BASE_SLA, { ...BASE_SLA[0], categoryCode: 'LABOR', replyDays: 20 }],
    });
    expect(sla.status, JSON.stringify(sla.body)).toBe(200);
    await admin.post('/api/test/clock', { to: '2026-11-02T10:00:00+08:00' });
    const s = await submitPublic(sys, {}, w);
    const d = (await county1.get(`/api/appeals/${s.id}`)).body;
    // 20 working days after Monday Nov 2 → Monday Nov 30
    expect(d.deadlines.dueAt).toBe(new Date('2026-11-30T17:30:00+08:00').toISOString());

    const rules = await admin.request('PUT', '/api/appeal-config/routing-rules', {
      rules: [
        {
          seq: 1,
          name: '测试：全部交妇联',
          groups: null,
          categoryCodes: null,
          orgType: 'women',
          lowestLevel: 'county',
        },
      ],
    });
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
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const cats = await sys.anonymous().get('/api/public/appeal-categories');
    const labor = cats.body.items.find((c: { code: string }) => c.code === 'LABOR');
    expect(labor.children.map((c: { code: string }) => c.code)).toContain('LABOR_PLATFORM');
    const self = await admin.request('PUT', '/api/appeal-config/categories/LABOR_X', {
      parentCode: 'LABOR_X',
      name: '自引用',
      kind: 'help',
    });
    expect(self.status).toBe(400);
  });
});
