import { assertAccess } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, conflict, forbidden, invalid, notFound } from '../../platform/errors.js';
import { addEvent, findAppeal } from './repo.js';

export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_FILES_PER_APPEAL = 30;

const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const starts = (b: Uint8Array, sig: readonly number[], at = 0) => sig.every((v, i) => b[at + i] === v);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Allowed types: the extension names the type, the leading bytes must prove it. */
const TYPES: Record<string, { mime: string; check: (b: Uint8Array) => boolean }> = {
  jpg: { mime: 'image/jpeg', check: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  jpeg: { mime: 'image/jpeg', check: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  png: { mime: 'image/png', check: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  gif: { mime: 'image/gif', check: (b) => starts(b, ascii('GIF8')) },
  webp: { mime: 'image/webp', check: (b) => starts(b, ascii('RIFF')) && starts(b, ascii('WEBP'), 8) },
  pdf: { mime: 'application/pdf', check: (b) => starts(b, ascii('%PDF-')) },
  doc: { mime: 'application/msword', check: (b) => starts(b, OLE) },
  xls: { mime: 'application/vnd.ms-excel', check: (b) => starts(b, OLE) },
  ppt: { mime: 'application/vnd.ms-powerpoint', check: (b) => starts(b, OLE) },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    check: (b) => zipWith(b, 'word/'),
  },
  xlsx: {
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    check: (b) => zipWith(b, 'xl/'),
  },
  pptx: {
    mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    check: (b) => zipWith(b, 'ppt/'),
  },
};

/** A ZIP (PK\3\4) holding an entry under `dir` (Office Open XML). */
function zipWith(b: Uint8Array, dir: string): boolean {
  if (!starts(b, [0x50, 0x4b, 0x03, 0x04])) return false;
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).includes(dir, 0, 'latin1');
}

/** Checks a file's name, size and type; returns the verified MIME type. */
export function checkFile(name: string, bytes: Uint8Array): string {
  if (bytes.length === 0) throw invalid('文件为空', { field: 'file' });
  if (bytes.length > MAX_FILE_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', '文件不能超过 10 MB');
  const ext = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const t = TYPES[ext];
  if (!t) throw invalid('只能上传图片（jpg、png、gif、webp）、PDF 或 Office 文档', { field: 'name' });
  if (!t.check(bytes)) throw invalid('文件内容与扩展名不符', { field: 'file', reason: 'disguised' });
  return t.mime;
}

export const cleanName = (name: string) =>
  [...name]
    .map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? '_' : c))
    .join('')
    .slice(-120) || 'file';

async function store(
  deps: Deps,
  q: Queryable,
  appealId: number,
  name: string,
  bytes: Uint8Array,
  mime: string,
  by: number | null,
  now: Date,
) {
  const n = await q.query<{ n: number }>(
    sql`SELECT count(*)::int AS n FROM appeal_files WHERE appeal_id = ${appealId}`,
  );
  if ((n[0]?.n ?? 0) >= MAX_FILES_PER_APPEAL) throw conflict(`每件诉求最多 ${MAX_FILES_PER_APPEAL} 个附件`);
  const hash = await deps.files.put(bytes);
  const r = await q.query<{
    id: number;
  }>(sql`INSERT INTO appeal_files (appeal_id, hash, name, mime, size, uploaded_by, created_at)
    VALUES (${appealId}, ${hash}, ${cleanName(name)}, ${mime}, ${bytes.length}, ${by}, ${now}) RETURNING id`);
  return { id: r[0]!.id, name: cleanName(name), size: bytes.length, mime };
}

export function createFileService(deps: Deps) {
  const { db } = deps;
  return {
    /** A handler or the seat attaches a file; it is linked to a step through `fileIds`. */
    async upload(ctx: Ctx, appealId: number, name: string, bytes: Uint8Array) {
      const mime = checkFile(name, bytes);
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'appeal:read', 'appeal', [appealId]);
        if (!ctx.actor.permissions.has('appeal:handle') && !ctx.actor.permissions.has('appeal:intake'))
          throw forbidden();
        const f = await store(deps, tx, appealId, name, bytes, mime, ctx.actor.userId, ctx.now);
        await audit(tx, ctx, {
          action: 'appeal.file',
          entityType: 'appeal',
          entityId: appealId,
          after: { fileId: f.id, name: f.name, size: f.size, mime },
        });
        return f;
      });
    },

    /** The submitter adds material through the tracking code (while the appeal is open). */
    async publicUpload(
      ctx: Ctx,
      a: { id: number; status: string; org_id: number },
      name: string,
      bytes: Uint8Array,
    ) {
      const mime = checkFile(name, bytes);
      if (['closed', 'merged'].includes(a.status)) throw conflict('诉求已办结，不能再补充材料');
      return db.tx(async (tx) => {
        const f = await store(deps, tx, a.id, name, bytes, mime, null, ctx.now);
        const eventId = await addEvent(tx, {
          appealId: a.id,
          at: ctx.now,
          actorId: null,
          actorName: '诉求人',
          action: 'attach',
          fromStatus: null,
          toStatus: null,
          orgId: a.org_id,
          note: `补充材料：${f.name}`,
          publicText: `您补充了材料「${f.name}」`,
        });
        await tx.query(sql`UPDATE appeal_files SET event_id = ${eventId} WHERE id = ${f.id}`);
        await audit(tx, ctx, {
          action: 'appeal.file',
          entityType: 'appeal',
          entityId: a.id,
          after: { fileId: f.id, name: f.name, size: f.size, mime, by: 'submitter' },
        });
        return f;
      });
    },

    async download(ctx: Ctx, appealId: number, fileId: number) {
      const a = await findAppeal(db, ctx.actor, appealId);
      if (!a) throw notFound('诉求');
      if (!ctx.actor.permissions.has('appeal:read')) throw forbidden();
      const f = (
        await db.query<{ hash: string; name: string; mime: string }>(
          sql`SELECT hash, name, mime FROM appeal_files WHERE id = ${fileId} AND appeal_id = ${appealId}`,
        )
      )[0];
      if (!f) throw notFound('附件');
      return { ...f, bytes: await deps.files.get(f.hash) };
    },
  };
}
