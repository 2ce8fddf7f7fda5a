import type { MembershipRole } from '../../../../shared/people/dicts.js';
import type { ParsedRow, RowError } from '../../../../shared/people/importColumns.js';
import { type Queryable, type Sql, sql } from '../../../platform/db/index.js';
import type { Protected } from '../protect.js';
import type { CopyWriter } from './copy.js';

export interface ReadyRow {
  no: number;
  row: ParsedRow;
  orgId: number;
  role: MembershipRole;
  sec: Protected;
}

export interface RowErr extends RowError {
  no: number;
}

export interface Batch {
  rows: ReadyRow[];
  errors: RowErr[];
  /** data rows read since the previous batch (valid, rejected and empty ones) */
  processed: number;
}

export interface BatchCounts {
  personsCreated: number;
  personsExisting: number;
  membershipsCreated: number;
  membershipsExisting: number;
  errorRows: number;
}

/** Stored error rows per job at most (the rest is only counted). */
export const MAX_STORED_ERRORS = 100_000;

/**
 * A PostgreSQL array literal of `vals` (for a `$n::type[]` parameter): built here in one pass,
 * much cheaper than the driver's generic array serialization of thousands of elements.
 */
export function arrayLiteral(vals: readonly (string | number | boolean | null | undefined)[]): string {
  const out: string[] = new Array(vals.length);
  for (let i = 0; i < vals.length; i++) {
    const v = vals[i];
    if (v === null || v === undefined) out[i] = 'NULL';
    else if (typeof v !== 'string') out[i] = String(v);
    else if (v.includes('"') || v.includes('\\')) out[i] = `"${v.replace(/[\\"]/g, '\\$&')}"`;
    else out[i] = `"${v}"`;
  }
  return `{${out.join(',')}}`;
}

const NAME_MISMATCH = '该身份证号已登记，但姓名与已登记的不一致';
/** A person kept outside the importer's scope: neither attached nor checked (docs/people.md, 关联申请). */
const ELSEWHERE = '此人已在其他组织登记，本行未导入；如需登记，请在“登记人员”中提交关联申请';

interface WriteResult {
  pc: number;
  pe: number;
  mc: number;
  mrows: number;
  bad: number;
  missing: number[];
}

/**
 * One statement for a whole batch (atomic on its own, one round trip): persons (an existing one
 * is left as it is; one whose name differs rejects its rows), memberships (an existing live one
 * is left as it is), error rows and the job's counters. `missing`: rows whose person another
 * transaction inserted meanwhile (not visible to this statement): the caller writes them again.
 */
