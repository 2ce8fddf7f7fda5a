/**
 * The import's write paths, on the engine under test: on PostgreSQL new persons go through
 * COPY (with the set-based statement for persons who exist already and as the fallback when a
 * batch in flight registered the same person), on PGlite through the set-based statement alone.
 * Small batches, so several are in flight and a person's rows fall into different batches.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyWriter } from '../../../src/server/modules/people/import/copy.js';
import { importDir, importFile, runImport } from '../../../src/server/modules/people/import/job.js';
import { csvLine } from '../../../src/server/platform/csv.js';
import { sql } from '../../../src/server/platform/db/index.js';
import type { Deps } from '../../../src/server/platform/deps.js';
import { IMPORT_HEADERS } from '../../../src/shared/people/importColumns.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { demoOrgs, newIdNumber, newPhone } from './helpers.js';

let sys: TestSystem;
let deps: Deps;
let orgs: Awaited<ReturnType<typeof demoOrgs>>;
let admin: { id: number; org_id: number };

beforeAll(async () => {
  sys = await createTestSystem();
  orgs = await demoOrgs(sys);
  admin = (
    await sys.db.query<{ id: number; org_id: number }>(
      sql`SELECT id, org_id FROM users WHERE username = 'admin'`,
    )
  )[0]!;
  deps = sys.deps;
  const url = process.env.TEST_DATABASE_URL;
  if (sys.engine === 'postgres' && url) {
    // the import's COPY connections go to the database of this test system
    const u = new URL(url);
    u.pathname = `/${(await sys.db.query<{ d: string }>(sql`SELECT current_database() AS d`))[0]!.d}`;
    deps = { ...sys.deps, config: { ...sys.deps.config, databaseUrl: u.toString() } };
  }
});
afterAll(() => sys?.close());

type Row = Record<string, string>;
async function importRows(rows: Row[], batchSize = 2) {
  const text = `\uFEFF${csvLine(IMPORT_HEADERS)}${rows.map((r) => csvLine(IMPORT_HEADERS.map((h) => r[h] ?? ''))).join('')}`;
  const [job] = await sys.db.query<{
    id: number;
  }>(sql`INSERT INTO import_jobs (org_id, user_id, file_name, file_format,
      file_size, status, created_at, updated_at)
    VALUES (${admin.org_id}, ${admin.id}, 'm.csv', 'csv', ${text.length}, 'queued', now(), now()) RETURNING id`);
  await mkdir(importDir(deps), { recursive: true });
  await writeFile(importFile(deps, job!.id, 'csv'), text);
  await runImport(deps, job!.id, { batchSize });
  const [r] = await sys.db.query<
    Record<string, number | string>
  >(sql`SELECT status, processed_rows, persons_created,
      persons_existing, memberships_created, memberships_existing, error_rows FROM import_jobs WHERE id = ${job!.id}`);
  const errors = await sys.db.query<{ row_no: number; col: string; message: string }>(
    sql`SELECT row_no, col, message FROM import_errors WHERE job_id = ${job!.id} ORDER BY row_no, id`,
  );
  return { ...r!, errors };
}

const statsConsistent = async () =>
  (
    await sys.db.query<{ ok: boolean }>(sql`SELECT
      (SELECT coalesce(sum(n), 0)::int FROM member_stats) = (SELECT count(*)::int FROM memberships
        WHERE status IN ('active', 'pending')) AS ok`)
  )[0]!.ok;

describe(`import write paths (${process.env.TEST_DATABASE_URL ? 'PostgreSQL: COPY and set-based' : 'PGlite: set-based'})`, () => {
  it('writes new persons and memberships exactly, re-imports idempotently and checks names of registered persons', async () => {
    const [a, b, c, d] = [newIdNumber(30), newIdNumber(40, true), newIdNumber(50), newIdNumber(35)];
    const phoneA = newPhone();
    const rows: Row[] = [
      { 姓名: '路径甲', 身份证号: a, 手机号码: phoneA, 所属组织: String(orgs.town1), 一线职工: '是' },
      { 姓名: '路径乙', 身份证号: b, 所属组织: String(orgs.town1), 详细地址: 'A\tB\\C "引号"\n第二行' },
      { 姓名: '路径甲', 身份证号: a, 手机号码: phoneA, 所属组织: String(orgs.town2), 一线职工: '否' },
      {
        姓名: '路径丙',
        身份证号: `${c.slice(0, 17)}${c[17] === '0' ? '1' : '0'}`,
        所属组织: String(orgs.town1),
      },
      { 姓名: '路径丁', 身份证号: d, 所属组织: String(orgs.town2) },
    ];
    const first = await importRows(rows);
    expect(first).toMatchObject({
      status: 'done',
      processed_rows: 5,
      persons_created: 3,
      // 路径甲's second row is in another batch: by then the person is registered
      persons_existing: 1,
      memberships_created: 4,
      memberships_existing: 0,
      error_rows: 1,
    });
    expect(first.errors).toEqual([{ row_no: 5, col: '身份证号', message: '身份证号校验位不正确' }]);

    const hashA = sys.deps.pii.hash(`id:${a}`);
    const [pa] = await sys.db.query<{ id: number; id_enc: string; phone_enc: string; frontline: boolean }>(
      sql`SELECT id, id_enc, phone_enc, frontline FROM persons WHERE id_hash = ${hashA}`,
    );
    expect(sys.deps.pii.decrypt(pa!.id_enc)).toBe(a);
    expect(sys.deps.pii.decrypt(pa!.phone_enc)).toBe(phoneA);
    expect(pa!.frontline).toBe(true);
    const ms = await sys.db.query<{ org_id: number; frontline: boolean; status: string }>(
      sql`SELECT org_id, frontline, status FROM memberships WHERE person_id = ${pa!.id} ORDER BY org_id`,
    );
    expect(ms.map((m) => m.org_id).sort()).toEqual([orgs.town1, orgs.town2].sort());
    // a membership carries its person's front-line flag (the one of the person's first row)
    expect(ms.every((m) => m.frontline && m.status === 'active')).toBe(true);
    const [pb] = await sys.db.query<{ address: string }>(
      sql`SELECT address FROM persons WHERE id_hash = ${sys.deps.pii.hash(`id:${b}`)}`,
    );
    expect(pb!.address).toBe('A\tB\\C "引号"\n第二行');
    expect(await statsConsistent()).toBe(true);

    // the same file again: nothing new
    const again = await importRows(rows, 3);
    expect(again).toMatchObject({
      status: 'done',
      persons_created: 0,
      persons_existing: 3,
      memberships_created: 0,
      memberships_existing: 4,
      error_rows: 1,
    });

    // registered persons mixed with new ones, one under another name
    const e = newIdNumber(28, true);
    const mixed = await importRows(
      [
        { 姓名: '路径戊', 身份证号: e, 所属组织: String(orgs.town1) },
        { 姓名: '别的名字', 身份证号: a, 所属组织: String(orgs.town1) },
        { 姓名: '路径丁', 身份证号: d, 所属组织: String(orgs.town1) },
      ],
      10,
    );
    expect(mixed).toMatchObject({
      status: 'done',
      persons_created: 1,
      persons_existing: 1,
      memberships_created: 2,
      memberships_existing: 0,
      error_rows: 1,
    });
    expect(mixed.errors).toEqual([
      { row_no: 3, col: '姓名', message: '该身份证号已登记，但姓名与已登记的不一致' },
    ]);
    expect(await statsConsistent()).toBe(true);
  });

  it.runIf(!!process.env.TEST_DATABASE_URL)(
    'uses COPY only on the database the system works on',
    async () => {
      const w = await CopyWriter.open(deps.config.databaseUrl!, 1, sys.db);
      expect(w).not.toBeNull();
      await w!.close();
      // another database of the same server: refused, the set-based path alone
      expect(await CopyWriter.open(process.env.TEST_DATABASE_URL!, 1, sys.db)).toBeNull();
    },
  );
});
