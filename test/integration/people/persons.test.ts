import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import { maskIdNumber } from '../../../src/shared/mask.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { demoOrgs, newIdNumber, newPhone } from './helpers.js';

let sys: TestSystem;
let admin: Client;
let county1: Client;
let county2: Client;
let orgs: Awaited<ReturnType<typeof demoOrgs>>;

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
  county2 = await sys.login('county2.union');
  orgs = await demoOrgs(sys);
});
afterAll(() => sys?.close());

describe('persons', () => {
  it('seeds the demo people with memberships, a pending transfer and a linked member account', async () => {
    const n = await sys.db.query<{ persons: number; memberships: number; transfers: number; linked: number }>(
      sql`SELECT (SELECT count(*)::int FROM persons) AS persons, (SELECT count(*)::int FROM memberships) AS memberships,
        (SELECT count(*)::int FROM transfers WHERE status = 'pending') AS transfers,
        (SELECT count(*)::int FROM persons WHERE user_id IS NOT NULL) AS linked`,
    );
    expect(n[0]!.persons).toBeGreaterThanOrEqual(200);
    expect(n[0]!.memberships).toBeGreaterThan(n[0]!.persons);
    expect(n[0]!.transfers).toBe(1);
    expect(n[0]!.linked).toBe(1);
  });

  it('registers a person with a membership: masked in the response, encrypted at rest, birth date and gender derived', async () => {
    const idNumber = newIdNumber(30, true);
    const phone = newPhone();
    const r = await county1.post('/api/persons', {
      name: '李晓燕',
      idNumber,
      phone,
      groups: ['worker', 'woman'],
      frontline: true,
      orgId: orgs.town1,
      membership: {},
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.existing).toBe(false);
    expect(r.body.idNumber).toBe(maskIdNumber(idNumber));
    expect(r.body.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(r.body.gender).toBe('F');
    expect(r.body.age).toBe(30);
    expect(r.body.memberships).toHaveLength(1);
    expect(r.body.memberships[0]).toMatchObject({ orgId: orgs.town1, role: 'member', status: 'active' });
    const row = (
      await sys.db.query<{ id_enc: string; phone_enc: string }>(
        sql`SELECT id_enc, phone_enc FROM persons WHERE id = ${r.body.id}`,
      )
    )[0]!;
    expect(row.id_enc).not.toContain(idNumber);
    expect(sys.deps.pii.decrypt(row.id_enc)).toBe(idNumber);
    expect(sys.deps.pii.decrypt(row.phone_enc)).toBe(phone);
  });

  it('keeps one record per person: registering it again in scope finds it; outside scope files a request (claims.test.ts)', async () => {
    const idNumber = newIdNumber(40);
    const first = await county1.post('/api/persons', {
      name: '王建国',
      idNumber,
      orgId: orgs.town1,
      membership: {},
    });
    expect(first.status).toBe(201);
    expect((await county2.get(`/api/persons/${first.body.id}`)).status).toBe(404);
    const elsewhere = await county2.post('/api/persons', {
      name: '王建国',
      idNumber,
      orgId: orgs.town2,
      membership: {},
    });
    expect(elsewhere.status, JSON.stringify(elsewhere.body)).toBe(202);
    expect(elsewhere.body.id).toBeUndefined();
    const again = await county1.post('/api/persons', {
      name: '王建国',
      idNumber,
      orgId: orgs.county1,
      membership: { role: 'representative' },
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.existing).toBe(true);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.memberships.map((m: { orgId: number }) => m.orgId).sort()).toEqual(
      [orgs.town1, orgs.county1].sort(),
    );
    const n = await sys.db.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM persons WHERE id_hash = (SELECT id_hash FROM persons WHERE id = ${first.body.id})`,
    );
    expect(n[0]!.n).toBe(1);
    // in scope the caller may read the record, so a different name is named as the problem
    const wrongName = await county1.post('/api/persons', { name: '王建军', idNumber, orgId: orgs.county1 });
    expect(wrongName.status).toBe(409);
    expect(JSON.stringify(wrongName.body)).not.toContain(idNumber);
  });

  it('rejects bad identity data with clear messages that never repeat the number', async () => {
    const good = newIdNumber(25);
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const cases: [Record<string, unknown>, string][] = [
      [{ idNumber: '12345' }, '格式'],
      [{ idNumber: wrongCheck }, '校验位'],
      [{ idNumber: good, birthDate: '1999-01-01' }, '出生日期'],
      [{ idNumber: good, gender: 'F' }, '性别'],
      [{ idNumber: good, phone: '1234567' }, '电话'],
      [{ idNumber: good, groups: ['disabled'] }, '残疾'],
      [{ idNumber: good, employerUnitId: 99_999_999 }, '工作单位'],
    ];
    for (const [extra, words] of cases) {
      const r = await county1.post('/api/persons', { name: '测试', orgId: orgs.town1, ...extra });
      expect(r.status, JSON.stringify(extra)).toBe(400);
      expect(r.body.error.message).toContain(words);
      expect(JSON.stringify(r.body)).not.toContain(String(extra.idNumber));
    }
    const none = await sys.db.query(sql`SELECT 1 FROM persons WHERE name = '测试'`);
    expect(none).toHaveLength(0);
  });

  it('lists persons in scope with filters and pages; another county sees none of them', async () => {
    const mine = await county1.get(`/api/persons?orgId=${orgs.town1}&pageSize=5`);
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(mine.body.total).toBeGreaterThanOrEqual(mine.body.items.length);
    for (const p of mine.body.items) expect(p.idNumber).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    // another county's organization is not found; its people are not in the other's list
    expect((await county2.get(`/api/persons?orgId=${orgs.town1}`)).status).toBe(404);
    const theirs = await county2.get('/api/persons?pageSize=200');
    const ids = new Set(mine.body.items.map((p: { id: number }) => p.id));
    const shared = theirs.body.items.filter((p: { id: number }) => ids.has(p.id));
    for (const p of shared)
      expect(
        (await county2.get(`/api/persons/${p.id}`)).body.memberships.every(
          (m: { orgId: number }) => m.orgId !== orgs.town1,
        ),
      ).toBe(true);
    const women = await county1.get(`/api/persons?orgId=${orgs.town1}&gender=F&pageSize=200`);
    expect(women.body.items.every((p: { gender: string }) => p.gender === 'F')).toBe(true);
    const byName = await county1.get(`/api/persons?q=${encodeURIComponent('李晓')}`);
    expect(byName.body.items.some((p: { name: string }) => p.name === '李晓燕')).toBe(true);
    const bad = await county1.get('/api/persons?pageSize=1000');
    expect(bad.status).toBe(400);
  });

  it('looks a person up by the full ID number in a POST body, inside the scope only', async () => {
    const idNumber = newIdNumber(33);
    const p = await county1.post('/api/persons', { name: '赵铁柱', idNumber, orgId: orgs.town1 });
    const found = await county1.post('/api/persons/lookup', { idNumber });
    expect(found.status).toBe(200);
    expect(found.body.id).toBe(p.body.id);
    expect((await county2.post('/api/persons/lookup', { idNumber })).status).toBe(404);
  });

  it('reveals the full values only with pii:reveal, and audits it', async () => {
    const idNumber = newIdNumber(45);
    const phone = newPhone();
    const p = await county1.post('/api/persons', { name: '孙红梅', idNumber, phone, orgId: orgs.town1 });
    const denied = await county1.post(`/api/persons/${p.body.id}/reveal`, {});
    expect(denied.status).toBe(403);
    expect(JSON.stringify(denied.body)).not.toContain(idNumber);
    const outside = await county2.post(`/api/persons/${p.body.id}/reveal`, {});
    expect(outside.status).toBe(404);
    const shown = await admin.post(`/api/persons/${p.body.id}/reveal`, { reason: '核实身份' });
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ idNumber, phone });
    expect(shown.headers['cache-control']).toBe('no-store');
    const events = await sys.db.query<{ actor_name: string; after: { reason: string } }>(
      sql`SELECT actor_name, after FROM audit_events WHERE action = 'person.reveal' AND entity_id = ${String(p.body.id)}`,
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.actor_name).toBe('admin');
    expect(events[0]!.after.reason).toBe('核实身份');
  });

  it('edits with optimistic locking and keeps the statistics copy of front-line status in step', async () => {
    const p = await county1.post('/api/persons', {
      name: '钱多多',
      idNumber: newIdNumber(28),
      orgId: orgs.town1,
      membership: {},
    });
    const v = p.body.version;
    const [a, b] = await Promise.all([
      county1.patch(`/api/persons/${p.body.id}`, { version: v, frontline: true }),
      county1.patch(`/api/persons/${p.body.id}`, { version: v, education: 'bachelor' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const now = await county1.get(`/api/persons/${p.body.id}`);
    const copy = await sys.db.query<{ frontline: boolean }>(
      sql`SELECT frontline FROM memberships WHERE person_id = ${p.body.id}`,
    );
    expect(copy[0]!.frontline).toBe(now.body.frontline);
    const phone = newPhone();
    const edited = await county1.patch(`/api/persons/${p.body.id}`, {
      version: now.body.version,
      phone,
      groups: ['disabled'],
      disability: { category: 'physical', grade: 3 },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.phone).toBe(`${phone.slice(0, 3)}****${phone.slice(-4)}`);
    expect(edited.body.disability).toMatchObject({
      category: 'physical',
      grade: 3,
      categoryLabel: '肢体残疾',
    });
    const audits = await sys.db.query<{ after: Record<string, unknown> }>(
      sql`SELECT after FROM audit_events WHERE action = 'person.update' AND entity_id = ${String(p.body.id)} ORDER BY id DESC LIMIT 1`,
    );
    expect(JSON.stringify(audits[0]!.after)).not.toContain(phone);
  });
});
