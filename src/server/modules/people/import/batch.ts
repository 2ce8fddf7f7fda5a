import type { MembershipRole } from '../../../../shared/people/dicts.js';
import type { ParsedRow, RowError } from '../../../../shared/people/importColumns.js';
import { type Queryable, sql } from '../../../platform/db/index.js';
import type { Protected } from '../protect.js';

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
 * Writes one batch in the caller's transaction: persons (deduplicated by the keyed hash of the
 * ID number: an existing person is left as it is), their memberships (an existing live one is
 * left as it is), the batch's rejected rows and the job's counters. Set-based: one statement
 * per table, arrays as parameters, so it runs near COPY speed on both engines.
 */
export async function writeBatch(
  tx: Queryable,
  jobId: number,
  b: Batch,
  opts: { now: Date; today: string; status: 'active' | 'pending'; storedErrors: number },
): Promise<BatchCounts> {
  const errors = [...b.errors];
  let rows = b.rows;
  const employers = [...new Set(rows.map((r) => r.row.employer).filter((x): x is string => !!x))];
  const unitOf = new Map<string, number>();
  if (employers.length > 0) {
    const found = await tx.query<{ id: number; credit_code: string }>(
      sql`SELECT id, credit_code FROM units WHERE credit_code = ANY(${employers}::text[])`,
    );
    for (const u of found) unitOf.set(u.credit_code, u.id);
  }
  const regions = [...new Set(rows.map((r) => r.row.regionCode).filter((x): x is string => !!x))];
  const knownRegions = new Set<string>();
  if (regions.length > 0) {
    const found = await tx.query<{ code: string }>(
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

  // persons: the first row of each person in the batch carries the person's fields
  const firstOf = new Map<string, ReadyRow>();
  for (const r of rows) if (!firstOf.has(r.sec.idHash)) firstOf.set(r.sec.idHash, r);
  const people = [...firstOf.values()];
  const col = <T>(f: (r: ReadyRow) => T) => people.map(f);
  const created = await tx.query<{
    id: number;
    id_hash: string;
  }>(sql`INSERT INTO persons (name, gender, birth_date,
      id_enc, id_hash, id_mask, phone_enc, phone_hash, phone_mask, ethnicity, education, political_status, frontline,
      groups, disability_category, disability_grade, hardship_level, employer_unit_id, region_code, address, org_id,
      created_at, updated_at)
    SELECT n, g, b, ie, ih, im, pe, ph, pm, eth, edu, pol, fl, string_to_array(gr, ','), dc, dg, hl, eu, rc, ad, o,
      ${opts.now}, ${opts.now}
    FROM unnest(${col((r) => r.row.name)}::text[], ${col((r) => r.row.gender)}::text[], ${col((r) => r.row.birthDate)}::date[],
      ${col((r) => r.sec.idEnc)}::text[], ${col((r) => r.sec.idHash)}::text[], ${col((r) => r.sec.idMask)}::text[],
      ${col((r) => r.sec.phoneEnc)}::text[], ${col((r) => r.sec.phoneHash)}::text[], ${col((r) => r.sec.phoneMask)}::text[],
      ${col((r) => r.row.ethnicity)}::text[], ${col((r) => r.row.education)}::text[], ${col((r) => r.row.politicalStatus)}::text[],
      ${col((r) => r.row.frontline)}::boolean[], ${col((r) => r.row.groups.join(','))}::text[],
      ${col((r) => r.row.disabilityCategory)}::text[], ${col((r) => r.row.disabilityGrade)}::smallint[],
      ${col((r) => r.row.hardshipLevel)}::text[], ${col((r) => (r.row.employer ? unitOf.get(r.row.employer)! : null))}::bigint[],
      ${col((r) => r.row.regionCode)}::text[], ${col((r) => r.row.address)}::text[], ${col((r) => r.orgId)}::bigint[])
      AS x(n, g, b, ie, ih, im, pe, ph, pm, eth, edu, pol, fl, gr, dc, dg, hl, eu, rc, ad, o)
    ON CONFLICT (id_hash) DO NOTHING RETURNING id, id_hash`);
  const personOf = new Map<string, { id: number; frontline: boolean }>();
  for (const c of created)
    personOf.set(c.id_hash, { id: c.id, frontline: firstOf.get(c.id_hash)!.row.frontline });
  const others = people.filter((p) => !personOf.has(p.sec.idHash)).map((p) => p.sec.idHash);
  const nameMismatch = new Set<string>();
  if (others.length > 0) {
    const found = await tx.query<{ id: number; id_hash: string; name: string; frontline: boolean }>(
      sql`SELECT id, id_hash, name, frontline FROM persons WHERE id_hash = ANY(${others}::text[])`,
    );
    for (const f of found) {
      if (f.name !== firstOf.get(f.id_hash)!.row.name) nameMismatch.add(f.id_hash);
      else personOf.set(f.id_hash, { id: f.id, frontline: f.frontline });
    }
  }
  rows = rows.filter((r) => {
    if (!nameMismatch.has(r.sec.idHash)) return true;
    errors.push({ no: r.no, column: '姓名', message: '该身份证号已登记，但姓名与已登记的不一致' });
    return false;
  });

  const m = <T>(f: (r: ReadyRow) => T) => rows.map(f);
  const joined = (r: ReadyRow) => r.row.joinedOn ?? (opts.status === 'active' ? opts.today : null);
  const inserted = await tx.query<{ n: number }>(sql`WITH ins AS (
      INSERT INTO memberships (person_id, org_id, role, status, gender, birth_date, frontline, joined_on, created_at, updated_at)
      SELECT p, o, r, ${opts.status}, g, b, fl, j, ${opts.now}, ${opts.now}
      FROM unnest(${m((r) => personOf.get(r.sec.idHash)!.id)}::bigint[], ${m((r) => r.orgId)}::bigint[],
        ${m((r) => r.role)}::text[], ${m((r) => r.row.gender)}::text[], ${m((r) => r.row.birthDate)}::date[],
        ${m((r) => personOf.get(r.sec.idHash)!.frontline)}::boolean[], ${m(joined)}::date[]) AS x(p, o, r, g, b, fl, j)
      ON CONFLICT (person_id, org_id, role) WHERE status IN ('pending', 'active') DO NOTHING RETURNING 1)
    SELECT count(*)::int AS n FROM ins`);

  const room = Math.max(0, MAX_STORED_ERRORS - opts.storedErrors);
  const stored = errors.slice(0, room);
  if (stored.length > 0) {
    await tx.query(sql`INSERT INTO import_errors (job_id, row_no, col, message)
      SELECT ${jobId}, n, c, msg FROM unnest(${stored.map((e) => e.no)}::int[], ${stored.map((e) => e.column)}::text[],
        ${stored.map((e) => e.message)}::text[]) AS x(n, c, msg)`);
  }
  const counts: BatchCounts = {
    personsCreated: created.length,
    personsExisting: people.length - created.length - nameMismatch.size,
    membershipsCreated: inserted[0]?.n ?? 0,
    membershipsExisting: rows.length - (inserted[0]?.n ?? 0),
    errorRows: new Set(errors.map((e) => e.no)).size,
  };
  await tx.query(sql`UPDATE import_jobs SET processed_rows = processed_rows + ${b.processed},
      persons_created = persons_created + ${counts.personsCreated},
      persons_existing = persons_existing + ${counts.personsExisting},
      memberships_created = memberships_created + ${counts.membershipsCreated},
      memberships_existing = memberships_existing + ${counts.membershipsExisting},
      error_rows = error_rows + ${counts.errorRows}, updated_at = ${opts.now}
    WHERE id = ${jobId}`);
  return counts;
}
