/**
 * The PostgreSQL fast path of an import batch: persons not yet registered are written with
 * `COPY … FROM STDIN` (the server's bulk path: multi-row heap inserts, no per-row statement),
 * with person ids drawn ahead from the table's sequence so their memberships are copied too,
 * in one transaction with the job's counters and error rows. What COPY cannot decide is left
 * to the set-based statement (batch.ts): rows of persons who exist already (idempotent
 * re-import, name checks), and the whole batch when another transaction registered one of its
 * persons meanwhile (a unique violation rolls this transaction back, nothing is half written).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { type Queryable, sql } from '../../../platform/db/index.js';
import type { ReadyRow, RowErr } from './batch.js';

/** COPY text format of one value: \N for null, backslash escapes for the four special characters. */
function cv(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v !== 'string') return String(v);
  return /[\\\t\n\r]/.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => ESC[c]!) : v;
}
const ESC: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export interface CopyOpts {
  now: Date;
  status: 'active' | 'pending';
  today: string;
  processed: number;
  /** distinct rows among `errors` (the batch's rejected rows, already cut to what may be stored) */
  errorRows: number;
}

export interface CopyResult {
  personsCreated: number;
  membershipsCreated: number;
  /** rows whose person exists already: for the set-based statement */
  rest: ReadyRow[];
}

/** A connection pool of the import's own, for COPY (the platform's queries go through Db). */
export class CopyWriter {
  private readonly pool: pg.Pool;
  private constructor(url: string, size: number) {
    this.pool = new pg.Pool({ connectionString: url, max: size });
  }

  /** A writer on `url`, or null when `url` is not the database `db` works on (or cannot be reached). */
  static async open(url: string, size: number, db: Queryable): Promise<CopyWriter | null> {
    const w = new CopyWriter(url, size);
    try {
      const q =
        'SELECT current_database() AS d, inet_server_port() AS p, pg_postmaster_start_time()::text AS t';
      const [mine, theirs] = await Promise.all([w.pool.query(q), db.query(sql.raw(q))]);
      const a = mine.rows[0] as Record<string, unknown>;
      const b = theirs[0] as Record<string, unknown>;
      if (a.d === b.d && a.p === b.p && a.t === b.t) return w;
    } catch {
      // not reachable: the set-based path alone
    }
    await w.close();
    return null;
  }

  close() {
    return this.pool.end();
  }

  /**
   * Writes the rows whose person is new, the job's counters and `errors`, in one transaction;
   * null when a concurrent transaction registered one of the persons (then nothing is written).
   */
  async write(
    jobId: number,
    rows: readonly ReadyRow[],
    errors: readonly RowErr[],
    unitOf: ReadonlyMap<string, number>,
    o: CopyOpts,
  ): Promise<CopyResult | null> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const hashes: string[] = [];
      const seen = new Set<string>();
      for (const r of rows) if (!seen.has(r.sec.idHash) && seen.add(r.sec.idHash)) hashes.push(r.sec.idHash);
      // registered persons among the batch's, and ids for the others (one round trip)
      const pre = await client.query<{ existing: string[]; ids: number[] }>(
        `WITH h AS (SELECT p.id_hash FROM persons p WHERE p.id_hash = ANY($1::text[]))
        SELECT ARRAY(SELECT id_hash FROM h) AS existing,
          ARRAY(SELECT nextval(q.s) FROM (SELECT pg_get_serial_sequence('persons', 'id') AS s) q,
            generate_series(1, $2 - (SELECT count(*)::int FROM h)))::bigint[] AS ids`,
        [hashes, hashes.length],
      );
      const existing = new Set(pre.rows[0]!.existing);
      const ids = pre.rows[0]!.ids.map(Number);
      const rest: ReadyRow[] = [];
      const personOf = new Map<string, { id: number; frontline: boolean }>();
      const now = o.now.toISOString();
      let persons = '';
      let memberships = '';
      let personsCreated = 0;
      let membershipsCreated = 0;
      for (const r of rows) {
        const h = r.sec.idHash;
        if (existing.has(h)) {
          rest.push(r);
          continue;
        }
        const x = r.row;
        let p = personOf.get(h);
        if (p === undefined) {
          // the person as their first row in the batch gives them (frontline included)
          p = { id: ids[personsCreated++]!, frontline: x.frontline };
          personOf.set(h, p);
          const s = r.sec;
          persons += `${p.id}\t${cv(x.name)}\t${x.gender}\t${x.birthDate}\t${s.idEnc}\t${h}\t${cv(s.idMask)}\t${cv(s.phoneEnc)}\t${cv(s.phoneHash)}\t${cv(s.phoneMask)}\t${cv(x.ethnicity)}\t${cv(x.education)}\t${cv(x.politicalStatus)}\t${x.frontline}\t{${x.groups.join(',')}}\t${cv(x.disabilityCategory)}\t${cv(x.disabilityGrade)}\t${cv(x.hardshipLevel)}\t${cv(x.employer ? unitOf.get(x.employer) : null)}\t${cv(x.regionCode)}\t${cv(x.address)}\t${r.orgId}\t${now}\t${now}\n`;
        }
        const joined = x.joinedOn ?? (o.status === 'active' ? o.today : null);
        memberships += `${p.id}\t${r.orgId}\t${r.role}\t${o.status}\t${x.gender}\t${x.birthDate}\t${p.frontline}\t${cv(joined)}\t${now}\t${now}\n`;
        membershipsCreated++;
      }
      if (persons) {
        await copyIn(
          client,
          'COPY persons (id, name, gender, birth_date, id_enc, id_hash, id_mask, phone_enc, phone_hash, phone_mask, ethnicity, education, political_status, frontline, groups, disability_category, disability_grade, hardship_level, employer_unit_id, region_code, address, org_id, created_at, updated_at) FROM STDIN',
          persons,
        );
        await copyIn(
          client,
          'COPY memberships (person_id, org_id, role, status, gender, birth_date, frontline, joined_on, created_at, updated_at) FROM STDIN',
          memberships,
        );
      }
      await client.query(
        `WITH e AS (INSERT INTO import_errors (job_id, row_no, col, message)
          SELECT $1, n, c, m FROM unnest($2::int[], $3::text[], $4::text[]) AS u(n, c, m))
        UPDATE import_jobs SET processed_rows = processed_rows + $5, persons_created = persons_created + $6,
          memberships_created = memberships_created + $7, error_rows = error_rows + $8, updated_at = $9 WHERE id = $1`,
        [
          jobId,
          errors.map((e) => e.no),
          errors.map((e) => e.column),
          errors.map((e) => e.message),
          o.processed,
          personsCreated,
          membershipsCreated,
          o.errorRows,
          o.now,
        ],
      );
      await client.query('COMMIT');
      return { personsCreated, membershipsCreated, rest };
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      // another transaction registered one of these persons meanwhile: the caller takes the slow path
      // (or the two batches in flight deadlocked on it)
      const code = (e as { code?: string }).code;
      if (code === '23505' || code === '40P01' || code === '40001') return null;
      throw e;
    } finally {
      client.release();
    }
  }
}

async function copyIn(client: pg.PoolClient, statement: string, text: string) {
  await pipeline(Readable.from([text]), client.query(copyFrom(statement)));
}
