import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { type AppealWorld, act, appealWorld, phone4, submitPublic } from './helpers.js';

let sys: TestSystem;
let w: AppealWorld;
let admin: Client;
let county1: Client;
let hotline: Client;
let supervisor: Client;

const setClock = (to: string | null) => admin.post('/api/test/clock', { to });

beforeAll(async () => {
  sys = await createTestSystem();
  w = await appealWorld(sys);
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
  hotline = await sys.login('hotline');
  supervisor = await sys.login('supervisor');
});
afterEach(async () => {
  await setClock(null);
});
afterAll(() => sys?.close());

describe('working-day time limits', () => {
  it('computes deadlines over the National Day holiday and the adjusted working Saturday', async () => {
    await setClock('2026-09-30T10:00:00+08:00');
    const s = await submitPublic(sys, {}, w);
    const d = (await county1.get(`/api/appeals/${s.id}`)).body;
    // sign within 1 working day: Oct 1–7 are holidays, Oct 8 the next working day
    expect(d.deadlines.signDueAt).toBe(new Date('2026-10-08T17:30:00+08:00').toISOString());
    // a complaint: 13 working days, counting the working Saturday Oct 10
    expect(d.deadlines.dueAt).toBe(new Date('2026-10-23T17:30:00+08:00').toISOString());
    // yellow from working day 10 (80 %)
    expect(d.deadlines.warnAt).toBe(new Date('2026-10-20T17:30:00+08:00').toISOString());
    expect(d.light).toBe('green');
    await setClock('2026-10-21T09:00:00+08:00');
    expect((await county1.get(`/api/appeals/${s.id}`)).body.light).toBe('yellow');
    await setClock('2026-10-24T09:00:00+08:00');
    expect((await county1.get(`/api/appeals/${s.id}`)).body.light).toBe('red');
    const overdue = await county1.get('/api/appeals?overdue=true&pageSize=200');
    expect(overdue.body.items.map((i: { id: number }) => i.id)).toContain(s.id);
  });

  it('records late signing, stops the clock while suspended and extends once', async () => {
    await setClock('2026-09-30T10:00:00+08:00');
    const s = await submitPublic(sys, {}, w);
    await setClock('2026-10-09T09:00:00+08:00');
    await act(county1, s.id, 'accept');
    const signed = await sys.db.query<{ signed_in_time: boolean }>(
      sql`SELECT signed_in_time FROM appeals WHERE id = ${s.id}`,
    );
    expect(signed[0]!.signed_in_time).toBe(false);
    await act(county1, s.id, 'start');
    await setClock('2026-10-12T10:00:00+08:00');
    await act(county1, s.id, 'suspend', { reason: '等待劳动仲裁结果' });
    await setClock('2026-10-15T10:00:00+08:00');
    const resumed = await act(county1, s.id, 'resume');
    // paused over Oct 13, 14, 15: the deadline moves 3 working days, Oct 23 → Oct 28
    expect(resumed.deadlines.dueAt).toBe(new Date('2026-10-28T17:30:00+08:00').toISOString());

    const tooLong = await county1.post(`/api/appeals/${s.id}/extend-request`, {
      version: resumed.version,
      days: 11,
      reason: '需要更多时间',
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toContain('10 个工作日');
    const asked = await act(county1, s.id, 'extend-request', { days: 5, reason: '仲裁尚未结束' });
    expect(asked.extension.requestedDays).toBe(5);
    // a handler cannot approve their own request
    const self = await county1.post(`/api/appeals/${s.id}/extend-approve`, { version: asked.version });
    expect(self.status).toBe(403);
    const approved = await act(supervisor, s.id, 'extend-approve', {});
    expect(approved.deadlines.dueAt).toBe(new Date('2026-11-04T17:30:00+08:00').toISOString());
    const again = await county1.post(`/api/appeals/${s.id}/extend-request`, {
      version: approved.version,
      days: 2,
      reason: '再延期',
    });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe('每件诉求只能延期一次');
  });
});

describe('supervision', () => {
  it('sends a 催办 the working day after the deadline; the supervisor escalates to 挂牌督办', async () => {
    await setClock('2026-09-30T10:00:00+08:00');
    const s = await submitPublic(sys, {}, w);
    // Saturday Oct 24 is the day after the deadline but not a working day
    await setClock('2026-10-24T09:00:00+08:00');
    await supervisor.post('/api/appeals/sweep');
    expect((await county1.get(`/api/appeals/${s.id}`)).body.supervisionLevel).toBe(0);
    await setClock('2026-10-26T09:00:00+08:00');
    const swept = await supervisor.post('/api/appeals/sweep');
    expect(swept.status).toBe(200);
    const d = (await county1.get(`/api/appeals/${s.id}`)).body;
    expect(d.supervisionLevel).toBe(1);
    expect(d.supervisionLabel).toBe('催办');
    expect(d.events.map((e: { action: string }) => e.action)).toContain('auto_urge');
    // idempotent
    await supervisor.post('/api/appeals/sweep');
    const urges = await sys.db.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM appeal_events WHERE appeal_id = ${s.id} AND action = 'auto_urge'`,
    );
    expect(urges[0]!.n).toBe(1);
    // the supervisor's queue shows it, and the supervisor was told
    const queue = await supervisor.get('/api/appeals?supervision=1&pageSize=200');
    expect(queue.body.items.map((i: { id: number }) => i.id)).toContain(s.id);
    const supUser = await sys.db.query<{ id: number }>(
      sql`SELECT id FROM users WHERE username = 'supervisor'`,
    );
    const notices = await sys.db.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM notifications
        WHERE user_id = ${supUser[0]!.id} AND link = ${`/appeals/${s.id}`}`,
    );
    expect(notices[0]!.n).toBe(1);

    const listed = await act(supervisor, s.id, 'supervise', {
      level: 'listed',
      note: '挂牌督办，限三日内办结',
    });
    expect(listed.supervisionLabel).toBe('挂牌督办');
    const lower = await supervisor.post(`/api/appeals/${s.id}/supervise`, {
      version: listed.version,
      level: 'supervise',
      note: '降级',
    });
    expect(lower.status).toBe(400);
    expect(
      (
        await county1.post(`/api/appeals/${s.id}/supervise`, {
          version: listed.version,
          level: 'listed',
          note: 'x',
        })
      ).status,
    ).toBe(403);
  });
});

describe('dispatch, return, transfer, co-handling, merge, reopen', () => {
  it('returns a misrouted appeal within 2 working days, not after', async () => {
    await setClock('2026-10-12T10:00:00+08:00');
    const s = await submitPublic(sys, {}, w);
    const back = await act(county1, s.id, 'return', { reason: '不属于本单位职责，应由妇联办理' });
    expect(back).toBeNull();
    const seen = (await hotline.get(`/api/appeals/${s.id}`)).body;
    expect(seen.status).toBe('pending_dispatch');
    expect(seen.orgId).toBe(w.center);
    expect((await county1.get(`/api/appeals/${s.id}`)).status).toBe(404);
    await act(hotline, s.id, 'dispatch', { orgId: w.county1Union });
    await setClock('2026-10-16T10:00:00+08:00');
    const cur = (await county1.get(`/api/appeals/${s.id}`)).body;
    const late = await county1.post(`/api/appeals/${s.id}/return`, {
      version: cur.version,
      reason: '太晚了再退',
    });
    expect(late.status).toBe(400);
    expect(late.body.error.message).toContain('已超过退单时限');
  });

  it('transfers within the handler’s scope only', async () => {
    const s = await submitPublic(sys, {}, w);
    const cur = (await county1.get(`/api/appeals/${s.id}`)).body;
    const outside = await county1.post(`/api/appeals/${s.id}/transfer`, {
      version: cur.version,
      orgId: w.county2Union,
      reason: '转给兄弟县',
    });
    expect(outside.status).toBe(404);
    const t = await act(county1, s.id, 'transfer', { orgId: w.town1Union, reason: '属地办理' });
    expect(t.orgId).toBe(w.town1Union);
    const town = await sys.login('town1.union');
    await act(town, s.id, 'accept');
  });

  it('lets a co-handling unit see the appeal and answer its own part only', async () => {
    const staff = (await admin.get('/api/roles')).body.items.find((r: { key: string }) => r.key === 'staff');
    const u = await admin.post('/api/users', {
      username: 'women.staff',
      displayName: '县妇联工作人员',
      orgId: w.county1Women,
      password: 'Women@2026x',
      roleIds: [staff.id],
    });
    expect(u.status, JSON.stringify(u.body)).toBe(201);
    const women = await sys.login('women.staff', 'Women@2026x');
    const s = await submitPublic(sys, {}, w);
    await act(county1, s.id, 'accept');
    expect((await women.get(`/api/appeals/${s.id}`)).status).toBe(404);
    const asked = await act(county1, s.id, 'assist', {
      orgIds: [w.county1Women],
      note: '请妇联协助做好女职工心理疏导',
    });
    const assist = asked.assists[0];
    expect(assist.orgName).toContain('妇女联合会');
    const seen = await women.get(`/api/appeals/${s.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.abilities.actions).toEqual([]);
    expect((await women.post(`/api/appeals/${s.id}/start`, { version: seen.body.version })).status).toBe(404);
    const part = await women.post(`/api/appeals/assists/${assist.id}/reply`, {
      version: assist.version,
      reply: '已安排心理咨询师上门',
    });
    expect(part.status, JSON.stringify(part.body)).toBe(200);
    expect(part.body.assists[0].status).toBe('done');
    const twice = await women.post(`/api/appeals/assists/${assist.id}/reply`, {
      version: part.body.assists[0].version,
      reply: '再次答复',
    });
    expect(twice.status).toBe(409);
  });

  it('merges a duplicate; its submitter sees the main appeal’s reply', async () => {
    const main = await submitPublic(sys, { content: '某某厂拖欠全体工人工资，合并测试甲' }, w);
    const dup = await submitPublic(sys, { content: '某某厂拖欠工人工资两个月，合并测试乙' }, w);
    const merged = await act(county1, dup.id, 'merge', { intoId: main.id });
    expect(merged.status).toBe('merged');
    expect(merged.mergedInto.id).toBe(main.id);
    await act(county1, main.id, 'accept');
    await act(county1, main.id, 'start');
    await act(county1, main.id, 'reply', { reply: '工资已全部补发' });
    const v = await sys
      .anonymous()
      .get(`/api/public/appeals/${dup.trackingCode}?phone4=${phone4(dup.phone)}`);
    expect(v.body.statusLabel).toBe('已合并');
    expect(v.body.reply.text).toBe('工资已全部补发');
    const self = await county1.post(`/api/appeals/${main.id}/merge`, {
      version: (await county1.get(`/api/appeals/${main.id}`)).body.version,
      intoId: main.id,
    });
    expect(self.status).toBe(409);
  });

  it('reopens an appeal after an unsatisfied return visit', async () => {
    const s = await submitPublic(sys, {}, w);
    await act(county1, s.id, 'accept');
    await act(county1, s.id, 'start');
    await act(county1, s.id, 'reply', { reply: '已调解' });
    const visited = await act(hotline, s.id, 'visit', {
      satisfaction: 'unsatisfied',
      note: '诉求人称工资仍未到账',
    });
    expect(visited.status).toBe('visited');
    expect(
      (await county1.post(`/api/appeals/${s.id}/reopen`, { version: visited.version, reason: 'x重办' }))
        .status,
    ).toBe(403);
    const re = await act(supervisor, s.id, 'reopen', { reason: '诉求人不满意，重新办理' });
    expect(re.status).toBe('handling');
    expect(re.reopenCount).toBe(1);
    expect(re.satisfaction).toBeNull();
    await act(county1, s.id, 'reply', { reply: '工资已到账' });
    const closed = await act(hotline, s.id, 'visit', { satisfaction: 'very_satisfied' });
    expect(closed.status).toBe('closed');
  });
});

describe('concurrency and files', () => {
  it('lets one of two concurrent actions win; the other gets 409', async () => {
    const s = await submitPublic(sys, {}, w);
    const cur = (await county1.get(`/api/appeals/${s.id}`)).body;
    const other = await sys.login('county1.union');
    const [a, b] = await Promise.all([
      county1.post(`/api/appeals/${s.id}/accept`, { version: cur.version }),
      other.post(`/api/appeals/${s.id}/return`, { version: cur.version, reason: '并发退单' }),
    ]);
    // exactly one wins: a winning accept answers 200 and the return 409 (stale version); a
    // winning return answers 204 — the appeal left the county's scope, so the accept gets 404
    // when it arrives after that commit (the platform never says what lies outside a scope)
    // and 409 when it read the appeal before
    if (a.status === 200) expect(b.status, JSON.stringify(b.body)).toBe(409);
    else {
      expect(b.status, JSON.stringify(b.body)).toBe(204);
      expect([404, 409], JSON.stringify(a.body)).toContain(a.status);
    }
    const events = await sys.db.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM appeal_events WHERE appeal_id = ${s.id} AND action IN ('accept', 'return')`,
    );
    expect(events[0]!.n).toBe(1);
  });

  it('stores attachments by content hash, checks their type and size', async () => {
    const s = await submitPublic(sys, {}, w);
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(100, 7),
    ]);
    const upload = (c: Client, name: string, bytes: Buffer) =>
      c.request(
        'POST',
        `/api/appeals/${s.id}/files?name=${encodeURIComponent(name)}`,
        bytes.toString('latin1'),
        {
          'content-type': 'application/octet-stream',
        },
      );
    // the test client sends strings; latin1 keeps the bytes
    const ok = await sys.app.inject({
      method: 'POST',
      url: `/api/appeals/${s.id}/files?name=${encodeURIComponent('工资条.png')}`,
      headers: {
        cookie: county1.cookie!,
        'x-csrf-token': county1.csrf!,
        'content-type': 'application/octet-stream',
      },
      payload: png,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const file = JSON.parse(ok.body);
    const disguised = await sys.app.inject({
      method: 'POST',
      url: `/api/appeals/${s.id}/files?name=invoice.pdf`,
      headers: {
        cookie: county1.cookie!,
        'x-csrf-token': county1.csrf!,
        'content-type': 'application/octet-stream',
      },
      payload: Buffer.from('MZ\x90\x00 this is an executable'),
    });
    expect(disguised.statusCode).toBe(400);
    expect(JSON.parse(disguised.body).error.message).toBe('文件内容与扩展名不符');
    const exe = await sys.app.inject({
      method: 'POST',
      url: `/api/appeals/${s.id}/files?name=run.exe`,
      headers: {
        cookie: county1.cookie!,
        'x-csrf-token': county1.csrf!,
        'content-type': 'application/octet-stream',
      },
      payload: Buffer.from('MZ\x90\x00'),
    });
    expect(exe.statusCode).toBe(400);
    const big = await sys.app.inject({
      method: 'POST',
      url: `/api/appeals/${s.id}/files?name=big.pdf`,
      headers: {
        cookie: county1.cookie!,
        'x-csrf-token': county1.csrf!,
        'content-type': 'application/octet-stream',
      },
      payload: Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(11 * 1024 * 1024, 32)]),
    });
    expect(big.statusCode).toBe(413);
    void upload;
    const noted = await act(county1, s.id, 'accept', { fileIds: [file.id], note: '签收，附工资条' });
    expect(noted.events.at(-1).files.map((f: { id: number }) => f.id)).toEqual([file.id]);
    // a file is linked once
    const reuse = await county1.post(`/api/appeals/${s.id}/start`, {
      version: noted.version,
      fileIds: [file.id],
    });
    expect(reuse.status).toBe(400);
    const dl = await county1.get(`/api/appeals/${s.id}/files/${file.id}`);
    expect(dl.status).toBe(200);
    expect(dl.headers['content-type']).toBe('image/png');
    expect(
      (await (await sys.login('county2.union')).get(`/api/appeals/${s.id}/files/${file.id}`)).status,
    ).toBe(404);
  });
});

describe('search', () => {
  it('finds Simplified text from Traditional input, with filters', async () => {
    const s = await submitPublic(sys, { content: '建筑工地拖欠农民工工资，包工头拒不支付' }, w);
    for (const q of ['拖欠 农民工', '拖欠 農民工', '包工頭', '农民工工资']) {
      const r = await county1.get(`/api/appeals?q=${encodeURIComponent(q)}&status=dispatched`);
      expect(r.status).toBe(200);
      expect(
        r.body.items.map((i: { id: number }) => i.id),
        q,
      ).toContain(s.id);
    }
    const none = await county1.get(`/api/appeals?q=${encodeURIComponent('拖欠 农民工')}&status=closed`);
    expect(none.body.items.map((i: { id: number }) => i.id)).not.toContain(s.id);
    const other = await (await sys.login('county2.union')).get(
      `/api/appeals?q=${encodeURIComponent('包工头')}`,
    );
    expect(other.body.items.map((i: { id: number }) => i.id)).not.toContain(s.id);
    const byReply = await act(county1, s.id, 'accept');
    void byReply;
  });
});
