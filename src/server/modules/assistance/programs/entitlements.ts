import { ENTITLEMENT_STATUSES, PAYMENT_STATUSES } from '../../../../shared/assistance/constants.js';
import { fenToYuan, yuanToFen } from '../../../../shared/assistance/rules.js';
import { maskIdNumber } from '../../../../shared/mask.js';
import { checkIdentity } from '../../../../shared/people/identity.js';
import { assertAccess, requirePermission } from '../../../platform/access.js';
import type { Actor, Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { type Queryable, sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { conflict, forbidden, invalid, staleVersion } from '../../../platform/errors.js';
import { createPersonService } from '../../people/persons/service.js';
import { idHashOf } from '../../people/protect.js';
import { addEvent } from '../cases/events.js';
import {
  type CycleRow,
  duplicatesOf,
  ENTITLEMENT_SELECT,
  type EntitlementRow,
  entitlementScope,
  getCycle,
  getEntitlement,
} from './repo.js';

const OTHER_ORG = '其他组织';

/** Whether an organization (by path) is inside the actor's scope: its name may be shown. */
function seesOrg(actor: Actor, orgId: number, path: string): boolean {
  const s = actor.scope;
  return s.all || s.orgIds.includes(orgId) || s.subtrees.some((p) => path.startsWith(p));
}

/**
 * Writes an entitlement (once per cycle and person) and runs the duplicate-relief check: other
 * entitlements of the same kind and period for the same person or household, any organization.
 * The count is kept on both sides so each reviewer sees it.
 */
export async function insertEntitlement(
  q: Queryable,
  ctx: Ctx,
  y: CycleRow,
  e: {
    caseId: number | null;
    personId: number | null;
    name: string;
    mask: string;
    hash: string;
    householdHashes: string[];
    amount: number;
    label: string | null;
    source: 'computed' | 'proposed';
    orgId: number;
    note: string | null;
  },
): Promise<{ id: number; duplicates: number } | null> {
  const r = await q.query<{
    id: number;
  }>(sql`INSERT INTO assist_entitlements (cycle_id, org_id, kind, period_start,
      period_end, case_id, person_id, beneficiary_name, beneficiary_mask, beneficiary_hash, household_hashes, amount,
      rule_label, source, status, note, created_by, created_at, updated_at)
    VALUES (${y.id}, ${e.orgId}, ${y.kind}, ${y.period_start}, ${y.period_end}, ${e.caseId}, ${e.personId}, ${e.name},
      ${e.mask}, ${e.hash}, ${e.householdHashes}::text[], ${e.amount}, ${e.label}, ${e.source}, 'proposed', ${e.note},
      ${ctx.actor.userId}, ${ctx.now}, ${ctx.now})
    ON CONFLICT (cycle_id, beneficiary_hash) DO NOTHING RETURNING id`);
  const id = r[0]?.id;
  if (id === undefined) return null;
  const dups = await duplicatesOf(q, {
    id,
    kind: y.kind,
    period_start: y.period_start,
    period_end: y.period_end,
    beneficiary_hash: e.hash,
    household_hashes: e.householdHashes,
  });
  if (dups.length > 0) {
    await q.query(sql`UPDATE assist_entitlements SET duplicates = ${dups.length} WHERE id = ${id}`);
    await q.query(
      sql`UPDATE assist_entitlements SET duplicates = duplicates + 1 WHERE id = ANY(${dups.map((d) => d.id)}::bigint[])`,
    );
  }
  if (e.caseId)
    await addEvent(q, ctx, {
      caseId: e.caseId,
      action: 'entitlement',
      orgId: e.orgId,
      note: `${y.name}：${e.name} ${fenToYuan(e.amount)} 元${dups.length > 0 ? '（疑似重复救助）' : ''}`,
      data: { entitlementId: id, cycleId: y.id, duplicates: dups.length },
    });
  return { id, duplicates: dups.length };
}

export async function presentEntitlements(q: Queryable, actor: Actor, rows: EntitlementRow[]) {
  return Promise.all(
    rows.map(async (e) => {
      const dups = e.duplicates > 0 || e.household_hashes.length > 0 ? await duplicatesOf(q, e) : [];
      return {
        id: e.id,
        cycleId: e.cycle_id,
        orgId: e.org_id,
        orgName: e.org_name,
        caseId: e.case_id,
        beneficiaryName: e.beneficiary_name,
        idNumber: e.beneficiary_mask,
        amount: fenToYuan(e.amount),
        ruleLabel: e.rule_label,
        source: e.source,
        status: e.status,
        statusLabel: (ENTITLEMENT_STATUSES as Record<string, string>)[e.status] ?? e.status,
        note: e.note,
        version: e.version,
        payment: e.payment_id
          ? {
              id: e.payment_id,
              status: e.payment_status!,
              statusLabel:
                (PAYMENT_STATUSES as Record<string, string>)[e.payment_status!] ?? e.payment_status!,
              version: e.payment_version!,
              batchId: e.batch_id!,
              returnVisit: e.return_visit,
            }
          : null,
        duplicates: dups.map((d) => ({
          orgName: seesOrg(actor, d.org_id, d.org_path) ? d.org_name : OTHER_ORG,
          cycleName: seesOrg(actor, d.org_id, d.org_path) ? d.cycle_name : null,
          amount: seesOrg(actor, d.org_id, d.org_path) ? fenToYuan(d.amount) : null,
          status: (ENTITLEMENT_STATUSES as Record<string, string>)[d.status] ?? d.status,
          samePerson: d.same_person,
        })),
      };
    }),
  );
}

const MOVES = {
  review: { from: ['proposed'], to: 'reviewed', perm: 'assist:program', label: '审核' },
  approve: { from: ['reviewed'], to: 'approved', perm: 'assist:review', label: '审批' },
  reject: { from: ['proposed', 'reviewed'], to: 'rejected', perm: 'assist:program', label: '不予救助' },
} as const;
export type EntitlementMove = keyof typeof MOVES;

export function createEntitlementService(deps: Deps) {
  const { db, pii } = deps;
  const persons = createPersonService(deps);
  return {
    async cycle(ctx: Ctx, cycleId: number) {
      await assertAccess(db, ctx.actor, 'assist:read', 'assist_cycle', [cycleId]);
      const y = (await getCycle(db, cycleId))!;
      const rows = await db.query<EntitlementRow>(
        sql`${ENTITLEMENT_SELECT} WHERE e.cycle_id = ${cycleId} AND ${entitlementScope(ctx.actor)} ORDER BY e.id`,
      );
      const used = await db.query<{ approved: number; proposed: number }>(sql`SELECT
          coalesce(sum(amount) FILTER (WHERE status = 'approved'), 0)::float8 AS approved,
          coalesce(sum(amount) FILTER (WHERE status IN ('proposed', 'reviewed')), 0)::float8 AS proposed
        FROM assist_entitlements WHERE cycle_id = ${cycleId}`);
      const batches = await db.query<{
        id: number;
        mode: string;
        total: number;
        count: number;
        exported_at: Date | null;
      }>(
        sql`SELECT id, mode, total::float8 AS total, count, exported_at FROM assist_batches WHERE cycle_id = ${cycleId} ORDER BY id`,
      );
      return {
        id: y.id,
        programId: y.program_id,
        programName: y.program_name,
        orgId: y.org_id,
        orgName: y.org_name,
        name: y.name,
        kind: y.kind,
        mode: y.mode,
        target: y.target,
        periodStart: y.period_start,
        periodEnd: y.period_end,
        budget: fenToYuan(y.budget),
        approvedAmount: fenToYuan(used[0]!.approved),
        proposedAmount: fenToYuan(used[0]!.proposed),
        status: y.status,
        computedAt: y.computed_at?.toISOString() ?? null,
        version: y.version,
        batches: batches.map((b) => ({
          id: b.id,
          mode: b.mode,
          total: fenToYuan(b.total),
          count: b.count,
          exported: b.exported_at !== null,
        })),
        entitlements: await presentEntitlements(db, ctx.actor, rows),
      };
    },

    async cycles(ctx: Ctx, programId?: number) {
      requirePermission(ctx.actor, 'assist:read');
      const rows =
        await db.query<CycleRow>(sql`SELECT y.id, y.program_id, g.name AS program_name, y.org_id, o.name AS org_name,
          o.path AS org_path, y.name, y.kind, g.mode, g.target, y.period_start, y.period_end, y.budget::float8 AS budget,
          y.status, y.computed_at, y.version
        FROM assist_cycles y JOIN assist_programs g ON g.id = y.program_id JOIN orgs o ON o.id = y.org_id
        WHERE ${entitlementScope(ctx.actor, 'y')} ${programId ? sql`AND y.program_id = ${programId}` : sql``}
        ORDER BY y.id DESC LIMIT 200`);
      return {
        items: rows.map((y) => ({
          id: y.id,
          programId: y.program_id,
          programName: y.program_name,
          orgName: y.org_name,
          name: y.name,
          kind: y.kind,
          periodStart: y.period_start,
          periodEnd: y.period_end,
          budget: fenToYuan(y.budget),
          status: y.status,
        })),
        total: rows.length,
      };
    },

    /**
     * An organization proposes a person (by ID number) for a cycle: the person is found or
     * registered on the people registry, the household found by the keyed hash, and the
     * duplicate-relief check run across organizations.
     */
    async propose(
      ctx: Ctx,
      cycleId: number,
      body: { name: string; idNumber: string; amount: number; caseId?: number; note?: string },
    ) {
      const id = checkIdentity(body.idNumber, {}, ctx.now);
      if (!id.ok) throw invalid(id.message, { field: 'idNumber' });
      const amount = yuanToFen(body.amount);
      if (amount === null) throw invalid('金额不能为负数，最多两位小数', { field: 'amount' });
      await assertAccess(db, ctx.actor, 'assist:program', 'assist_cycle', [cycleId]);
      if (body.caseId) await assertAccess(db, ctx.actor, 'assist:read', 'assist_case', [body.caseId]);
      const y0 = (await getCycle(db, cycleId))!;
      const orgId = ctx.actor.scope.all ? y0.org_id : ctx.actor.orgId;
      const p = await persons.create(ctx, { name: body.name, idNumber: id.value.idNumber, orgId });
      const hash = idHashOf(pii, id.value.idNumber);
      return db.tx(async (tx) => {
        const y = (await getCycle(tx, cycleId, true))!;
        if (y.status !== 'open') throw conflict('批次已结束');
        // the household: every member of an open archive the person belongs to, whichever organization filed it
        const hh = await tx.query<{
          id_hash: string;
          case_id: number;
        }>(sql`SELECT m2.id_hash, m2.case_id FROM assist_members m
          JOIN assist_cases c ON c.id = m.case_id AND c.status NOT IN ('closed', 'relieved', 'rejected')
          JOIN assist_members m2 ON m2.case_id = m.case_id WHERE m.id_hash = ${hash}`);
        const hashes = [...new Set([hash, ...hh.map((h) => h.id_hash)])];
        const r = await insertEntitlement(tx, ctx, y, {
          caseId: body.caseId ?? null,
          personId: p.kind === 'person' ? p.id : null,
          name: body.name,
          mask: p.kind === 'person' ? p.idNumber : maskIdNumber(id.value.idNumber),
          hash,
          householdHashes: hashes,
          amount,
          label: null,
          source: 'proposed',
          orgId,
          note: body.note ?? null,
        });
        if (!r) throw conflict('该人员已在本批次救助名单中');
        await audit(tx, ctx, {
          action: 'assist.entitlement.propose',
          entityType: 'assist_entitlement',
          entityId: r.id,
          orgId,
          after: { cycleId, amount, duplicates: r.duplicates },
        });
        const row = (await getEntitlement(tx, r.id))!;
        return (await presentEntitlements(tx, ctx.actor, [row]))[0]!;
      });
    },

    async move(
      ctx: Ctx,
      entitlementId: number,
      move: EntitlementMove,
      body: { version: number; note?: string },
    ) {
      const m = MOVES[move];
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'assist:read', 'assist_entitlement', [entitlementId]);
        if (!ctx.actor.permissions.has(m.perm)) throw forbidden();
        const e = (await getEntitlement(tx, entitlementId, true))!;
        if (e.version !== body.version) throw staleVersion();
        if (!(m.from as readonly string[]).includes(e.status))
          throw conflict(
            `当前状态（${(ENTITLEMENT_STATUSES as Record<string, string>)[e.status]}）不能${m.label}`,
            { reason: 'state' },
          );
        if (move === 'reject' && !body.note) throw invalid('不予救助须填写原因', { field: 'note' });
        if (move === 'approve') await checkBudget(tx, e);
        await tx.query(sql`UPDATE assist_entitlements SET status = ${m.to}, note = coalesce(${body.note ?? null}, note),
            ${move === 'approve' ? sql`approved_by = ${ctx.actor.userId},` : move === 'review' ? sql`reviewed_by = ${ctx.actor.userId},` : sql``}
            version = version + 1, updated_at = ${ctx.now} WHERE id = ${entitlementId}`);
        if (e.case_id && move === 'approve')
          await addEvent(tx, ctx, {
            caseId: e.case_id,
            action: 'entitlement_approved',
            orgId: e.org_id,
            note: `${e.beneficiary_name} ${fenToYuan(e.amount)} 元`,
            data: { entitlementId },
          });
        await audit(tx, ctx, {
          action: `assist.entitlement.${move}`,
          entityType: 'assist_entitlement',
          entityId: entitlementId,
          orgId: e.org_id,
          before: { status: e.status, version: e.version },
          after: { status: m.to, version: e.version + 1, note: body.note ?? null },
        });
        const row = (await getEntitlement(tx, entitlementId))!;
        return (await presentEntitlements(tx, ctx.actor, [row]))[0]!;
      });
    },
  };
}