function writeRows(
  q: Queryable,
  jobId: number,
  rows: readonly ReadyRow[],
  errors: readonly RowErr[],
  opts: {
    now: Date;
    today: string;
    status: 'active' | 'pending';
    room: number;
    processed: number;
    errorRows: number;
    /** the importer's person scope (alias p): persons outside it are neither attached nor name-checked */
    visible: Sql;
  },
  unitOf: ReadonlyMap<string, number>,
) {
  const seen = new Set<string>();
  const first = rows.map((r) => !seen.has(r.sec.idHash) && !!seen.add(r.sec.idHash));
  const col = <T>(f: (r: ReadyRow) => T) => arrayLiteral(rows.map(f) as (string | number | boolean | null)[]);
  // person fields: on the first row of each person only
  const pcol = <T>(f: (r: ReadyRow) => T) =>
    arrayLiteral(rows.map((r, i) => (first[i] ? f(r) : null)) as (string | number | boolean | null)[]);
  const joined = (r: ReadyRow) => r.row.joinedOn ?? (opts.status === 'active' ? opts.today : null);
  return q.query<WriteResult>(sql`WITH src AS (
      SELECT * FROM unnest(${col((r) => r.no)}::int[], ${arrayLiteral(first)}::boolean[], ${col((r) => r.row.name)}::text[],
        ${col((r) => r.row.gender)}::text[], ${col((r) => r.row.birthDate)}::date[], ${pcol((r) => r.sec.idEnc)}::text[],
        ${col((r) => r.sec.idHash)}::text[], ${pcol((r) => r.sec.idMask)}::text[], ${pcol((r) => r.sec.phoneEnc)}::text[],
        ${pcol((r) => r.sec.phoneHash)}::text[], ${pcol((r) => r.sec.phoneMask)}::text[], ${pcol((r) => r.row.ethnicity)}::text[],
        ${pcol((r) => r.row.education)}::text[], ${pcol((r) => r.row.politicalStatus)}::text[], ${col((r) => r.row.frontline)}::boolean[],
        ${pcol((r) => r.row.groups.join(','))}::text[], ${pcol((r) => r.row.disabilityCategory)}::text[],
        ${pcol((r) => r.row.disabilityGrade)}::smallint[], ${pcol((r) => r.row.hardshipLevel)}::text[],
        ${pcol((r) => (r.row.employer ? unitOf.get(r.row.employer)! : null))}::bigint[], ${pcol((r) => r.row.regionCode)}::text[],
        ${pcol((r) => r.row.address)}::text[], ${col((r) => r.orgId)}::bigint[], ${col((r) => r.role)}::text[], ${col(joined)}::date[])
        AS x(no, fi, n, g, b, ie, ih, im, pe, ph, pm, eth, edu, pol, fl, gr, dc, dg, hl, eu, rc, ad, o, r, j)),
    ins AS (
      INSERT INTO persons (name, gender, birth_date, id_enc, id_hash, id_mask, phone_enc, phone_hash, phone_mask, ethnicity,
        education, political_status, frontline, groups, disability_category, disability_grade, hardship_level,
        employer_unit_id, region_code, address, org_id, created_at, updated_at)
      SELECT n, g, b, ie, ih, im, pe, ph, pm, eth, edu, pol, fl, string_to_array(gr, ','), dc, dg, hl, eu, rc, ad, o,
        ${opts.now}, ${opts.now}
      FROM src WHERE fi
      ON CONFLICT (id_hash) DO NOTHING RETURNING id, id_hash, frontline),
    old AS (
      SELECT p.id, p.id_hash, p.frontline, p.name = s.n AS same, ${opts.visible} AS visible
      FROM src s JOIN persons p ON p.id_hash = s.ih WHERE s.fi),
    pp AS (SELECT id, id_hash, frontline FROM ins UNION ALL SELECT id, id_hash, frontline FROM old WHERE same AND visible),
    mem AS (
      INSERT INTO memberships (person_id, org_id, role, status, gender, birth_date, frontline, joined_on, created_at, updated_at)
      SELECT pp.id, s.o, s.r, ${opts.status}, s.g, s.b, pp.frontline, s.j, ${opts.now}, ${opts.now}
      FROM src s JOIN pp ON pp.id_hash = s.ih
      ON CONFLICT (person_id, org_id, role) WHERE status IN ('pending', 'active') DO NOTHING RETURNING 1),
    bad AS (SELECT s.no FROM src s JOIN old ON old.id_hash = s.ih WHERE old.visible AND NOT old.same),
    elsewhere AS (SELECT s.no FROM src s JOIN old ON old.id_hash = s.ih WHERE NOT old.visible),
    cnt AS (SELECT (SELECT count(*) FROM ins)::int AS pc, (SELECT count(*) FROM old WHERE same AND visible)::int AS pe,
        (SELECT count(*) FROM mem)::int AS mc, (SELECT count(*) FROM src s JOIN pp ON pp.id_hash = s.ih)::int AS mrows,
        ((SELECT count(*) FROM bad) + (SELECT count(*) FROM elsewhere))::int AS bad),
    errs AS (
      INSERT INTO import_errors (job_id, row_no, col, message)
      SELECT ${jobId}, e.n, e.c, e.m FROM (
        SELECT * FROM unnest(${arrayLiteral(errors.map((e) => e.no))}::int[], ${arrayLiteral(errors.map((e) => e.column))}::text[],
          ${arrayLiteral(errors.map((e) => e.message))}::text[]) AS u(n, c, m)
        UNION ALL SELECT no, '姓名', ${NAME_MISMATCH} FROM bad
        UNION ALL SELECT no, '身份证号', ${ELSEWHERE} FROM elsewhere) e
      LIMIT ${opts.room}),
    job AS (
      UPDATE import_jobs SET processed_rows = processed_rows + ${opts.processed},
        persons_created = persons_created + cnt.pc, persons_existing = persons_existing + cnt.pe,
        memberships_created = memberships_created + cnt.mc, memberships_existing = memberships_existing + cnt.mrows - cnt.mc,
        error_rows = error_rows + ${opts.errorRows} + cnt.bad, updated_at = ${opts.now}
      FROM cnt WHERE id = ${jobId})
    SELECT cnt.*, ARRAY(SELECT s.no FROM src s WHERE NOT EXISTS (SELECT 1 FROM pp WHERE pp.id_hash = s.ih)
        AND NOT EXISTS (SELECT 1 FROM old WHERE old.id_hash = s.ih)) AS missing
    FROM cnt`);
}

