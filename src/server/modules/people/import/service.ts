import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IMPORT_STATUS, type ImportJobView } from '../../../../shared/contracts/peopleImport.js';
import {
  DISABILITY_CATEGORIES,
  DISABILITY_GRADES,
  EDUCATION,
  GENDERS,
  HARDSHIP_LEVELS,
  MEMBERSHIP_ROLES,
  POLITICAL_STATUS,
} from '../../../../shared/people/dicts.js';
import { IMPORT_COLUMNS, type ImportKey, MAX_IMPORT_BYTES } from '../../../../shared/people/importColumns.js';
import { assertAccess, scopeWhere } from '../../../platform/access.js';
import type { Ctx } from '../../../platform/actor.js';
import { sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, forbidden, invalid } from '../../../platform/errors.js';
import { enqueue } from '../../../platform/jobs.js';
import { formatOf, sniff } from '../../../platform/sheets/rows.js';
import type { Cell, SheetSpec } from '../../../platform/sheets/sheets.js';
import { IMPORT_TOPIC, importDir, importFile } from './job.js';

interface JobRow {
  id: number;
  org_id: number;
  file_name: string;
  file_format: 'csv' | 'xlsx';
  file_size: number;
  status: keyof typeof IMPORT_STATUS;
  total_rows: number | null;
  processed_rows: number;
  persons_created: number;
  persons_existing: number;
  memberships_created: number;
  memberships_existing: number;
  error_rows: number;
  message: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

function present(r: JobRow): ImportJobView {
  const percent =
    r.status === 'done'
      ? 100
      : r.total_rows
        ? Math.min(99, Math.floor((r.processed_rows / r.total_rows) * 100))
        : 0;
  return {
    id: r.id,
    orgId: r.org_id,
    fileName: r.file_name,
    fileFormat: r.file_format,
    fileSize: r.file_size,
    status: r.status,
    statusLabel: IMPORT_STATUS[r.status],
    totalRows: r.total_rows,
    processedRows: r.processed_rows,
    percent,
    personsCreated: r.persons_created,
    personsExisting: r.persons_existing,
    membershipsCreated: r.memberships_created,
    membershipsExisting: r.memberships_existing,
    errorRows: r.error_rows,
    message: r.message,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

const SELECT = sql`SELECT id, org_id, file_name, file_format, file_size, status, total_rows, processed_rows, persons_created,
  persons_existing, memberships_created, memberships_existing, error_rows, message, created_at, started_at, finished_at
  FROM import_jobs j`;

/** The drop-down of each single-choice column of the template. */
const TEMPLATE_CHOICES: Partial<Record<ImportKey, readonly string[]>> = {
  gender: Object.values(GENDERS),
  education: Object.values(EDUCATION),
  politicalStatus: Object.values(POLITICAL_STATUS),
  frontline: ['是', '否'],
  disabilityCategory: Object.values(DISABILITY_CATEGORIES),
  disabilityGrade: Object.values(DISABILITY_GRADES),
  hardshipLevel: Object.values(HARDSHIP_LEVELS),
  role: Object.values(MEMBERSHIP_ROLES),
};

export function createImportService(deps: Deps) {
  const { db } = deps;
  const jobScope = (ctx: Ctx) =>
    scopeWhere(ctx.actor, { orgId: sql.raw('j.org_id'), owner: sql.raw('j.user_id') });

  return {
    /** Checks access before the upload is read: the organization to import into must be in scope. */
    async assertCanImport(ctx: Ctx, orgId: number) {
      await assertAccess(db, ctx.actor, 'person:import', 'org', [orgId]);
    },

    /**
     * Stores an uploaded file (streamed to disk, never whole in memory), checks it is what its
     * name says, and queues the import job in the same transaction as the job row.
     */
    async upload(
      ctx: Ctx,
      orgId: number,
      file: { filename: string; file: Readable & { truncated?: boolean } },
    ) {
      await assertAccess(db, ctx.actor, 'person:import', 'org', [orgId]);
      const format = formatOf(file.filename);
      if (!format) {
        file.file.resume();
        throw invalid('只支持导入 .xlsx 或 .csv 文件', { field: 'file' });
      }
      await mkdir(importDir(deps), { recursive: true, mode: 0o700 });
      const tmp = join(importDir(deps), `upload-${randomBytes(8).toString('hex')}.${format}`);
      try {
        // owner-only: the file holds ID numbers and phones in clear until the job ends (then it is deleted)
        await pipeline(file.file, createWriteStream(tmp, { mode: 0o600 }));
        if (file.file.truncated)
          throw new AppError(
            'PAYLOAD_TOO_LARGE',
            `文件超过 ${MAX_IMPORT_BYTES / 1024 / 1024} MB 的上限，请拆分后导入`,
          );
        await sniff(tmp, format);
        const size = (await stat(tmp)).size;
        const name = file.filename.slice(-200);
        return await db.tx(async (tx) => {
          const rows = await tx.query<{
            id: number;
          }>(sql`INSERT INTO import_jobs (org_id, user_id, file_name, file_format,
              file_size, status, created_at, updated_at)
            VALUES (${orgId}, ${ctx.actor.userId}, ${name}, ${format}, ${size}, 'queued', ${ctx.now}, ${ctx.now}) RETURNING id`);
          const id = rows[0]!.id;
          await enqueue(tx, ctx, IMPORT_TOPIC, { jobId: id });
          await rename(tmp, importFile(deps, id, format));
          return present((await tx.query<JobRow>(sql`${SELECT} WHERE j.id = ${id}`))[0]!);
        });
      } finally {
        await rm(tmp, { force: true });
      }
    },

    async list(ctx: Ctx, f: { orgId?: number; page: number; pageSize: number }) {
      if (!ctx.actor.permissions.has('person:import')) throw forbidden();
      const where = sql.and([jobScope(ctx), f.orgId ? sql`j.org_id = ${f.orgId}` : sql.raw('TRUE')]);
      const [rows, count] = await Promise.all([
        db.query<JobRow>(
          sql`${SELECT} WHERE ${where} ORDER BY j.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
        ),
        db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM import_jobs j WHERE ${where}`),
      ]);
      return { items: rows.map(present), total: count[0]?.n ?? 0 };
    },

    async get(ctx: Ctx, id: number) {
      await assertAccess(db, ctx.actor, 'person:import', 'import_job', [id]);
      return present((await db.query<JobRow>(sql`${SELECT} WHERE j.id = ${id}`))[0]!);
    },

    /** The error report of a job: row, column, message (never the rejected values). */
    async errorReport(ctx: Ctx, id: number): Promise<SheetSpec> {
      await assertAccess(db, ctx.actor, 'person:import', 'import_job', [id]);
      async function* rows(): AsyncGenerator<Cell[]> {
        let after = 0;
        for (;;) {
          const page = await db.query<{ id: number; row_no: number; col: string | null; message: string }>(
            sql`SELECT id, row_no, col, message FROM import_errors WHERE job_id = ${id} AND id > ${after} ORDER BY id LIMIT 5000`,
          );
          for (const e of page) yield [e.row_no, e.col ?? '', e.message];
          if (page.length < 5000) return;
          after = page[page.length - 1]!.id;
        }
      }
      return {
        name: '错误报告',
        columns: [
          { header: '行号', width: 10 },
          { header: '列', width: 18 },
          { header: '错误说明', width: 60 },
        ],
        rows: rows(),
      };
    },

    async errorList(ctx: Ctx, id: number) {
      await assertAccess(db, ctx.actor, 'person:import', 'import_job', [id]);
      const rows = await db.query<{ row_no: number; col: string | null; message: string }>(
        sql`SELECT row_no, col, message FROM import_errors WHERE job_id = ${id} ORDER BY id LIMIT 1000`,
      );
      return rows.map((r) => ({ row: r.row_no, column: r.col, message: r.message }));
    },

    template(): SheetSpec {
      // required columns marked *, the allowed values as drop-downs, one example row that imports as it is
      return {
        name: '人员导入模板',
        columns: IMPORT_COLUMNS.map((c) => ({
          header: c.required ? `*${c.header}` : c.header,
          text: true,
          width: c.key === 'idNumber' || c.key === 'employer' ? 22 : undefined,
          choices: TEMPLATE_CHOICES[c.key],
        })),
        rows: [IMPORT_COLUMNS.map((c) => c.example)],
      };
    },
  };
}