/** Approving keeps within the cycle's budget and the proposing organization's share of it. */
async function checkBudget(q: Queryable, e: EntitlementRow) {
  const r = await q.query<{
    budget: number;
    used: number;
    share: number | null;
    share_used: number;
  }>(sql`SELECT
      y.budget::float8 AS budget,
      (SELECT coalesce(sum(amount), 0) FROM assist_entitlements WHERE cycle_id = y.id AND status = 'approved')::float8 AS used,
      (SELECT budget FROM assist_cycle_budgets WHERE cycle_id = y.id AND org_id = ${e.org_id})::float8 AS share,
      (SELECT coalesce(sum(amount), 0) FROM assist_entitlements WHERE cycle_id = y.id AND status = 'approved' AND org_id = ${e.org_id})::float8 AS share_used
    FROM assist_cycles y WHERE y.id = ${e.cycle_id} FOR UPDATE OF y`);
  const b = r[0]!;
  if (b.used + e.amount > b.budget)
    throw conflict(`超出批次预算：预算 ${fenToYuan(b.budget)} 元，已审批 ${fenToYuan(b.used)} 元`, {
      reason: 'budget',
    });
  if (b.share !== null && b.share_used + e.amount > b.share)
    throw conflict(`超出本组织预算：预算 ${fenToYuan(b.share)} 元，已审批 ${fenToYuan(b.share_used)} 元`, {
      reason: 'budget',
    });
}
