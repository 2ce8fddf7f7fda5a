import type { CaseStatus } from '../../../../shared/assistance/constants.js';
import { MAX_FILES_PER_CASE } from '../../../../shared/assistance/constants.js';
import { decideCase } from '../../../../shared/assistance/machine.js';
import { shanghaiYmd } from '../../../../shared/calendar/ymd.js';
import { assertAccess } from '../../../platform/access.js';
import type { Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { conflict, forbidden, invalid, notFound, staleVersion } from '../../../platform/errors.js';
import { addEvent } from './events.js';
import { checkCaseFile, cleanName } from './files.js';
import { auditCase } from './present.js';
import * as repo from './repo.js';
import { ENDED, loadDetail } from './service.js';

/** The home visit (入户核查): photos and the signed authorisation through the file store. */
export function createVisitService(deps: Deps) {
  const { db } = deps;
  return {
    async upload(
      ctx: Ctx,
      caseId: number,
      kind: 'photo' | 'authorization' | 'other',
      name: string,
      bytes: Uint8Array,
    ) {
      const mime = checkCaseFile(name, bytes);
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'assist:write', 'assist_case', [caseId]);
        const c = (await repo.getCase(tx, caseId, true))!;
        if (ENDED.includes(c.status)) throw conflict('档案已结束，不能再上传材料');
        const n = await tx.query<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM assist_files WHERE case_id = ${caseId}`,
        );
        if ((n[0]?.n ?? 0) >= MAX_FILES_PER_CASE) throw conflict(`每户最多 ${MAX_FILES_PER_CASE} 个附件`);
        const hash = await deps.files.put(bytes);
        const clean = cleanName(name);
        const r = await tx.query<{
          id: number;
        }>(sql`INSERT INTO assist_files (case_id, kind, hash, name, mime, size, uploaded_by, created_at)
          VALUES (${caseId}, ${kind}, ${hash}, ${clean}, ${mime}, ${bytes.length}, ${ctx.actor.userId}, ${ctx.now}) RETURNING id`);
        const id = r[0]!.id;
        await addEvent(tx, ctx, {
          caseId,
          action: 'file',
          orgId: ctx.actor.orgId,
          note: clean,
          data: { fileId: id, kind },
        });
        await audit(tx, ctx, {
          action: 'assist.case.file',
          entityType: 'assist_case',
          entityId: caseId,
          orgId: c.org_id,
          after: { fileId: id, kind, name: clean, size: bytes.length, mime },
        });
        return { id, name: clean, size: bytes.length, kind };
      });
    },

    async download(ctx: Ctx, caseId: number, fileId: number) {
      await assertAccess(db, ctx.actor, 'assist:read', 'assist_case', [caseId]);
      const f = (
        await db.query<{ hash: string; name: string; mime: string }>(
          sql`SELECT hash, name, mime FROM assist_files WHERE id = ${fileId} AND case_id = ${caseId}`,
        )
      )[0];
      if (!f) throw notFound('附件');
      return { name: f.name, mime: f.mime, bytes: await deps.files.get(f.hash) };
    },

    /** Records the visit with its files and moves the case from 入户核查 to 审核. */
    async record(
      ctx: Ctx,
      caseId: number,
      body: { version: number; visitedOn: string; visitors: string; findings: string; fileIds: number[] },
    ) {
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'assist:read', 'assist_case', [caseId]);
        const c = (await repo.getCase(tx, caseId, true))!;
        const d = decideCase('visit', c.status as CaseStatus, ctx.actor.permissions);
        if (!d.ok && d.why === 'forbidden') throw forbidden();
        if (c.version !== body.version) throw staleVersion();
        if (!d.ok) throw conflict('只有处于入户核查环节的档案才能提交核查记录', { reason: 'state' });
        if (body.visitedOn > shanghaiYmd(ctx.now))
          throw invalid('核查日期不能晚于今天', { field: 'visitedOn' });
        const ids = [...new Set(body.fileIds)];
        const files = await tx.query<{ id: number; kind: string }>(sql`SELECT id, kind FROM assist_files
          WHERE case_id = ${caseId} AND id = ANY(${ids}::bigint[]) AND visit_id IS NULL`);
        if (files.length !== ids.length)
          throw invalid('附件不存在或已用于其他核查记录', { field: 'fileIds' });
        if (!files.some((f) => f.kind === 'photo'))
          throw invalid('入户核查须上传至少一张现场照片', { field: 'fileIds' });
        if (!files.some((f) => f.kind === 'authorization'))
          throw invalid('入户核查须上传申请人签字的授权书', { field: 'fileIds' });
        const v = await tx.query<{
          id: number;
        }>(sql`INSERT INTO assist_visits (case_id, visited_on, visitors, findings, created_by, created_at)
          VALUES (${caseId}, ${body.visitedOn}, ${body.visitors}, ${body.findings}, ${ctx.actor.userId}, ${ctx.now}) RETURNING id`);
        const visitId = v[0]!.id;
        await tx.query(sql`UPDATE assist_files SET visit_id = ${visitId} WHERE id = ANY(${ids}::bigint[])`);
        await tx.query(sql`UPDATE assist_cases SET status = ${d.to}, verified_at = ${ctx.now}, version = version + 1,
          updated_at = ${ctx.now} WHERE id = ${caseId}`);
        await addEvent(tx, ctx, {
          caseId,
          action: 'visit',
          orgId: ctx.actor.orgId,
          from: c.status,
          to: d.to,
          note: body.findings,
          data: { visitId, visitedOn: body.visitedOn, visitors: body.visitors, files: ids.length },
        });
        await audit(tx, ctx, {
          action: 'assist.case.visit',
          entityType: 'assist_case',
          entityId: caseId,
          orgId: c.org_id,
          before: auditCase(c),
          after: { ...auditCase({ ...c, status: d.to, version: c.version + 1 }), visitId },
        });
        return loadDetail(tx, ctx, caseId);
      });
    },
  };
}
