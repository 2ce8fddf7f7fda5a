import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import type { Permission } from '../../../shared/permissions.js';
import { assertAccess } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { workCalendarOf } from '../../platform/calendar.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, conflict, forbidden, invalid, notFound, staleVersion } from '../../platform/errors.js';
import { personBasics, personOfUser } from '../people/persons/registry.js';
import { assertPersonAccess } from '../people/scope.js';
import { appendEntry, getEntry, hoursOf, ledgerOf, revokeEntry, ruleFor } from './ledger.js';
import { signupsOfPersons } from './signups.js';

/**
 * A person's hours within the caller's scope: the person themselves always (the account
 * linked to the record), others through the people registry's scope and a permission.
 */
export async function assertHoursAccess(q: Queryable, ctx: Ctx, personId: number, permission: Permission) {
  const own = await q.query(
    sql`SELECT 1 FROM persons WHERE id = ${personId} AND user_id = ${ctx.actor.userId}`,
  );
  if (own.length > 0 && permission === 'activity:read') return;
  await assertPersonAccess(q, { ...ctx.actor, scope: { ...ctx.actor.scope, self: false } }, permission, [
    personId,
  ]);
}

export function createHoursService(deps: Deps) {
  const { db } = deps;

  async function fiveStarOf(q: Queryable, personId: number) {
    const r = await q.query<{ id: number; status: string; publicize_until: Date | null }>(
      sql`SELECT id, status, publicize_until FROM vol_five_star WHERE person_id = ${personId} ORDER BY id DESC LIMIT 1`,
    );
    return r[0]
      ? { id: r[0].id, status: r[0].status, publicizeUntil: r[0].publicize_until?.toISOString() ?? null }
      : null;
  }

  return {
    async totals(ctx: Ctx, personId: number) {
      await assertHoursAccess(db, ctx, personId, 'activity:read');
      return hoursOf(db, personId, ctx.now);
    },

    async ledger(ctx: Ctx, personId: number) {
      await assertHoursAccess(db, ctx, personId, 'activity:read');
      const items = await ledgerOf(db, personId);
      return { items, total: items.length };
    },

    /** An entry imported from another platform's record, with its source. */
    async importEntry(
      ctx: Ctx,
      personId: number,
      input: { orgId: number; hours: number; servedOn: string; source: string; reason?: string },
    ) {
      if (input.servedOn > shanghaiYmd(ctx.now)) throw invalid('服务日期不能晚于今天', { field: 'servedOn' });
      return db.tx(async (tx) => {
        await assertHoursAccess(tx, ctx, personId, 'volunteer:hours');
        await assertAccess(tx, ctx.actor, 'volunteer:hours', 'org', [input.orgId]);
        const id = await appendEntry(tx, ctx, {
          personId,
          orgId: input.orgId,
          kind: 'imported',
          hours: input.hours,
          servedOn: input.servedOn,
          source: input.source,
          reason: input.reason ?? null,
        });
        return { id, ...(await hoursOf(tx, personId, ctx.now)) };
      });
    },

    async revoke(ctx: Ctx, entryId: number, reason: string) {
      return db.tx(async (tx) => {
        const e = await getEntry(tx, entryId);
        if (!e) throw notFound('时长记录');
        await assertAccess(tx, ctx.actor, 'volunteer:hours', 'org', [e.org_id]);
        await revokeEntry(tx, ctx, entryId, reason);
        return hoursOf(tx, e.person_id, ctx.now);
      });
    },

    /** A correction: the entry revoked and its replacement added, both kept. */
    async correct(ctx: Ctx, entryId: number, input: { hours: number; reason: string }) {
      return db.tx(async (tx) => {
        const e = await getEntry(tx, entryId);
        if (!e) throw notFound('时长记录');
        await assertAccess(tx, ctx.actor, 'volunteer:hours', 'org', [e.org_id]);
        if (e.kind === 'revoked') throw conflict('撤销记录不能更正');
        if (e.signup_id) {
          const s = await tx.query<{
            starts_at: Date;
            ends_at: Date;
          }>(sql`SELECT s.starts_at, s.ends_at FROM activity_signups g
            JOIN activity_shifts s ON s.id = g.shift_id WHERE g.id = ${e.signup_id}`);
          const max = (s[0]!.ends_at.getTime() - s[0]!.starts_at.getTime()) / 3_600_000;
          if (input.hours > max + 1e-9)
            throw invalid(`更正后的时长不能超过班次时长（${Math.floor(max * 100) / 100}小时）`, {
              field: 'hours',
            });
        }
        await revokeEntry(tx, ctx, entryId, `更正：${input.reason}`);
        const id = await appendEntry(tx, ctx, {
          personId: e.person_id,
          orgId: e.org_id,
          kind: e.kind as 'credited' | 'backfilled' | 'imported',
          hours: input.hours,
          servedOn: e.served_on,
          activityId: e.activity_id,
          signupId: e.signup_id,
          reason: input.reason,
          correctsId: e.id,
        });
        return { id, ...(await hoursOf(tx, e.person_id, ctx.now)) };
      });
    },

    /** 个人中心: the caller's own activities, hours, stars and certificates. */
    async mine(ctx: Ctx) {
      const p = await personOfUser(db, ctx.actor.userId);
      if (!p) throw new AppError('NOT_FOUND', '您的账号尚未关联人员档案，请联系所在组织办理');
      const hours = await hoursOf(db, p.id, ctx.now);
      const rule = await ruleFor(db, '', shanghaiYmd(ctx.now));
      const next = rule.starThresholds.findIndex((t) => hours.total < t);
      const certs = await db.query<{ number: string; issued_at: Date; hours: number }>(
        sql`SELECT number, issued_at, hours::float8 AS hours FROM vol_certificates WHERE person_id = ${p.id} ORDER BY id DESC LIMIT 50`,
      );
      return {
        person: { id: p.id, name: p.name, idMask: p.idMask },
        hours,
        nextStar: next >= 0 ? { stars: next + 1, hours: rule.starThresholds[next]! } : null,
        ledger: await ledgerOf(db, p.id, 200),
        signups: await signupsOfPersons(db, [p.id]),
        fiveStar: await fiveStarOf(db, p.id),
        certificates: certs.map((c) => ({
          number: c.number,
          issuedAt: c.issued_at.toISOString(),
          hours: Number(c.hours),
        })),
      };
    },

    /** 5★: the volunteer applies once past the fifth threshold. */
    async applyFiveStar(ctx: Ctx, statement: string) {
      const p = await personOfUser(db, ctx.actor.userId);
      if (!p) throw new AppError('NOT_FOUND', '您的账号尚未关联人员档案，请联系所在组织办理');
      return db.tx(async (tx) => {
        const hours = await hoursOf(tx, p.id, ctx.now);
        const rule = await ruleFor(tx, '', shanghaiYmd(ctx.now));
        if (hours.total < rule.starThresholds[4]!)
          throw conflict(`累计志愿服务时长达到${rule.starThresholds[4]}小时方可申请五星志愿者`, {
            reason: 'hours',
          });
        const rows = await tx.query<{
          id: number;
        }>(sql`INSERT INTO vol_five_star (person_id, org_id, status, hours_at_apply, statement, created_at, updated_at)
          VALUES (${p.id}, ${p.orgId}, 'applied', ${hours.total}, ${statement}, ${ctx.now}, ${ctx.now}) ON CONFLICT DO NOTHING RETURNING id`);
        if (!rows[0]) throw conflict('已提交五星志愿者申请', { reason: 'exists' });
        await audit(tx, ctx, {
          action: 'volunteer.five_star.apply',
          entityType: 'vol_five_star',
          entityId: rows[0].id,
          orgId: p.orgId,
          after: { hours: hours.total },
        });
        return fiveStarOf(tx, p.id);
      });
    },

    async fiveStarList(ctx: Ctx) {
      if (!ctx.actor.permissions.has('volunteer:review')) throw forbidden();
      const rows = await db.query<{
        id: number;
        person_id: number;
        name: string;
        org_name: string;
        status: string;
        hours_at_apply: number;
        statement: string;
        publicize_until: Date | null;
        reason: string | null;
        version: number;
        created_at: Date;
      }>(sql`SELECT f.id, f.person_id, p.name, o.name AS org_name, f.status, f.hours_at_apply::float8 AS hours_at_apply, f.statement,
          f.publicize_until, f.reason, f.version, f.created_at
        FROM vol_five_star f JOIN persons p ON p.id = f.person_id JOIN orgs o ON o.id = f.org_id
        WHERE ${scopeOfOrg(ctx)} ORDER BY f.id DESC LIMIT 200`);
      return {
        items: rows.map((r) => ({
          id: r.id,
          personId: r.person_id,
          name: r.name,
          orgName: r.org_name,
          status: r.status,
          hoursAtApply: Number(r.hours_at_apply),
          statement: r.statement,
          publicizeUntil: r.publicize_until?.toISOString() ?? null,
          reason: r.reason,
          version: r.version,
          createdAt: r.created_at.toISOString(),
        })),
        total: rows.length,
      };
    },

    /** Review: approval starts 公示 for 5 working days (the platform calendar); rejection needs a reason. */
    async reviewFiveStar(
      ctx: Ctx,
      id: number,
      body: { version: number; decision: 'approve' | 'reject'; reason?: string },
    ) {
      return db.tx(async (tx) => {
        const r = await tx.query<{ org_id: number; status: string; version: number; person_id: number }>(
          sql`SELECT org_id, status, version, person_id FROM vol_five_star WHERE id = ${id} FOR UPDATE`,
        );
        if (!r[0]) throw notFound('申请');
        await assertAccess(tx, ctx.actor, 'volunteer:review', 'org', [r[0].org_id]);
        if (r[0].version !== body.version) throw staleVersion();
        const allowed = body.decision === 'approve' ? ['applied'] : ['applied', 'publicizing'];
        if (!allowed.includes(r[0].status))
          throw conflict('该申请当前状态不能执行此操作', { reason: 'status' });
        if (body.decision === 'reject' && !body.reason)
          throw invalid('不通过须填写原因（公示期异议亦同）', { field: 'reason' });
        const until = body.decision === 'approve' ? (await workCalendarOf(db)).deadline(ctx.now, 5) : null;
        await tx.query(sql`UPDATE vol_five_star SET status = ${body.decision === 'approve' ? 'publicizing' : 'rejected'},
          publicize_until = ${until}, reason = ${body.reason ?? null}, reviewed_by = ${ctx.actor.userId}, version = version + 1,
          updated_at = ${ctx.now} WHERE id = ${id}`);
        await audit(tx, ctx, {
          action: `volunteer.five_star.${body.decision}`,
          entityType: 'vol_five_star',
          entityId: id,
          orgId: r[0].org_id,
          before: { status: r[0].status },
          after: { publicizeUntil: until?.toISOString() ?? null, reason: body.reason ?? null },
        });
        return { ok: true, publicizeUntil: until?.toISOString() ?? null };
      });
    },

    async basics(ids: number[]) {
      return personBasics(db, ids);
    },
  };
}

/** Rows with an org_id column `f.org_id` inside the caller's scope (organizations only). */
function scopeOfOrg(ctx: Ctx) {
  const s = ctx.actor.scope;
  if (s.all) return sql.raw('TRUE');
  const conds = [];
  if (s.orgIds.length) conds.push(sql`f.org_id = ANY(${s.orgIds}::bigint[])`);
  if (s.subtrees.length)
    conds.push(
      sql`EXISTS (SELECT 1 FROM orgs so WHERE so.id = f.org_id AND so.path LIKE ANY(${s.subtrees.map((p) => `${p}%`)}::text[]))`,
    );
  return sql.or(conds);
}
