import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLine } from '../../../src/server/platform/csv.js';
import { sql } from '../../../src/server/platform/db/index.js';
import { IMPORT_HEADERS } from '../../../src/shared/people/importColumns.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { demoOrgs, newIdNumber } from './helpers.js';
import { upload, waitForJob } from './upload.js';

/**
 * Registering a person kept by an organization outside the caller's scope (issue 12, item 1):
 * no record, no organization, no name check is disclosed and nothing is attached; a 关联申请
 * goes to the keeping organization, which approves or rejects it. Attempts are counted per
 * user in the database and audited.
 */
let sys: TestSystem;
let admin: Client;
let county1: Client;
let county2: Client;
let town1: Client;
let orgs: Awaited<ReturnType<typeof demoOrgs>>;

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
  county1 = await sys.login('county1.union');
  county2 = await sys.login('county2.union');
  town1 = await sys.login('town1.union');
  orgs = await demoOrgs(sys);
});
afterAll(() => sys?.close());

/** A person kept by town1 (county1's subtree) with a membership there. */
async function keptByCounty1(name: string) {
  const idNumber = newIdNumber(41);
  const r = await county1.post('/api/persons', { name, idNumber, orgId: orgs.town1, membership: {} });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return {
    idNumber,
    id: r.body.id as number,
    orgName: r.body.orgName as string,
    birthDate: r.body.birthDate,
  };
}

const membershipsAt = async (personId: number, orgId: number) =>
  sys.db.query<{ status: string }>(
    sql`SELECT status FROM memberships WHERE person_id = ${personId} AND org_id = ${orgId}`,
  );

