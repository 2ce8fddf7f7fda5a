import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { newTask, orgOfUser, setClock } from './helpers.js';

/** The task screens' server side: editing with the version check, and 层层分解 in one request. */
let sys: TestSystem;
let admin: Client;
let city: Client;
let county1: Client;
let county2: Client;
let town1: Client;
let cityOrg: number;
let county1Org: number;
let county2Org: number;
let town1Org: number;
let town2Org: number;

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
  city = await sys.login('city.union');
  county1 = await sys.login('county1.union');
  county2 = await sys.login('county2.union');
  town1 = await sys.login('town1.union');
  cityOrg = await orgOfUser(sys, 'city.union');
  county1Org = await orgOfUser(sys, 'county1.union');
  county2Org = await orgOfUser(sys, 'county2.union');
  town1Org = await orgOfUser(sys, 'town1.union');
  town2Org = (
    await sys.db.query<{ id: number }>(
      sql`SELECT id FROM orgs WHERE parent_id = ${county1Org} AND id <> ${town1Org} AND level = 'township' ORDER BY id LIMIT 1`,
    )
  )[0]!.id;
  await setClock(admin, '2026-03-02T09:00:00');
});
afterAll(() => sys?.close());

const get = async (c: Client, id: number) => (await c.get(`/api/tasks/${id}`)).body;
const auditOf = (action: string, id: number) =>
  sys.db.query<{ before: unknown; after: { version?: number; childIds?: number[] } }>(
    sql`SELECT before, after FROM audit_events WHERE action = ${action} AND entity_id = ${String(id)} ORDER BY id`,
  );