/**
 * Writes one batch: persons (deduplicated by the keyed hash of the ID number: an existing
 * person is left as it is), their memberships (an existing live one is left as it is), the
 * batch's rejected rows and the job's counters. Set-based, one statement (see writeRows);
 * on PostgreSQL, new persons first through COPY (see copy.ts).
 */
export async function writeBatch(
  q: Queryable,
  jobId: number,
  b: Batch,
  opts: { now: Date; today: string; status: 'active' | 'pending'; storedErrors: number; visible: Sql },
  copy?: CopyWriter,
): Promise<BatchCounts> {
  const errors = [...b.errors];
  let rows = b.rows;
  const employers = [...new Set(rows.map((r) => r.row.employer).filter((x): x is string => !!x))];
  const unitOf = new Map<string, number>();
  if (employers.length > 0) {
    const found = await q.query<{ id: number; credit_code: string }>(
      sql`SELECT id, credit_code FROM units WHERE credit_code = ANY(${employers}::text[])`,
    );
    for (const u of found) unitOf.set(u.credit_code, u.id);
  }
  const regions = [...new Set(rows.map((r) => r.row.regionCode).filter((x): x is string => !!x))];
  const knownRegions = new Set<string>();
  if (regions.length > 0) {
    const found = await q.query<{ code: string }>(
      sql`SELECT code FROM regions WHERE code = ANY(${regions}::text[])`,
    );
    for (const r of found) knownRegions.add(r.code);
  }
  rows = rows.filter((r) => {
    if (r.row.employer && !unitOf.has(r.row.employer)) {
      errors.push({ no: r.no, column: '工作单位信用代码', message: '工作单位未登记，请先在基层单位中登记' });
      return false;
    }
    if (r.row.regionCode && !knownRegions.has(r.row.regionCode)) {
      errors.push({ no: r.no, column: '现住址区划代码', message: '行政区划代码不存在' });
      return false;
    }
    return true;
  });

  const counts: BatchCounts = {
    personsCreated: 0,
    personsExisting: 0,
    membershipsCreated: 0,
    membershipsExisting: 0,
    errorRows: new Set(errors.map((e) => e.no)).size,
  };
  let room = Math.max(0, MAX_STORED_ERRORS - opts.storedErrors);
  let pending = rows;
  let errs: RowErr[] = errors;
  let processed = b.processed;
  let errorRows = counts.errorRows;
  if (copy) {
    const stored = errs.slice(0, room);
    const c = await copy.write(jobId, rows, stored, unitOf, { ...opts, processed, errorRows });
    if (c) {
      counts.personsCreated += c.personsCreated;
      counts.membershipsCreated += c.membershipsCreated;
      if (c.rest.length === 0) return counts;
      room -= stored.length;
      pending = c.rest;
      errs = [];
      processed = 0;
      errorRows = 0;
    }
  }
  for (let attempt = 1; ; attempt++) {
    const stored = errs.slice(0, room);
    const [r] = await writeRetrying(() =>
      writeRows(q, jobId, pending, stored, { ...opts, room, processed, errorRows }, unitOf),
    );
    counts.personsCreated += r!.pc;
    counts.personsExisting += r!.pe;
    counts.membershipsCreated += r!.mc;
    counts.membershipsExisting += r!.mrows - r!.mc;
    counts.errorRows += r!.bad;
    room = Math.max(0, room - Math.min(room, errs.length + r!.bad));
    if (r!.missing.length === 0) break;
    const again = new Set(r!.missing);
    pending = pending.filter((x) => again.has(x.no));
    errs = [];
    processed = 0;
    errorRows = 0;
    if (attempt >= 3) {
      // persons another import keeps writing: reported, the file can be imported again
      errs = pending.map((x) => ({
        no: x.no,
        column: '身份证号',
        message: '该人员正由另一导入写入，请稍后重新导入',
      }));
      errorRows = new Set(errs.map((e) => e.no)).size;
      counts.errorRows += errorRows;
      pending = [];
    }
  }
  return counts;
}

/** Runs a statement again when PostgreSQL chose it as a deadlock or serialization victim. */
async function writeRetrying<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (attempt >= 3 || (code !== '40P01' && code !== '40001')) throw e;
    }
  }
}
