import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { application, archivedCase, newIdNumber, orgOf } from './helpers.js';

let sys: TestSystem;
const logs: string[] = [];

beforeAll(async () => {
  sys = await createTestSystem({ env: { LOG_LEVEL: 'trace' } });
  const stream = (sys.deps.log as unknown as Record<symbol, { write: (s: string) => boolean }>)[
    pino.symbols.streamSym
  ]!;
  stream.write = (s: string) => {
    logs.push(s);
    return true;
  };
});
afterAll(() => sys?.close());

describe('no plaintext bank accounts or ID numbers outside the encrypted columns', () => {
  it('keeps them out of the database, the logs, unprivileged responses, exports and errors', async () => {
    const town = await sys.login('town1.union');
    const county = await sys.login('county1.union');
    const admin = await sys.login('admin');
    const townOrg = await orgOf(sys, 'town1.union');
    const bodies: string[] = [];
    const keep = (r: { body: unknown }) =>
      bodies.push(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));
    const ids = [newIdNumber(52), newIdNumber(50, true), newIdNumber(18)];
    const account = '6217000011112222333';
    const badAccount = '62170000x1112222333';
    const secrets = [...ids, account, badAccount.replace('x', '')];

    keep(
      await town.post(
        '/api/assistance/cases',
        application(townOrg, ids, { bank: { bankName: '建设银行', account: badAccount } }),
      ),
    );
    const bad = `${ids[0]!.slice(0, 17)}${ids[0]![17] === '0' ? '1' : '0'}`;
    secrets.push(bad);
    keep(await town.post('/api/assistance/cases', application(townOrg, [bad, ids[1]!, ids[2]!])));
    const h = await archivedCase(
      sys,
      town,
      county,
      application(townOrg, ids, { bank: { bankName: '建设银行', account } }),
    );
    keep({ body: h });
    keep(await county.get(`/api/assistance/cases/${h.id}`));
    keep(await county.get('/api/assistance/cases?pageSize=200'));
    keep(await county.get('/api/assistance/stats'));
    keep(await county.request('GET', '/api/assistance/stats/export'));
    // a cycle proposal, a batch, and the bank file: refused without pii:reveal
    const cycles = (await admin.get('/api/assistance/cycles')).body.items as {
      id: number;
      kind: string;
      name: string;
    }[];
    const warmth = cycles.find((y) => y.kind === 'warmth')!;
    const batch = await sys.db.query<{ id: number }>(
      sql`SELECT id FROM assist_batches WHERE cycle_id = ${warmth.id}`,
    );
    keep(await county.post(`/api/assistance/batches/${batch[0]!.id}/export`, {}));
    keep(await county.get(`/api/assistance/cycles/${warmth.id}`));

    // the privileged bank file does carry the full account (so the search below would find a leak)
    await sys.db.query(sql`UPDATE assist_entitlements SET status = 'approved' WHERE cycle_id = ${warmth.id}`);
    const e = await admin.post(`/api/assistance/cycles/${warmth.id}/entitlements`, {
      name: '子女丙',
      idNumber: ids[2],
      amount: 100,
      caseId: h.id,
    });
    keep(e);
    await sys.db.query(sql`UPDATE assist_entitlements SET status = 'approved' WHERE id = ${e.body.id}`);
    const b = await admin.post(`/api/assistance/cycles/${warmth.id}/batches`, {});
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    const file = await admin.post(`/api/assistance/batches/${b.body.id}/export`, {});
    expect(String(file.body)).toContain(account);

    const tables = await sys.db.query<{ schemaname: string; tablename: string }>(
      sql`SELECT schemaname, tablename FROM pg_tables WHERE schemaname IN ('public', 'pgboss')`,
    );
    let dump = '';
    for (const tb of tables) {
      const rows = await sys.db.query<{ t: string }>(
        sql`SELECT row_to_json(x)::text AS t FROM ${sql.raw(`"${tb.schemaname}"."${tb.tablename}"`)} x`,
      );
      dump += rows.map((r) => r.t).join('\n');
    }
    const logText = logs.join('');
    expect(logText.length).toBeGreaterThan(1000);
    const responses = bodies.join('\n');
    for (const s of secrets) {
      expect(dump.includes(s), `database contains ${s.slice(0, 4)}…`).toBe(false);
      expect(logText.includes(s), `logs contain ${s.slice(0, 4)}…`).toBe(false);
      expect(responses.includes(s), `responses contain ${s.slice(0, 4)}…`).toBe(false);
    }
    expect(responses).toContain('**** **** 2333');
    const enc = await sys.db.query<{ bank_enc: string }>(
      sql`SELECT bank_enc FROM assist_cases WHERE id = ${h.id}`,
    );
    expect(sys.deps.pii.decrypt(enc[0]!.bank_enc)).toBe(account);
    // the export is in the audit trail, without the account
    const ev = await sys.db.query<{ after: unknown }>(
      sql`SELECT after FROM audit_events WHERE action = 'assist.batch.export' ORDER BY id DESC LIMIT 1`,
    );
    expect(JSON.stringify(ev[0]!.after)).not.toContain(account);
  });
});