describe('editing a task', () => {
  it('changes units, persons, targets, milestones and cadence; a stale version is a 409 with a clear message', async () => {
    const t = await newTask(city, cityOrg, [county1Org], {
      title: '职工服务阵地建设',
      dueDate: '2026-06-30',
    });
    const r = await city.patch(`/api/tasks/${t.id}`, {
      version: t.version,
      leadOrgIds: [county1Org],
      coOrgIds: [county2Org],
      leader: '王副主席',
      ownerPerson: '李部长',
      handler: '张干事',
      targets: ['建成 10 个职工驿站'],
      milestones: [
        { title: '完成选址', dueDate: '2026-04-15' },
        { title: '投入使用', dueDate: '2026-06-30', done: false },
      ],
      cadence: 'semimonthly',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.version).toBe(t.version + 1);
    const d = await get(city, t.id);
    expect(d.co.map((o: { id: number }) => o.id)).toEqual([county2Org]);
    expect([d.leader, d.ownerPerson, d.handler]).toEqual(['王副主席', '李部长', '张干事']);
    expect(d.milestones.map((m: { title: string }) => m.title)).toEqual(['完成选址', '投入使用']);
    expect(d.cadence).toBe('semimonthly');
    // the co unit now sees and reports on it
    expect((await county2.get(`/api/tasks/${t.id}`)).status).toBe(200);

    const stale = await city.patch(`/api/tasks/${t.id}`, { version: t.version, handler: '赵干事' });
    expect(stale.status).toBe(409);
    expect(stale.body.error.message).toBe('数据已被他人修改，请刷新后重试');
    expect(stale.body.error.details).toEqual({ reason: 'version' });

    const both = await city.patch(`/api/tasks/${t.id}`, {
      version: (await get(city, t.id)).version,
      coOrgIds: [county1Org],
    });
    expect(both.status).toBe(400);
    expect(both.body.error.message).toBe('同一单位不能既牵头又配合');
    // a unit cannot rewrite what was deployed to it
    const unit = await county1.patch(`/api/tasks/${t.id}`, {
      version: (await get(city, t.id)).version,
      handler: 'x',
    });
    expect(unit.status).toBe(403);

    const events = (await city.get(`/api/tasks/${t.id}/timeline`)).body.items;
    const upd = events.find((e: { action: string }) => e.action === 'update');
    expect(upd.actorName).toBeTruthy();
    expect(upd.data.changed).toEqual(
      expect.arrayContaining(['coOrgIds', 'leader', 'ownerPerson', 'handler', 'milestones', 'cadence']),
    );
    const audits = await auditOf('task.update', t.id);
    expect(audits.length).toBeGreaterThanOrEqual(1);
  });
});

describe('POST /api/tasks/:id/split (层层分解 in one request)', () => {
  it('deploys every child or none, checks the parent version, and rolls the children’s progress up', async () => {
    const p = await newTask(admin, cityOrg, [county1Org], {
      title: '全县职工之家建设',
      dueDate: '2026-06-30',
    });
    const row = (lead: number, title: string, dueDate = '2026-06-15') => ({
      title,
      leadOrgIds: [lead],
      dueDate,
    });

    // the second child is wrong: nothing is created, and the message names it
    const bad = await county1.post(`/api/tasks/${p.id}/split`, {
      version: p.version,
      tasks: [row(town1Org, '一镇职工之家'), row(town2Org, '二镇职工之家', '2026-07-31')],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('第 2 项任务：子任务的完成时限不能晚于上级任务（2026-06-30）');
    expect((await get(county1, p.id)).children).toHaveLength(0);

    const empty = await county1.post(`/api/tasks/${p.id}/split`, { version: p.version, tasks: [] });
    expect(empty.status).toBe(400);
    const stale = await county1.post(`/api/tasks/${p.id}/split`, {
      version: p.version + 5,
      tasks: [row(town1Org, 'x')],
    });
    expect(stale.status).toBe(409);
    // a sibling county does not see it; a township below does not either (it is not a unit of it)
    for (const c of [county2, town1])
      expect(
        (await c.post(`/api/tasks/${p.id}/split`, { version: p.version, tasks: [row(town1Org, 'x')] }))
          .status,
      ).toBe(404);
    // seeing it is not enough: splitting needs task:write
    const sup = await sys.login('supervisor');
    const noWrite = await sup.post(`/api/tasks/${p.id}/split`, {
      version: p.version,
      tasks: [row(town1Org, 'x')],
    });
    expect(noWrite.status).toBe(403);
    // the splitting organization must be one of the parent's units (or below one)
    const foreign = await admin.post(`/api/tasks/${p.id}/split`, {
      version: p.version,
      ownerOrgId: county2Org,
      tasks: [row(town1Org, 'x')],
    });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.details.field).toBe('ownerOrgId');

    const ok = await county1.post(`/api/tasks/${p.id}/split`, {
      version: p.version,
      tasks: [row(town1Org, '一镇职工之家'), row(town2Org, '二镇职工之家')],
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.childIds).toHaveLength(2);
    expect(ok.body.parent.version).toBe(p.version + 1);
    expect(ok.body.parent.childCount).toBe(2);
    const [c1, c2] = ok.body.childIds as number[];
    const child = await get(town1, c1!);
    expect(child.parentId).toBe(p.id);
    expect(child.owner.id).toBe(county1Org);
    expect(child.lead.map((o: { id: number }) => o.id)).toEqual([town1Org]);

    const audit = await auditOf('task.split', p.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after.childIds).toEqual([c1, c2]);
    expect((await auditOf('task.create', c1!)).length).toBe(1);

    // the old version no longer splits
    const again = await county1.post(`/api/tasks/${p.id}/split`, {
      version: p.version,
      tasks: [row(town1Org, 'x')],
    });
    expect(again.status).toBe(409);

    const r = await town1.post(`/api/tasks/${c1}/reports`, {
      version: child.version,
      percent: 60,
      content: '一镇已完成选址',
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const parent = await get(county1, p.id);
    expect(parent.progress).toBe(30);
    expect(parent.status).toBe('in_progress');
    const tl = (await county1.get(`/api/tasks/${p.id}/timeline`)).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(tl).toEqual(['create', 'split', 'split', 'rollup']);
    expect((await get(county1, c2!)).status).toBe('not_started');
  });

  it('refuses a paused parent', async () => {
    const p = await newTask(admin, cityOrg, [county1Org], { dueDate: '2026-06-30' });
    const paused = await admin.post(`/api/tasks/${p.id}/actions/pause`, {
      version: p.version,
      reason: '暂缓推进',
    });
    expect(paused.status).toBe(200);
    const r = await county1.post(`/api/tasks/${p.id}/split`, {
      version: paused.body.version,
      tasks: [{ title: '子任务', leadOrgIds: [town1Org] }],
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toBe('上级任务已完成或暂缓，不能再分解');
  });
});
