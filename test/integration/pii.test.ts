import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/server/platform/db/index.js';
import { enqueue } from '../../src/server/platform/jobs.js';
import { Pii } from '../../src/server/platform/pii.js';
import { createTestSystem, type TestSystem } from './support/system.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys?.close());

describe('personal data protection', () => {
  it('stores phones encrypted with a keyed hash, returns them masked, and finds them by hash', async () => {
    const admin = await sys.login('admin');
    const roles = (await admin.get('/api/roles')).body.items;
    const r = await admin.post('/api/users', {
      username: 'pii.probe',
      displayName: '测试',
      orgId: 2,
      password: 'Probe#2026x',
      phone: '139 8765 4321',
      roleIds: [roles[0].id],
    });
    expect(r.status).toBe(201);
    expect(r.body.phone).toBe('139****4321');
    const row = (
      await sys.db.query<{ phone_enc: string; phone_hash: string }>(
        sql`SELECT phone_enc, phone_hash FROM users WHERE id = ${r.body.id}`,
      )
    )[0]!;
    expect(row.phone_enc).not.toContain('98765');
    expect(row.phone_enc.startsWith('v1.')).toBe(true);
    expect(sys.deps.pii.decrypt(row.phone_enc)).toBe('13987654321');
    const byHash = await sys.db.query(
      sql`SELECT id FROM users WHERE phone_hash = ${sys.deps.pii.hash('13987654321')}`,
    );
    expect(byHash).toHaveLength(1);
    const dump = await sys.db.query<{ t: string }>(sql`SELECT row_to_json(u)::text AS t FROM users u`);
    expect(dump.some((d) => d.t.includes('13987654321'))).toBe(false);
    const bad = await admin.post('/api/users', {
      username: 'pii.bad',
      displayName: '测试',
      orgId: 2,
      password: 'Probe#2026x',
      phone: '12345',
      roleIds: [roles[0].id],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).not.toContain('12345');
  });

  it('rotates keys: old ciphertexts stay readable, new ones use the first key, tampering is detected', () => {
    const k1 = { id: 'k1', key: randomBytes(32) };
    const k2 = { id: 'k2', key: randomBytes(32) };
    const hashKey = randomBytes(32);
    const old = new Pii([k1], hashKey).encrypt('110105199001011234');
    const rotated = new Pii([k2, k1], hashKey);
    expect(rotated.decrypt(old)).toBe('110105199001011234');
    expect(rotated.keyIdOf(rotated.encrypt('x'))).toBe('k2');
    const parts = old.split('.');
    parts[4] = Buffer.from('tampered!').toString('base64url');
    expect(() => rotated.decrypt(parts.join('.'))).toThrow();
    expect(new Pii([k1], hashKey).hash('a')).toBe(rotated.hash('a'));
  });
});

describe('outbox and job queue', () => {
  it("writes the new account's notice with the account, visible at once", async () => {
    const admin = await sys.login('admin');
    const roles = (await admin.get('/api/roles')).body.items;
    const r = await admin.post('/api/users', {
      username: 'job.probe',
      displayName: '通知',
      orgId: 2,
      password: 'Probe#2026x',
      roleIds: [roles.find((x: { key: string }) => x.key === 'staff').id],
    });
    expect(r.status).toBe(201);
    const user = await sys.login('job.probe', 'Probe#2026x');
    const items = (await user.get('/api/notifications')).body.items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ title: '账号已开通' });
  });

  it('delivers an outbox row through pg-boss to its job once, however often it is relayed', async () => {
    const probe = await sys.db.query<{ id: number }>(sql`SELECT id FROM users WHERE username = 'job.probe'`);
    await sys.db.tx((tx) =>
      enqueue(tx, { now: new Date() }, 'notify', {
        userId: probe[0]!.id,
        title: '队列通知',
        body: '经由任务队列',
      }),
    );
    const queued = async () => {
      const r = await sys.db.query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM notifications WHERE user_id = ${probe[0]!.id} AND title = '队列通知'`,
      );
      return r[0]!.n;
    };
    await sys.deps.jobs.relay();
    for (let i = 0; i < 40 && (await queued()) === 0; i++) await new Promise((res) => setTimeout(res, 250));
    expect(await queued()).toBe(1);
    // relayed again (a process died after relaying): still one notice
    await sys.db.query(sql`UPDATE outbox SET dispatched_at = NULL WHERE topic = 'notify'`);
    await sys.deps.jobs.relay();
    await new Promise((res) => setTimeout(res, 1500));
    expect(await queued()).toBe(1);
  });
});
