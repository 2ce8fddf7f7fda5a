import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvLine } from '../../../src/server/platform/csv.js';
import { sql } from '../../../src/server/platform/db/index.js';
import { IMPORT_HEADERS } from '../../../src/shared/people/importColumns.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { demoOrgs, newIdNumber, newPhone } from './helpers.js';
import { upload, waitForJob } from './upload.js';

let sys: TestSystem;
const logs: string[] = [];

beforeAll(async () => {
  // every log line of the system, at the most verbose level
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

describe('no plaintext identity data outside the encrypted columns', () => {
  it('keeps ID numbers and phones out of the database, the logs, unprivileged responses and error messages', async () => {
    const admin = await sys.login('admin');
    const county1 = await sys.login('county1.union');
    const orgs = await demoOrgs(sys);
    const secrets: string[] = [];
    const bodies: string[] = [];
    const keep = (r: { body: unknown }) =>
      bodies.push(typeof r.body === 'string' ? r.body : JSON.stringify(r.body));

    // through the API
    const id1 = newIdNumber(31);
    const phone1 = newPhone();
    secrets.push(id1, phone1);
    const p = await county1.post('/api/persons', {
      name: '保密甲',
      idNumber: id1,
      phone: phone1,
      orgId: orgs.town1,
      membership: {},
    });
    expect(p.status).toBe(201);
    keep(p);
    keep(await county1.get(`/api/persons/${p.body.id}`));
    keep(await county1.get(`/api/persons?orgId=${orgs.town1}&pageSize=200`));
    keep(await county1.post('/api/persons/lookup', { idNumber: id1 }));
    keep(await county1.post(`/api/persons/${p.body.id}/reveal`, {}));
    keep(await county1.patch(`/api/persons/${p.body.id}`, { version: p.body.version, phone: '12' }));
    keep(await county1.post('/api/persons', { name: '保密甲', idNumber: id1, orgId: orgs.town2 }));
    keep(await county1.post('/api/persons', { name: '别名', idNumber: id1, orgId: orgs.town1 }));
    const bad = `${id1.slice(0, 17)}${id1[17] === '0' ? '1' : '0'}`;
    secrets.push(bad);
    keep(await county1.post('/api/persons', { name: '坏号', idNumber: bad, orgId: orgs.town1 }));
    keep(await county1.request('GET', `/api/persons/export?orgId=${orgs.town1}&format=csv`));
    keep(await county1.get(`/api/transfers?personId=${p.body.id}`));
    const t = await county1.post('/api/transfers', {
      membershipId: p.body.memberships[0].id,
      toOrgId: orgs.town2,
    });
    keep(t);
    const county2 = await sys.login('county2.union');
    keep(await county2.post('/api/transfers', { idNumber: bad, toOrgId: orgs.town2 }));

    // through an import with good and bad rows
    const id2 = newIdNumber(44, true);
    const phone2 = newPhone();
    const id3 = newIdNumber(29);
    const bad3 = `${id3.slice(0, 17)}${id3[17] === '0' ? '1' : '0'}`;
    secrets.push(id2, phone2, bad3);
    const file = Buffer.from(
      csvLine(IMPORT_HEADERS) +
        csvLine(IMPORT_HEADERS.map((h) => ({ 姓名: '保密乙', 身份证号: id2, 手机号码: phone2 })[h] ?? '')) +
        csvLine(IMPORT_HEADERS.map((h) => ({ 姓名: '保密丙', 身份证号: bad3, 手机号码: '999' })[h] ?? '')),
    );
    const up = await upload(sys, county1, orgs.town1, '保密.csv', file);
    keep(up);
    const job = await waitForJob(sys, county1, up.body.id);
    expect(job.personsCreated).toBe(1);
    keep(await county1.request('GET', `/api/people/imports/${up.body.id}/errors?format=csv`));
    keep(await county1.get(`/api/people/imports/${up.body.id}/errors?format=json`));

    // the privileged reveal does show it (so the search below would find a leak)
    const shown = await admin.post(`/api/persons/${p.body.id}/reveal`, { reason: '核对' });
    expect(shown.body.idNumber).toBe(id1);

    // 1. the database: every row of every table as text
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
    expect(dump.length).toBeGreaterThan(100_000);
    // 2. the logs, 3. unprivileged responses and error messages
    const logText = logs.join('');
    expect(logText.length).toBeGreaterThan(1000);
    const responses = bodies.join('\n');
    for (const s of secrets) {
      expect(dump.includes(s), `database contains ${s.slice(0, 4)}…`).toBe(false);
      expect(logText.includes(s), `logs contain ${s.slice(0, 4)}…`).toBe(false);
      expect(responses.includes(s), `responses contain ${s.slice(0, 4)}…`).toBe(false);
    }
    // but the masked forms are there, and the ciphertexts decrypt
    expect(responses).toContain(`${id1.slice(0, 6)}********${id1.slice(-4)}`);
    const enc = await sys.db.query<{ id_enc: string }>(sql`SELECT id_enc FROM persons WHERE name = '保密乙'`);
    expect(sys.deps.pii.decrypt(enc[0]!.id_enc)).toBe(id2);
    // the uploaded file (plaintext) is gone from disk once imported
    const { readdir } = await import('node:fs/promises');
    const { join } = await import('node:path');
    expect((await readdir(join(sys.deps.config.dataDir, 'imports'))).length).toBe(0);
  });
});
