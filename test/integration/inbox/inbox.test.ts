import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import { type AppealWorld, act, appealWorld, submitPublic, uniquePhone } from '../appeals/helpers.js';
import { newIdNumber } from '../people/helpers.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { newTask } from '../tasks/helpers.js';

/**
 * The inbox (工作台) over real modules: `GET /api/me/todo` (each source's permissions and
 * scope; as an authorization matrix row: own organization's items listed, a child's and a
 * sibling's not on the desk, a user of the same organization without the permission gets
 * none), notices closing when the work is done, 全部已读, and the live stream.
 */
let sys: TestSystem;
let world: AppealWorld;
let admin: Client;
let county1: Client;
let county2: Client;
let town1: Client;
let hotline: Client;
let none: Client;

interface Todo {
  items: {
    kind: string;
    id: number;
    title: string;
    dueAt: string | null;
    level: string;
    href: string;
    urgent?: boolean;
  }[];
  counts: Record<string, number>;
}
const todoOf = async (c: Client): Promise<Todo> => {
  const r = await c.get('/api/me/todo');
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
};
const hrefs = (t: Todo, kind: string) => t.items.filter((i) => i.kind === kind).map((i) => i.href);

async function intakeUrgent(c: Client): Promise<number> {
  const r = await c.post('/api/appeals', {
    channel: 'hotline',
    priority: 'urgent',
    content: `工地塔吊工人被拖欠工资，今天要集体讨薪，情况紧急。${Date.now()}`,
    group: 'worker',
    categoryCode: 'LABOR_WAGE',
    regionCode: world.town1Region,
    name: '李四',
    phone: uniquePhone(),
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id;
}

beforeAll(async () => {
  sys = await createTestSystem({ env: { NIUDAI_LIVE_POLL_MS: '150' } });
  world = await appealWorld(sys);
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
  county2 = await sys.login('county2.union');
  town1 = await sys.login('town1.union');
  hotline = await sys.login('hotline');
  const role = await admin.post('/api/roles', {
    key: 'inbox_none',
    name: '无权限（工作台测试）',
    permissions: ['org:read'],
    dataScope: 'ORG_AND_BELOW',
  });
  expect(role.status).toBe(201);
  const u = await admin.post('/api/users', {
    username: 'inbox.none',
    displayName: '无权限用户',
    orgId: world.county1Union,
    password: 'Desk#Plain73',
    roleIds: [role.body.id],
  });
  expect(u.status).toBe(201);
  none = await sys.login('inbox.none', 'Desk#Plain73');
}, 120_000);
afterAll(() => sys?.close());

describe('GET /api/me/todo', () => {
  it('needs a session', async () => {
    expect((await sys.anonymous().get('/api/me/todo')).status).toBe(401);
  });

  it('lists an appeal to sign on its organization’s desk only, 紧急 above older ones; signing moves it and closes its notice', async () => {
    const older = await submitPublic(sys, {}, world);
    const urgent = await intakeUrgent(hotline);
    const t = await todoOf(county1);
    const signs = t.items.filter((i) => i.kind === 'appeal.sign');
    expect(signs.map((i) => i.href)).toEqual(
      expect.arrayContaining([`/appeals/${older.id}`, `/appeals/${urgent}`]),
    );
    expect(t.items[0]).toMatchObject({ href: `/appeals/${urgent}`, urgent: true, kind: 'appeal.sign' });
    expect(t.items.findIndex((i) => i.href === `/appeals/${urgent}`)).toBeLessThan(
      t.items.findIndex((i) => i.href === `/appeals/${older.id}`),
    );
    expect(t.counts['appeal.sign']).toBe(signs.length);
    expect(signs.every((i) => i.dueAt && ['normal', 'warning', 'overdue'].includes(i.level))).toBe(true);
    // every kind of every source is counted, also when 0
    for (const k of ['appeal.visit', 'task.report', 'people.transfer'])
      expect(t.counts[k]).toBeTypeOf('number');

    // a sibling county, the township below, and a user of the same organization without appeal:handle
    expect(hrefs(await todoOf(county2), 'appeal.sign')).not.toContain(`/appeals/${older.id}`);
    expect(hrefs(await todoOf(town1), 'appeal.sign')).not.toContain(`/appeals/${older.id}`);
    const bare = await todoOf(none);
    expect(bare.items).toEqual([]);

    // the notice of the new appeal is unread; signing closes it and moves the item to 待办理
    const link = `/appeals/${older.id}`;
    const unread = async () =>
      (
        await sys.db.query<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM notifications n JOIN users u ON u.id = n.user_id
            WHERE u.username = 'county1.union' AND n.link = ${link} AND n.read_at IS NULL`,
        )
      )[0]!.n;
    expect(await unread()).toBe(1);
    await act(county1, older.id, 'accept');
    expect(await unread()).toBe(0);
    const after = await todoOf(county1);
    expect(hrefs(after, 'appeal.sign')).not.toContain(link);
    expect(hrefs(after, 'appeal.handle')).toContain(link);
    await act(county1, older.id, 'start');
    expect(hrefs(await todoOf(county1), 'appeal.reply')).toContain(link);
    await act(county1, older.id, 'reply', { reply: '已联系用人单位，工资将于本周内补发。' });
    const visit = await todoOf(hotline);
    expect(hrefs(visit, 'appeal.visit')).toContain(link);
    expect(hrefs(await todoOf(county1), 'appeal.reply')).not.toContain(link);
  });

  it('lists the tasks a unit must report on, and not those of another unit', async () => {
    const soon = new Date(Date.now() + 3 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    const task = await newTask(admin, world.center, [world.county1Union], { dueDate: soon });
    const t = await todoOf(county1);
    expect(hrefs(t, 'task.report')).toContain(`/tasks/${task.id}`);
    expect(hrefs(await todoOf(county2), 'task.report')).not.toContain(`/tasks/${task.id}`);
    expect(hrefs(await todoOf(none), 'task.report')).toEqual([]);
  });

  it('lists applications to approve for the approving side only', async () => {
    const p = await county1.post('/api/persons', {
      name: '吴申请',
      idNumber: newIdNumber(30),
      orgId: world.town1Union,
    });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    const app = await town1.post('/api/memberships', { personId: p.body.id, orgId: world.town1Union });
    expect(app.status, JSON.stringify(app.body)).toBe(201);
    expect(hrefs(await todoOf(county1), 'people.application')).toContain(`/people/${p.body.id}`);
    expect(hrefs(await todoOf(town1), 'people.application')).toEqual([]); // staff may not approve
    expect(hrefs(await todoOf(county2), 'people.application')).not.toContain(`/people/${p.body.id}`);
  });
});

describe('priority in the lists', () => {
  it('filters appeals by priority and sorts 紧急 first; tasks by urgency or due date', async () => {
    await submitPublic(sys, {}, world);
    const urgent = await intakeUrgent(hotline);
    const newest = await submitPublic(sys, {}, world);
    const byDate = await county1.get('/api/appeals?pageSize=5');
    expect(byDate.body.items[0].id).toBe(newest.id);
    const byPriority = await county1.get('/api/appeals?pageSize=5&sort=priority');
    expect(byPriority.status).toBe(200);
    expect(byPriority.body.items[0]).toMatchObject({ id: urgent, priority: 'urgent' });
    const onlyUrgent = await county1.get('/api/appeals?priority=urgent&pageSize=100');
    expect(onlyUrgent.body.items.length).toBeGreaterThan(0);
    expect(onlyUrgent.body.items.every((a: { priority: string }) => a.priority === 'urgent')).toBe(true);
    const byDue = await county1.get('/api/appeals?pageSize=100&sort=due&status=dispatched,accepted,handling');
    const dues = byDue.body.items.map((a: { dueAt: string | null }) => a.dueAt).filter(Boolean);
    expect(dues).toEqual([...dues].sort());
    expect((await county1.get('/api/appeals?sort=oldest')).status).toBe(400);

    const a = await newTask(admin, world.center, [world.county1Union], { dueDate: '2099-12-31' });
    const b = await newTask(admin, world.center, [world.county1Union], { dueDate: '2099-11-30' });
    const tasks = await county1.get('/api/tasks?sort=due&pageSize=100');
    expect(tasks.status).toBe(200);
    const ids = tasks.body.items.map((t: { id: number }) => t.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    const created = await county1.get('/api/tasks?sort=created&pageSize=100');
    const cids = created.body.items.map((t: { id: number }) => t.id);
    expect(cids.indexOf(b.id)).toBeLessThan(cids.indexOf(a.id));
  });
});

describe('notices', () => {
  it('全部已读 marks every unread notice of the caller, no one else’s', async () => {
    await submitPublic(sys, {}, world);
    const before = await county1.get('/api/notifications');
    expect(before.body.unread).toBeGreaterThan(0);
    const hotlineBefore = (await hotline.get('/api/notifications')).body.unread;
    const r = await county1.post('/api/notifications/read-all');
    expect(r.status).toBe(200);
    expect(r.body.read).toBe(before.body.unread);
    expect((await county1.get('/api/notifications')).body.unread).toBe(0);
    expect((await hotline.get('/api/notifications')).body.unread).toBe(hotlineBefore);
  });
});

describe('GET /api/me/events', () => {
  it('streams a change of the user’s notices from any writer, without navigation', async () => {
    await sys.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = sys.app.server.address() as AddressInfo;
    const anon = await fetch(`http://127.0.0.1:${port}/api/me/events`);
    expect(anon.status).toBe(401);
    await anon.text();

    const ctl = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/me/events`, {
      headers: { cookie: county1.cookie! },
      signal: ctl.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let text = '';
    const until = async (needle: string, ms: number) => {
      const end = Date.now() + ms;
      while (!text.includes(needle)) {
        if (Date.now() > end) throw new Error(`no ${needle} in ${JSON.stringify(text)}`);
        const chunk = await Promise.race([
          reader.read(),
          new Promise<null>((r) => setTimeout(() => r(null), end - Date.now())),
        ]);
        if (chunk && !chunk.done) text += dec.decode(chunk.value);
      }
    };
    await until('event: ready', 3000);
    // wait for the feed's first look (it starts from the top when someone listens)
    await new Promise((r) => setTimeout(r, 500));
    const a = await submitPublic(sys, {}, world);
    await until('event: notices', 5000);
    text = '';
    // another user's notice is not announced here; closing county1's is
    await act(county1, a.id, 'accept');
    await until('event: notices', 5000);
    ctl.abort();
  });
});
