import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { SYSTEM_ACTOR } from '../../src/server/platform/actor.js';
import { audit, verifyAudit } from '../../src/server/platform/audit.js';
import { checkpointConfig, writeCheckpoint } from '../../src/server/platform/auditCheckpoint.js';
import { openPglite, sql } from '../../src/server/platform/db/index.js';
import { migrate } from '../../src/server/platform/migrate.js';
import { loadPii } from '../../src/server/platform/pii.js';
import { createTestSystem, type TestSystem } from './support/system.js';
import { behindTheServersBack } from './support/tamper.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys?.close());

describe('audit trail', () => {
  it('records every mutation in the same transaction with actor, request id, IP and masked personal data', async () => {
    const admin = await sys.login('admin');
    const roles = (await admin.get('/api/roles')).body.items;
    const res = await admin.request(
      'POST',
      '/api/users',
      {
        username: 'audit.probe',
        displayName: '审计探针',
        orgId: 2,
        password: 'Probe#2026x',
        phone: '13912345678',
        roleIds: [roles[0].id],
      },
      { 'x-request-id': 'req-audit-probe-1' },
    );
    expect(res.status).toBe(201);
    const events = await sys.db.query<{
      actor_name: string;
      action: string;
      after: Record<string, unknown>;
      request_id: string;
      ip: string;
    }>(
      sql`SELECT actor_name, action, after, request_id, ip FROM audit_events WHERE entity_type = 'user' AND entity_id = ${String(res.body.id)}`,
    );
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor_name: 'admin',
      action: 'user.create',
      request_id: 'req-audit-probe-1',
    });
    expect(events[0]!.ip).toBeTruthy();
    const text = JSON.stringify(events[0]!.after);
    expect(text).toContain('139****5678');
    expect(text).not.toContain('13912345678');
    expect(text).not.toMatch(/argon2|Probe#2026x/);
  });

  it('writes nothing when the change is rejected', async () => {
    const before = await sys.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events`);
    const c = await sys.login('county1.union');
    await c.post('/api/orgs', {
      parentId: 999999,
      name: '不存在上级',
      type: 'union',
      level: 'grassroots',
      regionCode: '130702000000',
    });
    const after = await sys.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events`);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('is browsable and filterable through the API within scope', async () => {
    const admin = await sys.login('admin');
    const r = await admin.get('/api/audit-events?action=user.create&pageSize=5');
    expect(r.status).toBe(200);
    expect(r.body.items.every((e: { action: string }) => e.action === 'user.create')).toBe(true);
    const logins = await admin.get('/api/login-log?username=admin&success=true');
    expect(logins.body.total).toBeGreaterThan(0);
    const member = await sys.login('member');
    expect((await member.get('/api/audit-events')).status).toBe(403);
  });

  it('verifies the chain and detects an edited or a deleted event', async () => {
    expect((await verifyAudit(sys.db)).ok).toBe(true);
    const rows = await sys.db.query<{ id: number }>(sql`SELECT id FROM audit_events ORDER BY id`);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const mid = rows[0]!.id;
    await behindTheServersBack(sys.db, sql`UPDATE audit_events SET actor_name = 'mallory' WHERE id = ${mid}`);
    const edited = await verifyAudit(sys.db);
    expect(edited).toMatchObject({ ok: false, firstBadId: mid, reason: 'content altered' });
    await behindTheServersBack(sys.db, sql`UPDATE audit_events SET actor_name = 'system' WHERE id = ${mid}`);
    expect((await verifyAudit(sys.db)).ok).toBe(true);
    await behindTheServersBack(sys.db, sql`DELETE FROM audit_events WHERE id = ${mid}`);
    const deleted = await verifyAudit(sys.db);
    expect(deleted.ok).toBe(false);
    expect(deleted.firstBadId).toBe(rows[1]!.id);
  });
});

describe('niudai audit verify (CLI)', () => {
  it('exits 0 on an intact chain and 1 after the last events are deleted, found by the checkpoint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'niudai-audit-'));
    const run = (env: Record<string, string>) =>
      promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'src/server/cli/main.ts', 'audit', 'verify'],
        {
          env: { ...process.env, ...env, DATABASE_URL: '', NIUDAI_DATA_DIR: dir },
        },
      ).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    try {
      let db = await openPglite(join(dir, 'pg'));
      await migrate(db);
      for (let i = 0; i < 5; i++) {
        await db.tx((tx) =>
          audit(
            tx,
            { actor: SYSTEM_ACTOR, requestId: `r${i}`, ip: null, now: new Date() },
            { action: 'test.event', entityType: 'test', entityId: i, after: { i } },
          ),
        );
      }
      // a checkpoint as the server (or `niudai audit checkpoint`) writes it, with the CLI's key
      const config = loadConfig({ NIUDAI_DATA_DIR: dir });
      expect(await writeCheckpoint(db, checkpointConfig(config, loadPii(config)), new Date())).toBeDefined();
      await db.close();
      const ok = await run({});
      expect(ok.code).toBe(0);
      expect(ok.out).toContain('5 events verified');
      expect(ok.out).toContain('1 checkpoints');
      // the last two events deleted behind the server's back: the chain alone is consistent,
      // the checkpoint is not
      db = await openPglite(join(dir, 'pg'));
      await behindTheServersBack(db, sql`DELETE FROM audit_events WHERE entity_id IN ('3', '4')`);
      expect((await verifyAudit(db)).ok).toBe(true);
      await db.close();
      const bad = await run({});
      expect(bad.code).toBe(1);
      expect(bad.out).toContain('BROKEN');
      expect(bad.out).toContain('missing');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
