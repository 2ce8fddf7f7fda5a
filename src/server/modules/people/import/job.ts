import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { shanghaiYmd } from '../../../../shared/calendar/ymd.js';
import type { OrgType } from '../../../../shared/orgs.js';
import {
  IMPORT_COLUMNS,
  type ImportKey,
  MAX_CELL_CHARS,
  MAX_IMPORT_ROWS,
  mapHeader,
  parseImportRow,
} from '../../../../shared/people/importColumns.js';
import { eligibility, MEMBERSHIP_RULES } from '../../../../shared/people/rules.js';
import type { Actor, Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError } from '../../../platform/errors.js';
import { enqueue } from '../../../platform/jobs.js';
import { loadActor } from '../../../platform/sessions.js';
import { countRows, type FileFormat, readRows } from '../../../platform/sheets/rows.js';
import { orgInScope, personScope } from '../scope.js';
import { type Batch, type BatchCounts, MAX_STORED_ERRORS, type RowErr, writeBatch } from './batch.js';
import { CopyWriter } from './copy.js';
import { FileDedupe } from './dedupe.js';
import { inlineSealer, type Sealer, unsealed, workerSealer } from './seal.js';

export const importDir = (deps: Deps) => join(deps.config.dataDir, 'imports');
export const importFile = (deps: Deps, jobId: number, format: FileFormat) =>
  join(importDir(deps), `${jobId}.${format}`);

interface JobRow {
  id: number;
  org_id: number;
  user_id: number;
  file_name: string;
  file_format: FileFormat;
}

interface OrgInfo {
  id: number;
  type: OrgType;
  active: boolean;
}

/** Organizations a job may import into: the job's organization and its subtree, inside the actor's scope. */
async function orgIndex(deps: Deps, actor: Actor, orgId: number) {
  const rows = await deps.db.query<{
    id: number;
    name: string;
    type: OrgType;
    status: string;
  }>(sql`SELECT o.id, o.name, o.type, o.status
    FROM orgs o WHERE o.path LIKE (SELECT x.path FROM orgs x WHERE x.id = ${orgId}) || '%' AND ${orgInScope(actor, 'o')}`);
  const byId = new Map<number, OrgInfo>();
  const byName = new Map<string, number>();
  for (const r of rows) {
    byId.set(r.id, { id: r.id, type: r.type, active: r.status === 'active' });
    byName.set(r.name, byName.has(r.name) ? -1 : r.id);
  }
  return { byId, byName };
}

/** Attempts of a job (the first run and the resumptions after a worker died) before it fails. */
export const MAX_IMPORT_ATTEMPTS = 3;

/**
 * Runs one import job: checks the file (format, header, row cap) before writing anything,
 * then streams its rows in batches, each batch one transaction (valid rows in, rejected rows
 * to the error report, progress counters). Idempotent: persons and memberships that exist
 * already are left as they are, so running a job or a file twice changes nothing more. A job
 * whose worker died is queued again when its lease expires and resumes (see `earlier`).
 */
