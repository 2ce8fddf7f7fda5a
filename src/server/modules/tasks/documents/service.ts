import { shanghaiYmd } from '../../../../shared/calendar/ymd.js';
import type {
  DocCreate,
  DocListQuery,
  DocView,
  DraftTask,
  DraftView,
  PublishBody,
} from '../../../../shared/contracts/tasks.js';
import { decompose } from '../../../../shared/decompose/index.js';
import { cadenceOfRecurrence } from '../../../../shared/tasks/cadence.js';
import { DOC_KINDS, type DocKind } from '../../../../shared/tasks/constants.js';
import { normalizeDocNo } from '../../../../shared/tasks/docNo.js';
import { assertAccess, scopeWhere } from '../../../platform/access.js';
import type { Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { type Queryable, type Sql, sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { conflict, forbidden, invalid, notFound, staleVersion } from '../../../platform/errors.js';
import { likeEscape, toSimplified } from '../../../platform/text.js';
import { deployTasks } from '../deploy.js';
import { cleanText, extractText } from './extract.js';
import { matchUnits } from './match.js';

interface DocRow {
  id: number;
  org_id: number;
  org_name: string;
  kind: string;
  title: string;
  doc_no: string | null;
  doc_date: string;
  body: string;
  source_name: string | null;
  status: 'draft' | 'published';
  meeting_id: number | null;
  created_by_name: string;
  created_at: Date;
  published_at: Date | null;
  version: number;
  task_count: number;
}

const SELECT = sql`SELECT d.*, o.name AS org_name, u.display_name AS created_by_name,
    (SELECT count(*)::int FROM tasks k WHERE k.document_id = d.id) AS task_count
  FROM task_documents d JOIN orgs o ON o.id = d.org_id JOIN users u ON u.id = d.created_by`;

const scopeOf = (ctx: Ctx) =>
  scopeWhere(ctx.actor, { orgId: sql.raw('d.org_id'), owner: sql.raw('d.created_by') });

function present(r: DocRow): DocView {
  return {
    id: r.id,
    org: { id: r.org_id, name: r.org_name },
    kind: r.kind as DocKind,
    kindLabel: DOC_KINDS[r.kind as DocKind] ?? r.kind,
    title: r.title,
    docNo: r.doc_no,
    docDate: r.doc_date,
    status: r.status,
    chars: r.body.length,
    sourceName: r.source_name,
    taskCount: r.task_count,
    meetingId: r.meeting_id,
    createdBy: r.created_by_name,
    createdAt: r.created_at.toISOString(),
    publishedAt: r.published_at?.toISOString() ?? null,
    version: r.version,
  };
}

/** A short title for a draft task: its first clause, without the unit and the modal verb. */
export function titleOf(text: string): string {
  const first = text.split(/[。；;！!？?\n]/)[0] ?? text;
  const t = first.replace(/^[\s，,、]+/, '').trim();
  return t.length <= 60 ? t : `${t.slice(0, 58)}…`;
}

/** Inserts a document inside a transaction (shared with meetings). */
export async function insertDocument(
  tx: Queryable,
  ctx: Ctx,
  input: DocCreate & { meetingId?: number | null },
): Promise<number> {
  await assertAccess(tx, ctx.actor, 'task:write', 'org', [input.orgId]);
  const body = cleanText(input.body);
  let docNo: string | null = null;
  if (input.docNo) {
    docNo = normalizeDocNo(input.docNo);
    if (!docNo) throw invalid('发文字号格式不正确，例如：张政发〔2026〕37号', { field: 'docNo' });
    const dup = await tx.query(
      sql`SELECT 1 FROM task_documents WHERE org_id = ${input.orgId} AND doc_no = ${docNo}`,
    );
    if (dup.length) throw conflict(`发文字号「${docNo}」已经登记过`, { field: 'docNo' });
  }
  const r = await tx.query<{
    id: number;
  }>(sql`INSERT INTO task_documents (org_id, kind, title, doc_no, doc_date, body,
      source_name, file_hash, meeting_id, created_by, created_at, updated_at)
    VALUES (${input.orgId}, ${input.kind}, ${input.title}, ${docNo}, ${input.docDate}, ${body},
      ${input.sourceName ?? null}, ${input.fileHash ?? null}, ${input.meetingId ?? null}, ${ctx.actor.userId}, ${ctx.now}, ${ctx.now})
    RETURNING id`);
  const id = r[0]!.id;
  await audit(tx, ctx, {
    action: 'task_document.create',
    entityType: 'task_document',
    entityId: id,
    orgId: input.orgId,
    after: {
      title: input.title,
      kind: input.kind,
      docNo,
      docDate: input.docDate,
      chars: body.length,
      sourceName: input.sourceName ?? null,
    },
  });
  return id;
}

export function createDocumentService(deps: Deps) {
  const { db } = deps;

  async function mustGet(q: Queryable, ctx: Ctx, id: number): Promise<DocRow> {
    const row = (await q.query<DocRow>(sql`${SELECT} WHERE d.id = ${id} AND ${scopeOf(ctx)}`))[0];
    if (!row) throw notFound('文档');
    return row;
  }

  return {
    async list(ctx: Ctx, f: DocListQuery) {
      if (!ctx.actor.permissions.has('task:read')) throw forbidden();
      const conds: Sql[] = [scopeOf(ctx)];
      if (f.status) conds.push(sql`d.status = ${f.status}`);
      if (f.q) {
        const a = `%${likeEscape(f.q)}%`;
        const b = `%${likeEscape(toSimplified(f.q))}%`;
        conds.push(sql`(d.title ILIKE ${a} OR d.title ILIKE ${b} OR d.doc_no ILIKE ${a})`);
      }
      const where = sql.and(conds);
      const [items, n] = await Promise.all([
        db.query<DocRow>(
          sql`${SELECT} WHERE ${where} ORDER BY d.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
        ),
        db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM task_documents d WHERE ${where}`),
      ]);
      return { items: items.map(present), total: n[0]?.n ?? 0 };
    },

    async get(ctx: Ctx, id: number) {
      const row = await mustGet(db, ctx, id);
      if (!ctx.actor.permissions.has('task:read')) throw forbidden();
      return { ...present(row), body: row.body };
    },

    async create(ctx: Ctx, input: DocCreate) {
      const id = await db.tx((tx) => insertDocument(tx, ctx, input));
      return present(await mustGet(db, ctx, id));
    },

    /** Reads an uploaded .txt/.docx/.doc/.xlsx/.pdf, keeps the original file, returns its text for review. */
    async extract(ctx: Ctx, name: string, bytes: Uint8Array) {
      if (!ctx.actor.permissions.has('task:write')) throw forbidden();
      const { text, format, notices } = await extractText(name, bytes);
      const fileHash = await deps.files.put(bytes);
      return { name, fileHash, text, chars: text.length, format, notices };
    },

    async match(ctx: Ctx, names: string[]) {
      if (!ctx.actor.permissions.has('task:write')) throw forbidden();
      return matchUnits(db, ctx.actor, names);
    },

    /** Runs the decomposition engine on a document and maps its units to organizations. */
    async decompose(ctx: Ctx, id: number): Promise<DraftView> {
      await assertAccess(db, ctx.actor, 'task:read', 'task_document', [id]);
      if (!ctx.actor.permissions.has('task:write')) throw forbidden();
      const doc = await mustGet(db, ctx, id);
      const t0 = performance.now();
      const r = decompose(doc.body, { date: doc.doc_date });
      const ms = Math.round(performance.now() - t0);
      const today = shanghaiYmd(ctx.now);
      const tasks: DraftTask[] = r.tasks.map((t, i) => {
        const heading = [...r.headings].reverse().find((h) => h.start <= t.start);
        const date = t.deadline?.date ?? null;
        return {
          key: `t${i + 1}`,
          title: titleOf(t.text),
          text: t.text,
          start: t.start,
          end: t.end,
          heading: heading?.text ?? null,
          lead: t.lead,
          co: t.co,
          deadline: t.deadline,
          targets: t.targets,
          // a resolved date already past cannot be a due date: left for the reviewer
          dueDate: date && date >= today ? date : null,
          cadence: cadenceOfRecurrence(t.deadline?.recurrence),
          confidence: t.confidence,
          rule: t.rule,
          why: t.why,
        };
      });
      const names = [...new Set(tasks.flatMap((t) => [...t.lead, ...t.co]))];
      return {
        documentId: doc.id,
        version: doc.version,
        docDate: doc.doc_date,
        headings: r.headings,
        tasks,
        units: names.length ? await matchUnits(db, ctx.actor, names) : [],
        unnumbered: r.headings.length === 0,
        ms,
      };
    },

    /** Publishes the reviewed tasks of a document (may be done again for more tasks). */
    async publish(ctx: Ctx, id: number, body: PublishBody) {
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'task:write', 'task_document', [id]);
        const doc = (await tx.query<DocRow>(sql`${SELECT} WHERE d.id = ${id} FOR UPDATE OF d`))[0]!;
        if (doc.version !== body.version) throw staleVersion();
        for (const [i, t] of body.tasks.entries())
          if (t.sourceEnd != null && t.sourceEnd > doc.body.length)
            throw invalid(`第 ${i + 1} 项任务的原文位置超出文档`, { index: i, field: 'sourceEnd' });
        const ownerOrgId = body.ownerOrgId ?? doc.org_id;
        const ids = await deployTasks(tx, ctx, { ownerOrgId, documentId: id, tasks: body.tasks });
        await tx.query(sql`UPDATE task_documents SET status = 'published', published_at = COALESCE(published_at, ${ctx.now}),
          version = version + 1, updated_at = ${ctx.now} WHERE id = ${id}`);
        await audit(tx, ctx, {
          action: 'task_document.publish',
          entityType: 'task_document',
          entityId: id,
          orgId: doc.org_id,
          before: { status: doc.status, version: doc.version },
          after: { status: 'published', taskIds: ids, version: doc.version + 1 },
        });
        return { taskIds: ids, version: doc.version + 1 };
      });
    },
  };
}
