import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { type AppealWorld, act, appealWorld, phone4, submitPublic, uniquePhone } from './helpers.js';

let sys: TestSystem;
let w: AppealWorld;
let county1: Client;
let hotline: Client;

beforeAll(async () => {
  sys = await createTestSystem();
  w = await appealWorld(sys);
  county1 = await sys.login('county1.union');
  hotline = await sys.login('hotline');
});
afterAll(() => sys?.close());

describe('public intake and routing', () => {
  it('lists the category tree and regions without login', async () => {
    const cats = await sys.anonymous().get('/api/public/appeal-categories');
    expect(cats.status).toBe(200);
    const labor = cats.body.items.find((c: { code: string }) => c.code === 'LABOR');
    expect(labor.name).toBe('劳动争议');
    expect(labor.children.map((c: { code: string }) => c.code)).toContain('LABOR_WAGE');
    const regions = await sys.anonymous().get(`/api/public/regions?parentCode=${w.county1Region}`);
    expect(regions.status).toBe(200);
    expect(regions.body.items.map((r: { code: string }) => r.code)).toContain(w.town1Region);
  });

  it('routes a worker appeal to the county union of the region, with the reason stored', async () => {
    const phone = uniquePhone();
    const res = await sys.anonymous().post('/api/public/appeals', {
      content: '我在物流公司工作，公司拖欠工资三个月未发。',
      group: 'worker',
      categoryCode: 'LABOR_WAGE',
      regionCode: w.town1Region,
      phone,
      name: '李四',
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.trackingCode).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    expect(res.body.status).toBe('dispatched');
    const detail = await county1.get(`/api/appeals?q=${encodeURIComponent(res.body.trackingCode)}`);
    expect(detail.body.total).toBe(1);
    const d = await county1.get(`/api/appeals/${detail.body.items[0].id}`);
    expect(d.body.orgId).toBe(w.county1Union);
    expect(d.body.routing.auto).toBe(true);
    expect(d.body.routing.reason).toContain('职工维权找工会');
    expect(d.body.routing.reason).toContain(d.body.orgName);
    // identity masked for the handler
    expect(d.body.submitter.name).toBe('李*');
    expect(d.body.submitter.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(JSON.stringify(d.body)).not.toContain(phone);
    // deadlines: sign within 1 working day, reply within 13 (complaint)
    expect(d.body.deadlines.signDueAt).not.toBeNull();
    expect(new Date(d.body.deadlines.dueAt) > new Date(d.body.deadlines.signDueAt)).toBe(true);
    // the phone is stored encrypted, and found by keyed hash
    const raw = await sys.db.query<{ phone_enc: string }>(
      sql`SELECT phone_enc FROM appeals WHERE id = ${d.body.id}`,
    );
    expect(raw[0]!.phone_enc).not.toContain(phone);
    const seat = await hotline.post('/api/appeals/by-phone', { phone });
    expect(seat.body.items.map((i: { id: number }) => i.id)).toContain(d.body.id);
    // the county's handler got a notice, written with the appeal
    const out = await sys.db.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM notifications WHERE link = ${`/appeals/${d.body.id}`}`,
    );
    expect(out[0]!.n).toBeGreaterThan(0);
  });

  it('routes by category before group: domestic violence goes to the county women’s federation', async () => {
    const s = await submitPublic(
      sys,
      { group: 'worker', categoryCode: 'FAMILY_VIOLENCE', content: '遭受家庭暴力，请求妇联帮助维权' },
      w,
    );
    const a = await sys.db.query<{ org_id: number; status: string }>(
      sql`SELECT org_id, status FROM appeals WHERE id = ${s.id}`,
    );
    expect(a[0]).toEqual({ org_id: w.county1Women, status: 'dispatched' });
  });

  it('leaves an appeal no rule matches to the mass-work office for manual dispatch', async () => {
    const s = await submitPublic(
      sys,
      { group: 'other', categoryCode: 'CONSULT', content: '想咨询一下群团组织的办事地址' },
      w,
    );
    const a = await sys.db.query<{ org_id: number; status: string; routing: { reason: string } }>(
      sql`SELECT org_id, status, routing FROM appeals WHERE id = ${s.id}`,
    );
    expect(a[0]!.status).toBe('pending_dispatch');
    expect(a[0]!.org_id).toBe(w.center);
    expect(a[0]!.routing.reason).toContain('人工派单');
    // the county union does not see it; the hotline dispatches it
    expect((await county1.get(`/api/appeals/${s.id}`)).status).toBe(404);
    const d = await act(hotline, s.id, 'dispatch', { orgId: w.county1Union });
    expect(d.status).toBe('dispatched');
    expect((await county1.get(`/api/appeals/${s.id}`)).status).toBe(200);
  });

  it('creates one appeal for a double submit (idempotency key, or same phone and text)', async () => {
    const phone = uniquePhone();
    const body = {
      content: '重复提交测试：工地拖欠农民工工资',
      group: 'worker',
      categoryCode: 'LABOR_WAGE',
      regionCode: w.town1Region,
      phone,
    };
    const a = await sys.anonymous().post('/api/public/appeals', { ...body, idempotencyKey: 'key-12345678' });
    const b = await sys.anonymous().post('/api/public/appeals', { ...body, idempotencyKey: 'key-12345678' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.body.duplicate).toBe(true);
    expect(b.body.trackingCode).toBe(a.body.trackingCode);
    // same text in Traditional characters and other spacing, no key: still the same appeal
    const c = await sys
      .anonymous()
      .post('/api/public/appeals', { ...body, content: '重複提交測試： 工地拖欠農民工工資' });
    expect(c.status).toBe(200);
    expect(c.body.trackingCode).toBe(a.body.trackingCode);
    // concurrent identical submits: one appeal
    const phone2 = uniquePhone();
    const rs = await Promise.all(
      [1, 2, 3].map(() => sys.anonymous().post('/api/public/appeals', { ...body, phone: phone2 })),
    );
    expect(new Set(rs.map((r) => r.body.trackingCode)).size).toBe(1);
    expect(rs.filter((r) => r.status === 201)).toHaveLength(1);
  });

  it('rejects bad input with clear errors and stores nothing', async () => {
    const before = await sys.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM appeals`);
    const base = {
      content: '错误输入测试内容',
      group: 'worker',
      categoryCode: 'LABOR_WAGE',
      regionCode: w.town1Region,
      phone: uniquePhone(),
    };
    const cases: [object, string][] = [
      [{ categoryCode: 'NO_SUCH' }, '诉求分类不存在'],
      [{ regionCode: '999999999999' }, '行政区划代码不存在'],
      [{ phone: '12345' }, '联系电话格式不正确'],
      [
        { group: 'alien' },
        '请求参数不正确：group 无效选项：期望以下之一 "worker"|"youth"|"women"|"disabled"|"overseas"|"scientist"|"other"',
      ],
      [{ anonymous: true, name: '王五' }, '匿名诉求请不要填写姓名'],
    ];
    for (const [patch, message] of cases) {
      const r = await sys.anonymous().post('/api/public/appeals', { ...base, ...patch });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(r.body.error.message).toBe(message);
    }
    const after = await sys.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM appeals`);
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

describe('public tracking and rating', () => {
  it('shows progress in plain words with the code and the last four digits, and lets the submitter rate', async () => {
    const s = await submitPublic(sys, {}, w);
    const view = await sys.anonymous().get(`/api/public/appeals/${s.trackingCode}?phone4=${phone4(s.phone)}`);
    expect(view.status).toBe(200);
    expect(view.body.statusLabel).toBe('已派单');
    expect(view.body.history.map((h: { text: string }) => h.text).join('\n')).toContain('已转交');
    expect(view.body.canRate).toBe(false);
    // lower case and a hyphen are accepted
    const fmt = `${s.trackingCode.slice(0, 5)}-${s.trackingCode.slice(5)}`.toLowerCase();
    expect((await sys.anonymous().get(`/api/public/appeals/${fmt}?phone4=${phone4(s.phone)}`)).status).toBe(
      200,
    );

    await act(county1, s.id, 'accept');
    await act(county1, s.id, 'start');
    await act(county1, s.id, 'note', { note: '已联系用人单位核实' });
    await act(county1, s.id, 'reply', { reply: '经协调，公司已补发全部工资。' });
    const replied = await sys
      .anonymous()
      .get(`/api/public/appeals/${s.trackingCode}?phone4=${phone4(s.phone)}`);
    expect(replied.body.reply.text).toBe('经协调，公司已补发全部工资。');
    expect(replied.body.canRate).toBe(true);
    // internal notes are not shown to the submitter
    expect(JSON.stringify(replied.body)).not.toContain('已联系用人单位核实');

    const wrong = await sys.anonymous().post(`/api/public/appeals/${s.trackingCode}/rating`, {
      phone4: phone4(s.phone) === '0000' ? '1111' : '0000',
      satisfaction: 'satisfied',
    });
    expect(wrong.status).toBe(404);
    const rated = await sys.anonymous().post(`/api/public/appeals/${s.trackingCode}/rating`, {
      phone4: phone4(s.phone),
      satisfaction: 'satisfied',
      comment: '感谢工会',
    });
    expect(rated.status, JSON.stringify(rated.body)).toBe(200);
    expect(rated.body.status).toBe('closed');
    expect(rated.body.satisfactionLabel).toBe('满意');
    const again = await sys.anonymous().post(`/api/public/appeals/${s.trackingCode}/rating`, {
      phone4: phone4(s.phone),
      satisfaction: 'unsatisfied',
    });
    expect(again.status).toBe(409);
  });

  it('answers a wrong code and wrong digits alike', async () => {
    const s = await submitPublic(sys, {}, w);
    const wrongDigits = await sys
      .anonymous()
      .get(`/api/public/appeals/${s.trackingCode}?phone4=${phone4(s.phone) === '0000' ? '1111' : '0000'}`);
    const noCode = await sys.anonymous().get(`/api/public/appeals/23456789AB?phone4=${phone4(s.phone)}`);
    const garbage = await sys.anonymous().get(`/api/public/appeals/hello?phone4=1234`);
    for (const r of [wrongDigits, noCode, garbage]) {
      expect(r.status).toBe(404);
      expect(r.body.error.message).toBe('查询码或手机号码后四位不正确');
    }
  });

  it('hides the identity of confidential and anonymous appeals from handlers, not from the seat', async () => {
    const conf = await submitPublic(sys, { confidential: true, name: '赵六' }, w);
    const anon = await submitPublic(sys, { anonymous: true, name: undefined }, w);
    for (const s of [conf, anon]) {
      const d = await county1.get(`/api/appeals/${s.id}`);
      expect(d.body.submitter.hidden).toBe(true);
      expect(d.body.submitter.name).toBeNull();
      expect(d.body.submitter.phone).toBeNull();
      expect(d.body.abilities.reveal).toBe(false);
      expect((await county1.post(`/api/appeals/${s.id}/reveal`)).status).toBe(403);
    }
    const seat = await hotline.get(`/api/appeals/${conf.id}`);
    expect(seat.body.submitter.hidden).toBe(false);
    expect(seat.body.submitter.name).toBe('赵*');
  });

  it('reveals a full phone only with pii:reveal, as an audit event', async () => {
    const s = await submitPublic(sys, {}, w);
    const admin = await sys.login('admin');
    const r = await admin.post(`/api/appeals/${s.id}/reveal`);
    expect(r.status).toBe(200);
    expect(r.body.phone).toBe(s.phone);
    expect((await county1.post(`/api/appeals/${s.id}/reveal`)).status).toBe(403);
    const ev = await sys.db.query<{ after: unknown }>(
      sql`SELECT after FROM audit_events WHERE action = 'appeal.reveal' AND entity_id = ${String(s.id)}`,
    );
    expect(ev).toHaveLength(1);
    expect(JSON.stringify(ev[0]!.after)).not.toContain(s.phone);
  });

  it('takes material from the submitter through the tracking code', async () => {
    const s = await submitPublic(sys, {}, w);
    const pdf = Buffer.from('%PDF-1.4 工资条');
    const url = (p4: string) =>
      `/api/public/appeals/${s.trackingCode}/files?phone4=${p4}&name=${encodeURIComponent('工资条.pdf')}`;
    const wrong = await sys.app.inject({
      method: 'POST',
      url: url(phone4(s.phone) === '0000' ? '1111' : '0000'),
      headers: { 'content-type': 'application/octet-stream' },
      payload: pdf,
    });
    expect(wrong.statusCode).toBe(404);
    const ok = await sys.app.inject({
      method: 'POST',
      url: url(phone4(s.phone)),
      headers: { 'content-type': 'application/octet-stream' },
      payload: pdf,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const d = (await county1.get(`/api/appeals/${s.id}`)).body;
    expect(d.files.map((f: { name: string }) => f.name)).toContain('工资条.pdf');
    expect(d.events.at(-1).action).toBe('attach');
    const view = await sys.anonymous().get(`/api/public/appeals/${s.trackingCode}?phone4=${phone4(s.phone)}`);
    expect(view.body.history.at(-1).text).toContain('工资条.pdf');
  });
});