export async function runImport(deps: Deps, jobId: number, opts: { batchSize?: number } = {}): Promise<void> {
  const { db } = deps;
  const leaseMs = deps.config.jobLeaseSeconds * 1000;
  const leaseEnd = () => new Date(deps.clock.now().getTime() + leaseMs);
  // a queued job (or one queued again after its worker died: requeueStuckImports): this
  // worker takes it and holds it while it runs by renewing its lease
  const claimed = await db.query<
    JobRow & { attempts: number; resumed: boolean; persons_created: number; memberships_created: number }
  >(sql`UPDATE import_jobs SET status = 'checking', started_at = COALESCE(started_at, ${deps.clock.now()}),
      lease_until = ${leaseEnd()}, attempts = attempts + 1, updated_at = ${deps.clock.now()}
    WHERE id = ${jobId} AND status = 'queued'
    RETURNING id, org_id, user_id, file_name, file_format, attempts, attempts > 1 AS resumed,
      persons_created, memberships_created`);
  const job = claimed[0];
  if (!job) return;
  const renew = setInterval(
    () => {
      db.query(sql`UPDATE import_jobs SET lease_until = ${leaseEnd()} WHERE id = ${job.id}
        AND status IN ('checking', 'importing')`).catch((err) =>
        deps.log.warn({ err, jobId: job.id }, 'import lease not renewed'),
      );
    },
    Math.max(500, leaseMs / 3),
  );
  renew.unref();
  const path = importFile(deps, job.id, job.file_format);
  const actor = await loadActor(db, job.user_id, 'system');
  const ctx = (a: Actor): Ctx => ({
    actor: a,
    requestId: `import-${job.id}`,
    ip: null,
    now: deps.clock.now(),
  });
  const totals: BatchCounts = {
    personsCreated: 0,
    personsExisting: 0,
    membershipsCreated: 0,
    membershipsExisting: 0,
    errorRows: 0,
  };
  let totalRows = 0;
  const inflight: Promise<void>[] = [];
  /** cells read through a synonym: `列“原值”→“标准值”` → rows */
  const normalized = new Map<string, number>();
  let sealer: Sealer = inlineSealer(deps.pii);
  let copy: CopyWriter | undefined;

  async function finish(status: 'done' | 'failed', message: string) {
    clearInterval(renew);
    await sealer.close();
    await copy?.close();
    // the plaintext upload goes before the job reads as finished, so nobody sees it linger
    await rm(path, { force: true });
    await db.tx(async (tx) => {
      // a resumed run saw the rows of the earlier run as existing: they were created
      await tx.query(sql`UPDATE import_jobs SET status = ${status}, message = ${message}, finished_at = ${deps.clock.now()},
          persons_existing = GREATEST(0, persons_existing - ${earlier.persons}),
          memberships_existing = GREATEST(0, memberships_existing - ${earlier.memberships}),
          lease_until = NULL, updated_at = ${deps.clock.now()} WHERE id = ${job!.id}`);
      if (actor)
        await audit(tx, ctx(actor), {
          action: 'person.import',
          entityType: 'import_job',
          entityId: job!.id,
          orgId: job!.org_id,
          after: { status, fileName: job!.file_name, totalRows, ...totals, message },
        });
    });
  }

  // Resuming after a worker died: its committed batches stay (rows are written idempotently:
  // existing persons and memberships are left as they are), and the file is read again from
  // the start, so its counters start again but for what the earlier run created — which
  // this run sees as existing and the final counts give back as created.
  const earlier = job.resumed
    ? { persons: job.persons_created, memberships: job.memberships_created }
    : { persons: 0, memberships: 0 };
  totals.personsCreated = earlier.persons;
  totals.membershipsCreated = earlier.memberships;
  totals.personsExisting = -earlier.persons;
  totals.membershipsExisting = -earlier.memberships;
  if (job.resumed) {
    deps.log.warn({ jobId: job.id, attempt: job.attempts }, 'import resumed after its worker stopped');
    await db.tx(async (tx) => {
      await tx.query(sql`DELETE FROM import_errors WHERE job_id = ${job.id}`);
      await tx.query(sql`UPDATE import_jobs SET processed_rows = 0, error_rows = 0, persons_existing = 0,
        memberships_existing = 0 WHERE id = ${job.id}`);
    });
  }

  try {
    if (job.attempts > MAX_IMPORT_ATTEMPTS)
      throw new AppError(
        'CONFLICT',
        `导入已中断 ${job.attempts - 1} 次（处理进程意外停止），已停止重试；已写入的行保留，请重新上传同一文件继续导入（已导入的不会重复）`,
      );
    if (!actor?.permissions.has('person:import'))
      throw new AppError('FORBIDDEN', '导入用户已停用或没有导入权限');
    const counted = await countRows(path, job.file_format);
    totalRows = Math.max(0, counted - 1);
    if (totalRows > MAX_IMPORT_ROWS)
      throw new AppError(
        'VALIDATION',
        `文件约有 ${totalRows} 行数据，超过单个文件 ${MAX_IMPORT_ROWS} 行的上限；请拆分后导入，本次未导入任何数据`,
      );
    await db.query(sql`UPDATE import_jobs SET status = 'importing', total_rows = ${totalRows}, updated_at = ${deps.clock.now()}
      WHERE id = ${job.id}`);
    const orgs = await orgIndex(deps, actor, job.org_id);
    const today = shanghaiYmd(deps.clock.now());
    const status = actor.permissions.has('membership:approve') ? 'active' : 'pending';
    // persons registered outside the importer's scope are refused row by row, not attached (关联申请)
    const visible = personScope(actor);
    const batchSize = opts.batchSize ?? 2000;
    // business time of the whole file (birth dates and ages are checked against it)
    const now = deps.clock.now();
    // encryption on a worker thread while this one reads on (inline where no worker can run)
    sealer = (await workerSealer(deps.pii, deps.config)) ?? inlineSealer(deps.pii);
    const dedupe = new FileDedupe(Math.min(totalRows, MAX_IMPORT_ROWS) + 16);
    // PostgreSQL: two batches in flight on two connections (rows sorted by hash: one lock order)
    const depth = db.engine === 'postgres' ? 2 : 1;
    // PostgreSQL: new persons and their memberships through COPY, on connections of the import's own
    if (db.engine === 'postgres' && deps.config.databaseUrl)
      copy = (await CopyWriter.open(deps.config.databaseUrl, depth, db)) ?? undefined;
    let index: Record<ImportKey, number> | undefined;
    let batch: Batch = { rows: [], errors: [], processed: 0 };
    let stored = 0;
    let read = 0;

    const flush = async () => {
      const b = batch;
      batch = { rows: [], errors: [], processed: 0 };
      b.rows.sort((x, y) => (x.sec.idHash < y.sec.idHash ? -1 : x.sec.idHash > y.sec.idHash ? 1 : 0));
      if (inflight.length >= depth) await inflight.shift();
      const storedBefore = stored;
      stored += b.errors.length;
      const p = sealer
        .seal(b.rows)
        .then(() =>
          writeBatch(
            db,
            job.id,
            b,
            { now: deps.clock.now(), today, status, storedErrors: storedBefore, visible },
            copy,
          ),
        )
        .then((c) => {
          for (const k of Object.keys(totals) as (keyof BatchCounts)[]) totals[k] += c[k];
        });
      p.catch(() => undefined);
      inflight.push(p);
    };

    for await (const r of readRows(path, job.file_format)) {
      if (!index) {
        if (r.cells.every((c) => c.trim() === '')) continue;
        const header = mapHeader(r.cells);
        if ('missing' in header)
          throw new AppError('VALIDATION', `表头缺少必填列：${header.missing.join('、')}；请使用导入模板`);
        index = header.index;
        continue;
      }
      if (++read > MAX_IMPORT_ROWS) break;
      batch.processed++;
      if (r.cells.every((c) => c.trim() === '')) continue;
      const errs: RowErr[] = [];
      const parsed = parseImportRow(r.cells, index, now);
      if (!parsed.ok) {
        for (const e of parsed.errors) errs.push({ no: r.no, ...e });
      } else {
        const row = parsed.row;
        for (const n of row.normalized) {
          const k = `${n.column}“${n.from}”→“${n.to}”`;
          normalized.set(k, (normalized.get(k) ?? 0) + 1);
        }
        const ref = row.org;
        const orgId = ref === '' ? job.org_id : /^\d+$/.test(ref) ? Number(ref) : (orgs.byName.get(ref) ?? 0);
        const org = orgs.byId.get(orgId);
        const role = org ? (row.role ?? MEMBERSHIP_RULES[org.type]?.memberRole ?? null) : null;
        if (orgId === -1)
          errs.push({ no: r.no, column: '所属组织', message: '组织名称不唯一，请填写组织编号' });
        else if (!org)
          errs.push({ no: r.no, column: '所属组织', message: '所属组织不存在，或不在本次导入的组织范围内' });
        else if (!org.active) errs.push({ no: r.no, column: '所属组织', message: '所属组织已停用' });
        else if (!role)
          errs.push({
            no: r.no,
            column: '会籍身份',
            message: '该类组织没有个人会员，请填写会籍身份（如执委/委员、代表）',
          });
        else {
          const why = eligibility(org.type, role, row, today);
          if (why) errs.push({ no: r.no, column: '会籍身份', message: why });
          else if (row.joinedOn && row.joinedOn > today)
            errs.push({ no: r.no, column: '入会日期', message: '入会日期不能晚于今天' });
          else {
            const sec = unsealed(deps.pii, row.idNumber, row.phone);
            const dup = dedupe.check(sec.idHash, row.name, org.id, role, r.no);
            if (dup) errs.push({ no: r.no, column: '身份证号', message: dup });
            else batch.rows.push({ no: r.no, row, orgId: org.id, role, sec });
          }
        }
      }
      if (errs.length > 0) batch.errors.push(...errs);
      if (batch.rows.length + batch.errors.length >= batchSize) await flush();
    }
    if (!index) throw new AppError('VALIDATION', '文件没有表头和数据行；请使用导入模板');
    await flush();
    for (const p of inflight.splice(0)) await p;
    const stats = `新增人员 ${totals.personsCreated}，已存在 ${totals.personsExisting}；新增会籍 ${totals.membershipsCreated}，已存在 ${totals.membershipsExisting}；错误 ${totals.errorRows} 行`;
    const capped = stored > MAX_STORED_ERRORS ? `（错误明细仅保留前 ${MAX_STORED_ERRORS} 条）` : '';
    // every value read through a synonym or spelling variant is reported (the first 20 kinds, with their rows)
    const readAs = [...normalized].slice(0, 20).map(([k, n]) => `${k}（${n} 行）`);
    const notes =
      readAs.length > 0
        ? `；按标准名称读取：${readAs.join('、')}${normalized.size > 20 ? ` 等 ${normalized.size} 种` : ''}`
        : '';
    await finish('done', `导入完成：${stats}${capped}${notes}`);
  } catch (e) {
    for (const p of inflight.splice(0)) await p.catch(() => undefined);
    const written = totals.membershipsCreated + totals.personsCreated > 0;
    const message =
      (e instanceof AppError
        ? e.message
        : `导入失败：无法读取或写入数据（单元格不超过 ${MAX_CELL_CHARS} 字）`) +
      (written ? '；此前已写入的行保留，修正后重新导入同一文件即可（已导入的不会重复）' : '');
    if (!(e instanceof AppError)) deps.log.error({ err: e, jobId: job.id }, 'import failed');
    await finish('failed', message).catch((err) =>
      deps.log.error({ err, jobId: job.id }, 'import finish failed'),
    );
  }
}

export const IMPORT_TOPIC = 'people.import';

/**
 * Takes up the jobs whose worker died (lease expired): queues each again, and the worker
 * that runs it claims it (runImport) and resumes it. Run periodically by the processes
 * that run jobs.
 */
export async function requeueStuckImports(deps: Deps): Promise<number> {
  const now = deps.clock.now();
  return deps.db.tx(async (tx) => {
    const stuck = await tx.query<{
      id: number;
    }>(sql`UPDATE import_jobs SET status = 'queued', lease_until = NULL,
        message = '处理进程意外停止，等待继续导入', updated_at = ${now}
      WHERE status IN ('checking', 'importing') AND COALESCE(lease_until, '-infinity') < ${now}
      RETURNING id`);
    for (const j of stuck) await enqueue(tx, { now }, IMPORT_TOPIC, { jobId: j.id });
    return stuck.length;
  });
}

export const templateHeaders = () => IMPORT_COLUMNS.map((c) => c.header);
