/**
 * Bulk onboarding imports (organizations, grassroots units, users) through one pipeline: the
 * upload streamed to a scratch file, its rows read and checked one by one, the whole file
 * planned against what exists, and — when it is not a dry run and no row has an error —
 * applied in one transaction (under a lock per kind, planned again inside it, so what is
 * written is what was checked). Every run is recorded with its error report; applied ones
 * are audited.
 */
import type { Readable } from 'node:stream';
import type { ImportView, PreviewNode } from '../../../shared/contracts/onboarding.js';
import { COLUMNS, type ImportKind, KIND_LABELS } from '../../../shared/onboarding/columns.js';
import type { Permission } from '../../../shared/permissions.js';
import { scopeWhere } from '../../platform/access.js';
import type { Actor, Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, forbidden, fromDbError, notFound } from '../../platform/errors.js';
import type { SheetSpec } from '../../platform/sheets/sheets.js';
import { type FileRow, fileRows, withUpload } from './files.js';
import { orgImporter } from './orgImporter.js';
import type { PlanError } from './orgTree.js';
import { unitImporter } from './unitImporter.js';
import { userImporter } from './userImporter.js';

/** What one kind of import plugs into the pipeline. */
export interface Importer<Row, State, Plan extends { errors: PlanError[] }> {
  permission: Permission;
  /** reads what the rows are checked against (inside the applying transaction when applying) */
  load(q: Queryable, ctx: Ctx, deps: Deps): Promise<State>;
  parse(r: FileRow, s: State): { ok: true; row: Row } | { ok: false; errors: PlanError[] };
  plan(q: Queryable, rows: Row[], s: State, ctx: Ctx): Promise<Plan>;
  counts(p: Plan): { created: number; updated: number; unchanged: number };
  preview(p: Plan, s: State): { nodes: PreviewNode[]; truncated: boolean };
  /** writes a plan without errors; returns what the audit event records */
  apply(tx: Queryable, p: Plan, s: State, ctx: Ctx): Promise<Record<string, unknown>>;
}

// biome-ignore lint/suspicious/noExplicitAny: the importers differ in their row and plan types
type AnyImporter = Importer<any, any, any>;
const IMPORTERS: Record<ImportKind, AnyImporter> = {
  orgs: orgImporter,
  units: unitImporter,
  users: userImporter,
};
const LOCK: Record<ImportKind, number> = { orgs: 424301, units: 424302, users: 424303 };
const STORED_ERRORS = 10_000;
const SHOWN_ERRORS = 200;

interface ImportRow {
  id: number;
  kind: ImportKind;
  file_name: string;
  dry_run: boolean;
  status: ImportView['status'];
  total_rows: number;
  created: number;
  updated: number;
  unchanged: number;
  error_rows: number;
  message: string | null;
  created_at: Date;
  errors: PlanError[];
}

const SELECT = sql`SELECT i.id, i.kind, i.file_name, i.dry_run, i.status, i.total_rows, i.created, i.updated,
  i.unchanged, i.error_rows, i.message, i.created_at, i.errors FROM onboarding_imports i`;

function present(r: ImportRow, preview: { nodes: PreviewNode[]; truncated: boolean } | null): ImportView {
  return {
    id: Number(r.id),
    kind: r.kind,
    fileName: r.file_name,
    dryRun: r.dry_run,
    status: r.status,
    totalRows: r.total_rows,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    errorRows: r.error_rows,
    message: r.message,
    createdAt: r.created_at.toISOString(),
    errors: (r.errors ?? []).slice(0, SHOWN_ERRORS),
    preview: preview?.nodes ?? null,
    previewTruncated: preview?.truncated ?? false,
  };
}

export function requireKind(actor: Actor, kind: ImportKind) {
  if (!actor.permissions.has(IMPORTERS[kind].permission)) throw forbidden();
}

