import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import { STATUS_LIST, type TaskStatus } from '../../../src/shared/tasks/constants.js';
import { decideTask, type TaskAction, targetStatus } from '../../../src/shared/tasks/machine.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { newTask, notificationsOf, orgOfUser, setClock } from './helpers.js';

let sys: TestSystem;
let admin: Client;
let county1: Client;
let county2: Client;
let town1: Client;
let supervisor: Client;
let county1Org: number;
let town1Org: number;
let town2Org: number;

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
  county2 = await sys.login('county2.union');
  town1 = await sys.login('town1.union');
  supervisor = await sys.login('supervisor');
  county1Org = await orgOfUser(sys, 'county1.union');
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

describe('a task through its life', () => {
  it('is visible to the lead unit, its parent, the deployer and supervisors; not to a sibling', async () => {
    const t = await newTask(county1, county1Org, [town1Org], { title: '建设职工服务驿站' });
    expect((await town1.get(`/api/tasks/${t.id}`)).status).toBe(200);
    expect((await county1.get(`/api/tasks/${t.id}`)).status).toBe(200);
    expect((await supervisor.get(`/api/tasks/${t.id}`)).status).toBe(200);
    const other = await county2.get(`/api/tasks/${t.id}`);
    expect(other.status).toBe(404);
    expect((await county2.get('/api/tasks?q=建设职工服务驿站')).body.total).toBe(0);
    expect((await town1.get('/api/tasks?q=建设职工服务驿站')).body.total).toBe(1);
    const body = await get(town1, t.id);
    expect(body.abilities).toMatchObject({ update: false, report: true, supervise: false });
    expect((await get(county1, t.id)).abilities).toMatchObject({ update: true, pause: true });
  });

  it('takes progress reports with clear errors above 100 %, on a paused or closed task, and on a stale version', async () => {
    const t = await newTask(county1, county1Org, [town1Org]);
    const over = await town1.post(`/api/tasks/${t.id}/reports`, {
      version: t.version,
      percent: 120,
      content: '超额完成',
    });
    expect(over.status).toBe(400);
    expect(over.body.error.message).toContain('不能超过 100%');
    const r1 = await town1.post(`/api/tasks/${t.id}/reports`, {
      version: t.version,
      percent: 40,
      content: '已完成选址',
    });
    expect(r1.status, JSON.stringify(r1.body)).toBe(201);
    expect(r1.body.status).toBe('in_progress');
    const stale = await town1.post(`/api/tasks/${t.id}/reports`, {
      version: t.version,
      percent: 50,
      content: '重复',
    });
    expect(stale.status).toBe(409);
    let cur = await get(county1, t.id);
    const paused = await county1.post(`/api/tasks/${t.id}/actions/pause`, {
      version: cur.version,
      reason: '等待规划调整',
    });
    expect(paused.status, JSON.stringify(paused.body)).toBe(200);
    expect(paused.body.status).toBe('paused');
    const onPaused = await town1.post(`/api/tasks/${t.id}/reports`, {
      version: paused.body.version,
      percent: 50,
      content: '推进',
    });
    expect(onPaused.status).toBe(400);
    expect(onPaused.body.error.message).toBe('任务已暂缓，不能报送进展');
    const resumed = await county1.post(`/api/tasks/${t.id}/actions/resume`, {
      version: paused.body.version,
      reason: '规划已批复',
    });
    expect(resumed.body.status).toBe('in_progress');
    const done = await town1.post(`/api/tasks/${t.id}/reports`, {
      version: resumed.body.version,
      percent: 100,
      content: '全部建成',
    });
    expect(done.body.status).toBe('done');
    cur = await get(county1, t.id);
    expect(cur.completedAt).toBeTruthy();
    const closed = await town1.post(`/api/tasks/${t.id}/reports`, {
      version: cur.version,
      percent: 100,
      content: '再报',
    });
    expect(closed.status).toBe(400);
    expect(closed.body.error.message).toBe('任务已完成，不能报送进展');
    const reopened = await county1.post(`/api/tasks/${t.id}/actions/reopen`, {
      version: cur.version,
      reason: '验收未通过',
    });
    expect(reopened.body.status).toBe('in_progress');
    // the unit cannot rewrite what was deployed to it
    expect(
      (await town1.patch(`/api/tasks/${t.id}`, { version: reopened.body.version, title: '改' })).status,
    ).toBe(403);
    // every action is in the timeline (电子工作日志)
    const tl = await town1.get(`/api/tasks/${t.id}/timeline`);
    expect(tl.body.items.map((e: { action: string }) => e.action)).toEqual([
      'create',
      'report',
      'pause',
      'resume',
      'report',
      'reopen',
    ]);
    expect(tl.body.items[1].note).toBe('已完成选址');
    const log = await county1.get('/api/task-worklog?pageSize=200');
    expect(log.body.items.some((e: { taskId: number }) => e.taskId === t.id)).toBe(true);
    expect(
      (await county2.get('/api/task-worklog?pageSize=200')).body.items.some(
        (e: { taskId: number }) => e.taskId === t.id,
      ),
    ).toBe(false);
  });

  it('changes the due date only with a reason, and an overdue task moved into the future is no longer overdue', async () => {
    const t = await newTask(county1, county1Org, [town1Org]);
    const noReason = await county1.patch(`/api/tasks/${t.id}`, { version: t.version, dueDate: '2026-05-29' });
    expect(noReason.status).toBe(400);
    await sys.db.query(sql`UPDATE tasks SET status = 'overdue' WHERE id = ${t.id}`);
    const ok = await county1.patch(`/api/tasks/${t.id}`, {
      version: t.version,
      dueDate: '2026-05-29',
      reason: '市里统一延期',
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.status).toBe('not_started');
    expect(ok.body.dueDate).toBe('2026-05-29');
  });

  it('attaches files to a report; refuses disguised ones', async () => {
    const t = await newTask(county1, county1Org, [town1Org]);
    const up = (name: string, bytes: Buffer) =>
      sys.app.inject({
        method: 'POST',
        url: `/api/tasks/${t.id}/files?name=${encodeURIComponent(name)}`,
        headers: {
          cookie: town1.cookie!,
          'x-csrf-token': town1.csrf!,
          'content-type': 'application/octet-stream',
        },
        payload: bytes,
      });
    const bad = await up('照片.jpg', Buffer.from('not a jpeg'));
    expect(bad.statusCode).toBe(400);
    const ok = await up('进展.txt', Buffer.from('进展说明'));
    expect(ok.statusCode).toBe(201);
    const fileId = JSON.parse(ok.body).id;
    const r = await town1.post(`/api/tasks/${t.id}/reports`, {
      version: t.version,
      percent: 10,
      content: '附进展说明',
      fileIds: [fileId],
    });
    expect(r.status).toBe(201);
    const d = await get(county1, t.id);
    expect(d.reports[0].files[0].name).toBe('进展.txt');
    const dl = await county1.get(`/api/tasks/${t.id}/files/${fileId}`);
    expect(dl.status).toBe(200);
    expect(dl.body).toBe('进展说明');
  });
});

describe('every transition × role over HTTP', () => {
  const roles = () => ({ county1, town1, supervisor }) as Record<string, Client>;
  const PERMS: Record<string, string[]> = {
    county1: ['task:read', 'task:write', 'task:report'],
    town1: ['task:read', 'task:report'],
    supervisor: ['task:read', 'task:supervise'],
  };
  const ACTIONS: TaskAction[] = ['report', 'pause', 'resume', 'reopen', 'escalate', 'lift'];

  it('allows exactly the moves of the table to the roles that hold their permission', async () => {
    const results: string[] = [];
    const expected: string[] = [];
    for (const action of ACTIONS)
      for (const from of STATUS_LIST)
        for (const [role, c] of Object.entries(roles())) {
          const t = await newTask(county1, county1Org, [town1Org]);
          await sys.db.query(
            sql`UPDATE tasks SET status = ${from}, escalation = ${action === 'lift' ? 2 : 0} WHERE id = ${t.id}`,
          );
          const to: TaskStatus = ['escalate', 'lift'].includes(action)
            ? from
            : targetStatus(action, from, { percent: 50, pastDue: false, progress: 0 });
          const d = decideTask(action, from, to, { kind: 'user', permissions: new Set(PERMS[role]) });
          expected.push(`${action}/${from}/${role}:${d.ok ? 'ok' : d.reason === 'forbidden' ? 403 : 400}`);
          const url =
            action === 'report'
              ? `/api/tasks/${t.id}/reports`
              : action === 'escalate'
                ? `/api/tasks/${t.id}/escalate`
                : action === 'lift'
                  ? `/api/tasks/${t.id}/lift`
                  : `/api/tasks/${t.id}/actions/${action}`;
          const body =
            action === 'report'
              ? { version: t.version, percent: 50, content: '推进中' }
              : action === 'escalate'
                ? { version: t.version, level: 'urge', reason: '进度滞后' }
                : { version: t.version, reason: '工作需要' };
          const res = await c.post(url, body);
          results.push(`${action}/${from}/${role}:${res.status < 300 ? 'ok' : res.status}`);
        }
    expect(results).toEqual(expected);
    // sanity: the table is not trivially permissive
    expect(expected.filter((e) => e.endsWith(':ok')).length).toBeGreaterThan(10);
    expect(expected.filter((e) => e.endsWith(':400')).length).toBeGreaterThan(5);
  });
});

describe('supervision', () => {
  it('escalates 催办 → 督办 → 挂牌督办 with a reason, only upwards, only by supervisors, and tells the unit and its parent', async () => {
    const t = await newTask(county1, county1Org, [town1Org], { title: '推进新就业形态劳动者入会' });
    const deny = await county1.post(`/api/tasks/${t.id}/escalate`, {
      version: t.version,
      level: 'urge',
      reason: '进度滞后',
    });
    expect(deny.status).toBe(403);
    expect(
      (await town1.post(`/api/tasks/${t.id}/escalate`, { version: t.version, level: 'urge', reason: 'x1' }))
        .status,
    ).toBe(403);
    const noReason = await supervisor.post(`/api/tasks/${t.id}/escalate`, {
      version: t.version,
      level: 'urge',
    });
    expect(noReason.status).toBe(400);
    let v = t.version;
    for (const level of ['urge', 'supervise', 'list'] as const) {
      const r = await supervisor.post(`/api/tasks/${t.id}/escalate`, {
        version: v,
        level,
        reason: `进度滞后（${level}）`,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      v = r.body.version;
    }
    const cur = await get(town1, t.id);
    expect(cur.escalationLabel).toBe('挂牌督办');
    expect(cur.escalationReason).toBe('进度滞后（list）');
    const down = await supervisor.post(`/api/tasks/${t.id}/escalate`, {
      version: v,
      level: 'supervise',
      reason: '降级',
    });
    expect(down.status).toBe(400);
    expect(down.body.error.message).toContain('只能提高');
    const town = await notificationsOf(sys, 'town1.union');
    expect(town.some((n) => n.title === '【挂牌督办】推进新就业形态劳动者入会')).toBe(true);
    const parent = await notificationsOf(sys, 'county1.union');
    expect(parent.some((n) => n.title === '【督办】推进新就业形态劳动者入会')).toBe(true);
    // a supervisor whose scope does not reach the task does not find it
    const role = await admin.post('/api/roles', {
      key: 'county2_supervisor',
      name: '县督查',
      permissions: ['task:read', 'task:supervise'],
      dataScope: 'ORG_AND_BELOW',
    });
    const county2Org = await orgOfUser(sys, 'county2.union');
    await admin.post('/api/users', {
      username: 'sup.county2',
      displayName: '二县督查',
      orgId: county2Org,
      password: 'Matrix@2026',
      roleIds: [role.body.id],
    });
    const sup2 = await sys.login('sup.county2', 'Matrix@2026');
    expect(
      (await sup2.post(`/api/tasks/${t.id}/escalate`, { version: v, level: 'list', reason: '越权' })).status,
    ).toBe(404);
    const lift = await supervisor.post(`/api/tasks/${t.id}/lift`, { version: v, reason: '整改到位' });
    expect(lift.body.escalation).toBe(0);
  });

  it('sweeps: reminds before the due date, marks 逾期 after it, and raises 催办 on the next working day (after the May holiday)', async () => {
    const t = await newTask(county1, county1Org, [town1Org], {
      title: '完成职工书屋建设',
      dueDate: '2026-04-30',
      cadence: 'none',
    });
    await setClock(admin, '2026-04-27T09:00:00');
    const s1 = await supervisor.post('/api/task-supervision/sweep');
    expect(s1.status).toBe(200);
    await supervisor.post('/api/task-supervision/sweep');
    const reminders = (await notificationsOf(sys, 'town1.union')).filter(
      (n) => n.title === '【到期提醒】' && n.body.startsWith('完成职工书屋建设'),
    );
    expect(reminders).toHaveLength(1);
    await setClock(admin, '2026-05-01T09:00:00');
    await supervisor.post('/api/task-supervision/sweep');
    let cur = await get(town1, t.id);
    expect(cur.status).toBe('overdue');
    expect(cur.escalation).toBe(0); // 5月1日–5日 are holidays: no 催办 yet
    await setClock(admin, '2026-05-06T09:00:00');
    const s = await supervisor.post('/api/task-supervision/sweep');
    expect(s.body.urged).toBeGreaterThanOrEqual(1);
    cur = await get(town1, t.id);
    expect(cur.escalationLabel).toBe('催办');
    expect(
      (await notificationsOf(sys, 'town1.union')).some((n) => n.title === '【催办】完成职工书屋建设'),
    ).toBe(true);
    const queue = await town1.get('/api/task-supervision?pageSize=200');
    expect(queue.body.items.some((q: { id: number }) => q.id === t.id)).toBe(true);
    expect(
      (await county1.get('/api/task-supervision?pageSize=200')).body.items.some(
        (q: { id: number }) => q.id === t.id,
      ),
    ).toBe(true);
    const tl = (await town1.get(`/api/tasks/${t.id}/timeline`)).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(tl).toEqual(['create', 'remind_due', 'overdue', 'auto_urge']);
    // only supervisors may run the sweep by hand
    expect((await county1.post('/api/task-supervision/sweep')).status).toBe(403);
    await setClock(admin, '2026-03-02T09:00:00');
  });
});

describe('层层分解: parent and child tasks', () => {
  it('splits a county task into township tasks and rolls their progress up', async () => {
    const p = await newTask(admin, county1Org, [county1Org], {
      title: '全县职工之家达标建设',
      dueDate: '2026-06-30',
    });
    const late = await county1.post('/api/tasks', {
      ownerOrgId: county1Org,
      parentId: p.id,
      title: '乡镇职工之家',
      leadOrgIds: [town1Org],
      dueDate: '2026-07-31',
    });
    expect(late.status).toBe(400);
    expect(late.body.error.message).toContain('不能晚于上级任务');
    const split = (lead: number, title: string) =>
      county1.post('/api/tasks', {
        ownerOrgId: county1Org,
        parentId: p.id,
        title,
        leadOrgIds: [lead],
        dueDate: '2026-06-15',
      });
    const c1 = (await split(town1Org, '一镇职工之家')).body;
    const c2 = (await split(town2Org, '二镇职工之家')).body;
    expect(c1.parentId).toBe(p.id);
    // a sibling county may not split it
    expect(
      (
        await county2.post('/api/tasks', {
          ownerOrgId: county1Org,
          parentId: p.id,
          title: 'x',
          leadOrgIds: [town1Org],
        })
      ).status,
    ).toBe(404);
    await town1.post(`/api/tasks/${c1.id}/reports`, {
      version: c1.version,
      percent: 100,
      content: '一镇完成',
    });
    let parent = await get(county1, p.id);
    expect(parent.progress).toBe(50);
    expect(parent.status).toBe('in_progress');
    expect(parent.children).toHaveLength(2);
    await county1.post(`/api/tasks/${c2.id}/reports`, {
      version: c2.version,
      percent: 100,
      content: '二镇完成',
      orgId: town2Org,
    });
    parent = await get(county1, p.id);
    expect(parent.progress).toBe(100);
    expect(parent.status).toBe('done');
    const tl = (await county1.get(`/api/tasks/${p.id}/timeline`)).body.items.map(
      (e: { action: string }) => e.action,
    );
    expect(tl).toEqual(['create', 'split', 'split', 'rollup', 'rollup_done']);
  });
});

describe('notices, rankings and meetings', () => {
  it('ranks units per period and issues a notice with the leader comment as .docx and .xlsx', async () => {
    await setClock(admin, '2026-06-01T09:00:00');
    const rank = await county1.get(`/api/task-rankings?from=2026-04-01&to=2026-05-31&orgId=${county1Org}`);
    expect(rank.status, JSON.stringify(rank.body)).toBe(200);
    const town = rank.body.ranking.find((r: { orgId: number }) => r.orgId === town1Org);
    expect(town.overdue).toBeGreaterThanOrEqual(1);
    expect(rank.body.overdue.some((o: { title: string }) => o.title === '完成职工书屋建设')).toBe(true);
    const bad = await county1.get('/api/task-rankings?from=2026-05-31&to=2026-04-01');
    expect(bad.status).toBe(400);
    const deny = await county1.post('/api/task-notices', {
      title: '通报',
      orgId: county1Org,
      from: '2026-04-01',
      to: '2026-05-31',
    });
    expect(deny.status).toBe(403);
    const rootOrg = await orgOfUser(sys, 'supervisor');
    const n = await supervisor.post('/api/task-notices', {
      title: '2026年4—5月重点任务推进情况通报',
      orgId: rootOrg,
      from: '2026-04-01',
      to: '2026-05-31',
      comment: '请逾期单位认真整改。——王书记',
    });
    expect(n.status, JSON.stringify(n.body)).toBe(201);
    expect(n.body.ranking.some((r: { orgId: number }) => r.orgId === town1Org)).toBe(true);
    const seen = await town1.get(`/api/task-notices/${n.body.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.comment).toContain('王书记');
    for (const format of ['docx', 'xlsx']) {
      const f = await sys.app.inject({
        method: 'GET',
        url: `/api/task-notices/${n.body.id}/export?format=${format}`,
        headers: { cookie: supervisor.cookie! },
      });
      expect(f.statusCode).toBe(200);
      expect(f.rawPayload.subarray(0, 2).toString()).toBe('PK');
    }
    await setClock(admin, '2026-03-02T09:00:00');
  });

  it('records a joint meeting whose decisions become a document decomposed into tasks', async () => {
    const m = await county1.post('/api/task-meetings', {
      orgId: county1Org,
      kind: 'joint',
      title: '县群团工作联席会议',
      heldOn: '2026-03-02',
      place: '县委第一会议室',
      attendees: [{ name: '张主席', orgId: county1Org, title: '县总工会主席' }, { name: '李部长' }],
      minutes: '会议听取了各单位工作汇报。',
      decisions: '一、关于职工服务\n县总工会要在5月底前完成10个职工驿站建设。',
    });
    expect(m.status, JSON.stringify(m.body)).toBe(201);
    expect(m.body.attendees).toHaveLength(2);
    expect(m.body.documentId).toBeTruthy();
    const d = await county1.post(`/api/task-docs/${m.body.documentId}/decompose`);
    expect(d.status).toBe(200);
    expect(d.body.tasks.length).toBeGreaterThanOrEqual(1);
    expect(d.body.tasks[0].dueDate).toBe('2026-05-31');
    expect((await county2.get(`/api/task-meetings/${m.body.id}`)).status).toBe(404);
  });
});