describe('registering a person kept by another organization', () => {
  it('answers only that a request was filed: no record, no organization, no name check, nothing attached', async () => {
    const p = await keptByCounty1('周建华');
    expect((await county2.get(`/api/persons/${p.id}`)).status).toBe(404);
    const answers = [];
    for (const body of [
      { name: '周建华', idNumber: p.idNumber, orgId: orgs.county2 },
      { name: '完全不同', idNumber: p.idNumber, orgId: orgs.county2 },
      { name: '周建华', idNumber: p.idNumber, orgId: orgs.county2, membership: {} },
    ]) {
      const r = await county2.post('/api/persons', body);
      expect(r.status, JSON.stringify(r.body)).toBe(202);
      expect(Object.keys(r.body).sort()).toEqual(['claimId', 'message', 'status']);
      const text = JSON.stringify(r.body);
      for (const secret of [p.orgName, p.birthDate, String(p.id), '桥东', '姓名'])
        expect(text).not.toContain(secret);
      expect(r.body.message).toContain('已在其他组织登记');
      answers.push(r.body);
    }
    // the same request each time (one pending per person and organization), the same answer
    expect(new Set(answers.map((a) => a.claimId)).size).toBe(1);
    expect(new Set(answers.map((a) => a.message)).size).toBe(1);
    // the `membership: {}` side door: nothing at county2, the record stays invisible and unchangeable
    expect(await membershipsAt(p.id, orgs.county2)).toEqual([]);
    expect((await county2.get(`/api/persons/${p.id}`)).status).toBe(404);
    expect((await county2.patch(`/api/persons/${p.id}`, { version: 1, address: '接管' })).status).toBe(404);
    expect((await county2.post('/api/persons/lookup', { idNumber: p.idNumber })).status).toBe(404);
    const audited = await sys.db.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'person.claim' AND entity_id = ${String(answers[0]!.claimId)}`,
    );
    expect(audited[0]!.n).toBe(3);
  });

  it('an ORG-scope user without approval rights gets no pending membership (and so no access) either', async () => {
    const idNumber = newIdNumber(38);
    const kept = await county2.post('/api/persons', {
      name: '吴秀兰',
      idNumber,
      orgId: orgs.town2,
      membership: {},
    });
    expect(kept.status).toBe(201);
    const r = await town1.post('/api/persons', {
      name: '吴秀兰',
      idNumber,
      orgId: orgs.town1,
      membership: {},
    });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(await membershipsAt(kept.body.id, orgs.town1)).toEqual([]);
    expect((await town1.get(`/api/persons/${kept.body.id}`)).status).toBe(404);
    // inside the caller's scope registration still finds the record, as before
    const own = await county2.post('/api/persons', { name: '吴秀兰', idNumber, orgId: orgs.county2 });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ id: kept.body.id, existing: true });
  });

  it('the keeping organization sees the request in its inbox and list; the requester sees no record', async () => {
    const p = await keptByCounty1('郑丽娟');
    const filed = await county2.post('/api/persons', {
      name: '郑丽娟',
      idNumber: p.idNumber,
      orgId: orgs.county2,
    });
    const todo = await county1.get('/api/me/todo');
    expect(todo.status).toBe(200);
    const item = todo.body.items.find(
      (i: { kind: string; id: number }) => i.kind === 'person.claim' && i.id === filed.body.claimId,
    );
    expect(item).toMatchObject({ href: '/people/claims', level: 'normal' });
    expect(item.title).toContain('郑丽娟');
    const theirTodo = await county2.get('/api/me/todo');
    expect(
      theirTodo.body.items.some(
        (i: { id: number; kind: string }) => i.kind === 'person.claim' && i.id === filed.body.claimId,
      ),
    ).toBe(false);

    const inbox = await county1.get('/api/person-claims?box=incoming&status=pending&pageSize=200');
    const mine = inbox.body.items.find((c: { id: number }) => c.id === filed.body.claimId);
    expect(mine).toMatchObject({ person: { id: p.id, orgName: p.orgName }, abilities: { approve: true } });
    const out = await county2.get('/api/person-claims?box=outgoing&pageSize=200');
    const theirs = out.body.items.find((c: { id: number }) => c.id === filed.body.claimId);
    expect(theirs).toMatchObject({ name: '郑丽娟', status: 'pending', person: null, requestedBy: null });
    expect(JSON.stringify(theirs)).not.toContain(p.orgName);
    expect(
      (await county2.get('/api/person-claims?box=incoming&pageSize=200')).body.items.some(
        (c: { id: number }) => c.id === filed.body.claimId,
      ),
    ).toBe(false);
  });

  it('approval adds the requested membership (the record then becomes visible); a stale decision is a conflict', async () => {
    const p = await keptByCounty1('冯志强');
    const filed = await county2.post('/api/persons', {
      name: '冯志强',
      idNumber: p.idNumber,
      orgId: orgs.county2,
      membership: { role: 'representative' },
    });
    expect(
      (await county2.post(`/api/person-claims/${filed.body.claimId}/approve`, { version: 1 })).status,
    ).toBe(404);
    const ok = await county1.post(`/api/person-claims/${filed.body.claimId}/approve`, { version: 1 });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.status).toBe('approved');
    const again = await county1.post(`/api/person-claims/${filed.body.claimId}/reject`, {
      version: 1,
      note: 'x',
    });
    expect(again.status).toBe(409);
    const seen = await county2.get(`/api/persons/${p.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.memberships).toEqual([
      expect.objectContaining({ orgId: orgs.county2, role: 'representative', status: 'active' }),
    ]);
    const notices = await county2.get('/api/notifications');
    expect(JSON.stringify(notices.body)).toContain('关联申请已同意');
  });

  it('rejection needs a reason and attaches nothing', async () => {
    const p = await keptByCounty1('蒋晓梅');
    const filed = await county2.post('/api/persons', {
      name: '蒋晓梅',
      idNumber: p.idNumber,
      orgId: orgs.county2,
    });
    const bare = await county1.post(`/api/person-claims/${filed.body.claimId}/reject`, { version: 1 });
    expect(bare.status).toBe(400);
    const no = await county1.post(`/api/person-claims/${filed.body.claimId}/reject`, {
      version: 1,
      note: '经核实不是本人',
    });
    expect(no.status).toBe(200);
    expect(no.body.status).toBe('rejected');
    expect(await membershipsAt(p.id, orgs.county2)).toEqual([]);
    expect((await county2.get(`/api/persons/${p.id}`)).status).toBe(404);
    // a new attempt files a new request
    const next = await county2.post('/api/persons', {
      name: '蒋晓梅',
      idNumber: p.idNumber,
      orgId: orgs.county2,
    });
    expect(next.status).toBe(202);
    expect(next.body.claimId).not.toBe(filed.body.claimId);
  });

  it('limits the attempts per user with a count kept in the database, and audits the refusal', async () => {
    const role = (await sys.db.query<{ id: number }>(sql`SELECT id FROM roles WHERE key = 'org_admin'`))[0]!
      .id;
    const u = await admin.post('/api/users', {
      username: 'claim.rater',
      displayName: '频次测试',
      orgId: orgs.county2,
      password: 'Rate#Limit7x',
      roleIds: [role],
    });
    expect(u.status, JSON.stringify(u.body)).toBe(201);
    const rater = await sys.login('claim.rater', 'Rate#Limit7x');
    const limit = sys.deps.config.personClaimsPerHour;
    sys.deps.config.personClaimsPerHour = 3;
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const p = await keptByCounty1(`频次${i}`);
        codes.push(
          (await rater.post('/api/persons', { name: '某人', idNumber: p.idNumber, orgId: orgs.county2 }))
            .status,
        );
      }
      expect(codes).toEqual([202, 202, 202, 429, 429]);
      const stored = await sys.db.query<{ n: number }>(
        sql`SELECT sum(n)::int AS n FROM attempt_counters WHERE key = ${`person-claim:user:${u.body.id}`}`,
      );
      expect(stored[0]!.n).toBe(5);
      const refused = await sys.db.query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'person.claim_limited' AND actor_id = ${u.body.id}`,
      );
      expect(refused[0]!.n).toBe(2);
      const filed = await sys.db.query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM person_claims WHERE requested_by = ${u.body.id}`,
      );
      expect(filed[0]!.n).toBe(3);
      // a new person (not registered anywhere) is not limited
      const fresh = await rater.post('/api/persons', {
        name: '新人',
        idNumber: newIdNumber(30),
        orgId: orgs.county2,
      });
      expect(fresh.status).toBe(201);
    } finally {
      sys.deps.config.personClaimsPerHour = limit;
    }
  });

  it('an import neither attaches nor name-checks persons kept outside the importer scope', async () => {
    const kept = await keptByCounty1('许文静');
    const other = await keptByCounty1('许文华');
    const fresh = newIdNumber(29);
    const rows = [
      { 姓名: '任意姓名', 身份证号: kept.idNumber },
      { 姓名: '许文华', 身份证号: other.idNumber },
      { 姓名: '新登记人', 身份证号: fresh },
    ];
    const file = Buffer.from(
      `\uFEFF${csvLine(IMPORT_HEADERS)}${rows.map((r) => csvLine(IMPORT_HEADERS.map((h) => (r as Record<string, string>)[h] ?? ''))).join('')}`,
    );
    const up = await upload(sys, county2, orgs.county2, '名单.csv', file);
    expect(up.status, JSON.stringify(up.body)).toBe(202);
    const job = await waitForJob(sys, county2, up.body.id);
    expect(job).toMatchObject({ status: 'done', personsCreated: 1, personsExisting: 0, errorRows: 2 });
    const errors = (await county2.get(`/api/people/imports/${up.body.id}/errors?format=json`)).body;
    expect(
      errors
        .map((e: { row: number; column: string }) => [e.row, e.column])
        .sort((a: number[], b: number[]) => a[0]! - b[0]!),
    ).toEqual([
      [2, '身份证号'],
      [3, '身份证号'],
    ]);
    expect(errors[0].message).toBe(errors[1].message);
    expect(errors[0].message).toContain('已在其他组织登记');
    expect(JSON.stringify(errors)).not.toContain('姓名');
    expect(JSON.stringify(errors)).not.toContain(kept.orgName);
    for (const p of [kept, other]) {
      expect(await membershipsAt(p.id, orgs.county2)).toEqual([]);
      expect((await county2.get(`/api/persons/${p.id}`)).status).toBe(404);
    }
  });
});