export function createOnboardingService(deps: Deps) {
  const { db } = deps;
  /** Imports are seen by their importer and by whoever has the importer's organization in scope. */
  const importScope = (actor: Actor) =>
    scopeWhere(actor, { orgId: sql.raw('i.org_id'), owner: sql.raw('i.user_id') });

  async function readAll(kind: ImportKind, path: string, format: 'csv' | 'xlsx', state: unknown) {
    const imp = IMPORTERS[kind];
    const rows: unknown[] = [];
    const errors: PlanError[] = [];
    let total = 0;
    for await (const r of fileRows(path, format, COLUMNS[kind])) {
      total++;
      const p = imp.parse(r, state);
      if (p.ok) rows.push(p.row);
      else errors.push(...p.errors);
    }
    return { rows, errors, total };
  }

  return {
    /**
     * Checks and (unless `dryRun`) applies one uploaded file. A file with any error row is
     * refused whole: the answer and the error report list every error, nothing is written.
     */
    async run(
      ctx: Ctx,
      kind: ImportKind,
      file: { filename: string; file: Readable & { truncated?: boolean } },
      dryRun: boolean,
    ): Promise<ImportView> {
      requireKind(ctx.actor, kind);
      const imp = IMPORTERS[kind];
      return withUpload(deps, file, async (path, format) => {
        const check = async (q: Queryable) => {
          const state = await imp.load(q, ctx, deps);
          const read = await readAll(kind, path, format, state);
          const plan = await imp.plan(q, read.rows, state, ctx);
          const errors = [...read.errors, ...plan.errors].sort((a, b) => a.row - b.row);
          return { state, plan, errors, total: read.total };
        };
        const record = async (
          q: Queryable,
          c: Awaited<ReturnType<typeof check>>,
          status: ImportView['status'],
          message: string,
        ) => {
          const n = imp.counts(c.plan);
          const errorRows = new Set(c.errors.map((e) => e.row)).size;
          const r =
            await q.query<ImportRow>(sql`INSERT INTO onboarding_imports (kind, user_id, org_id, file_name,
              dry_run, status, total_rows, created, updated, unchanged, error_rows, errors, message, created_at)
            VALUES (${kind}, ${ctx.actor.userId}, ${ctx.actor.orgId}, ${file.filename.slice(-200)}, ${dryRun},
              ${status}, ${c.total}, ${n.created}, ${n.updated}, ${n.unchanged}, ${errorRows},
              ${JSON.stringify(c.errors.slice(0, STORED_ERRORS))}::jsonb, ${message}, ${ctx.now})
            RETURNING id, kind, file_name, dry_run, status, total_rows, created, updated, unchanged, error_rows,
              message, created_at, errors`);
          return r[0]!;
        };
        const summary = (c: Awaited<ReturnType<typeof check>>) => {
          const n = imp.counts(c.plan);
          return `新增 ${n.created}，更新 ${n.updated}，无变化 ${n.unchanged}`;
        };

        if (dryRun) {
          const c = await check(db);
          const message =
            c.errors.length > 0
              ? `预检发现 ${new Set(c.errors.map((e) => e.row)).size} 行有错误，修正后再导入；若导入将${summary(c)}`
              : `预检通过：导入将${summary(c)}`;
          const row = await record(db, c, 'previewed', message);
          return present(row, imp.preview(c.plan, c.state));
        }
        try {
          return await db.tx(async (tx) => {
            await tx.query(sql`SELECT pg_advisory_xact_lock(${LOCK[kind]})`);
            const c = await check(tx);
            if (c.errors.length > 0) throw new Refused(c);
            const applied = await imp.apply(tx, c.plan, c.state, ctx);
            const row = await record(tx, c, 'applied', `导入完成：${summary(c)}`);
            await audit(tx, ctx, {
              action: `onboarding.import_${kind}`,
              entityType: 'onboarding_import',
              entityId: row.id,
              orgId: ctx.actor.orgId,
              after: { fileName: row.file_name, totalRows: c.total, ...imp.counts(c.plan), ...applied },
            });
            return present(row, imp.preview(c.plan, c.state));
          });
        } catch (e) {
          if (e instanceof Refused) {
            const c = e.check as Awaited<ReturnType<typeof check>>;
            const rows = new Set(c.errors.map((x) => x.row)).size;
            const row = await record(
              db,
              c,
              'refused',
              `${rows} 行有错误，未导入任何数据；请下载错误报告，修正后重新导入`,
            );
            return present(row, imp.preview(c.plan, c.state));
          }
          const dbErr = fromDbError(e);
          if (dbErr)
            throw new AppError(
              'CONFLICT',
              `导入时数据已被他人修改，未导入任何数据，请重新导入（${dbErr.message}）`,
            );
          throw e;
        }
      });
    },

    async list(ctx: Ctx, f: { kind?: ImportKind; page: number; pageSize: number }) {
      // only the kinds the caller may import (the total counts those too)
      const kinds = (Object.keys(IMPORTERS) as ImportKind[]).filter(
        (k) => canSee(ctx.actor, k) && (!f.kind || f.kind === k),
      );
      const where = sql.and([importScope(ctx.actor), sql`i.kind = ANY(${kinds}::text[])`]);
      const [rows, count] = await Promise.all([
        db.query<ImportRow>(
          sql`${SELECT} WHERE ${where} ORDER BY i.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
        ),
        db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM onboarding_imports i WHERE ${where}`),
      ]);
      return {
        items: rows
          .filter((r) => canSee(ctx.actor, r.kind))
          .map((r) => ({ ...present(r, null), errors: [] })),
        total: count[0]?.n ?? 0,
      };
    },

    async get(ctx: Ctx, id: number): Promise<ImportRow> {
      const rows = await db.query<ImportRow>(sql`${SELECT} WHERE i.id = ${id} AND ${importScope(ctx.actor)}`);
      const r = rows[0];
      if (!r) throw notFound('导入记录');
      requireKind(ctx.actor, r.kind);
      return r;
    },

    view: (r: ImportRow) => present(r, null),

    /** The error report, in the people import's form: row, column, message (never the values). */
    errorReport(r: ImportRow): SheetSpec {
      return {
        name: '错误报告',
        columns: [
          { header: '行号', width: 10 },
          { header: '列', width: 18 },
          { header: '错误说明', width: 60 },
        ],
        rows: (r.errors ?? []).map((e) => [e.row, e.column ?? '', e.message]),
      };
    },
  };
}

const canSee = (actor: Actor, kind: ImportKind) => actor.permissions.has(IMPORTERS[kind].permission);

class Refused extends Error {
  constructor(readonly check: unknown) {
    super('refused');
  }
}

export const kindLabel = (k: ImportKind) => KIND_LABELS[k];
