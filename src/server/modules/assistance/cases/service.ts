import { type CaseStatus, filingLevelOf, STALE_MONTHS } from '../../../../shared/assistance/constants.js';
import { CASE_ACTIONS, type CaseAction, decideCase } from '../../../../shared/assistance/machine.js';
import { maskBankAccount, parseBankAccount, yuanToFen } from '../../../../shared/assistance/rules.js';
import { shanghaiYmd } from '../../../../shared/calendar/ymd.js';
import type { CaseCreate, CaseDetail } from '../../../../shared/contracts/assistance.js';
import { checkIdentity } from '../../../../shared/people/identity.js';
import { assertAccess } from '../../../platform/access.js';
import type { Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { workCalendarOf } from '../../../platform/calendar.js';
import { type Queryable, sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { conflict, forbidden, invalid, staleVersion } from '../../../platform/errors.js';
import { createPersonService } from '../../people/persons/service.js';
import { idHashOf } from '../../people/protect.js';
import { addEvent } from './events.js';
import { auditCase, presentCase, presentDetail } from './present.js';
import * as repo from './repo.js';

/** The instant before which an archive counts as stale (not verified for 12 months). */
export function staleBefore(now: Date): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - STALE_MONTHS);
  return d;
}

/** Statuses after which a record takes no more income or visits. */
export const ENDED: readonly string[] = ['closed', 'relieved', 'rejected'];

/** Everything the detail shows, read in the caller's transaction or the pool. */
export async function loadDetail(q: Queryable, ctx: Ctx, id: number): Promise<CaseDetail> {
  const row = (await repo.getCase(q, id))!;
  const [members, incomes, files, visits, entitlements, events] = await Promise.all([
    repo.membersOf(q, id),
    repo.incomesOf(q, id),
    q.query<{ id: number; kind: string; name: string; size: number; visit_id: number | null }>(
      sql`SELECT id, kind, name, size, visit_id FROM assist_files WHERE case_id = ${id} ORDER BY id`,
    ),
    q.query<{ id: number; visited_on: string; visitors: string; findings: string }>(
      sql`SELECT id, visited_on, visitors, findings FROM assist_visits WHERE case_id = ${id} ORDER BY id`,
    ),
    q.query<{
      id: number;
      cycle_name: string;
      beneficiary_name: string;
      amount: number;
      status: string;
      payment_status: string | null;
    }>(sql`SELECT e.id, y.name AS cycle_name, e.beneficiary_name, e.amount::float8 AS amount, e.status,
        p.status AS payment_status
      FROM assist_entitlements e JOIN assist_cycles y ON y.id = e.cycle_id
      LEFT JOIN assist_payments p ON p.entitlement_id = e.id
      WHERE e.case_id = ${id} ORDER BY e.id`),
    q.query<{
      id: number;
      at: Date;
      actor_name: string;
      action: string;
      from_status: string | null;
      to_status: string | null;
      note: string | null;
      data: Record<string, unknown> | null;
    }>(sql`SELECT id, at, actor_name, action, from_status, to_status, note, data
      FROM assist_events WHERE case_id = ${id} ORDER BY id`),
  ]);
  return presentDetail(
    row,
    { members, incomes, files, visits, entitlements, events },
    ctx.actor,
    staleBefore(ctx.now),
  );
}

/** Checks the household's input before anyone is registered: ID numbers, applicant, money, bank. */
function checkCreate(input: CaseCreate, now: Date) {
  const seen = new Set<string>();
  const members = input.members.map((m, i) => {
    const id = checkIdentity(m.idNumber, {}, now);
    if (!id.ok) throw invalid(`第 ${i + 1} 位家庭成员：${id.message}`, { field: `members.${i}.idNumber` });
    if (seen.has(id.value.idNumber))
      throw invalid(`第 ${i + 1} 位家庭成员的身份证号与前面的重复`, { field: `members.${i}.idNumber` });
    seen.add(id.value.idNumber);
    const income = yuanToFen(m.monthlyIncome);
    if (income === null)
      throw invalid('月收入不能为负数，最多两位小数', { field: `members.${i}.monthlyIncome` });
    return { ...m, idNumber: id.value.idNumber, income };
  });
  if (members[0]!.relation !== 'self' || members.filter((m) => m.relation === 'self').length !== 1)
    throw invalid('第一位家庭成员应为申请人本人（关系为“本人”），且只能有一位', { field: 'members' });
  let bank: { name: string; account: string } | null = null;
  if (input.bank) {
    const b = parseBankAccount(input.bank.account);
    if (!b.ok) throw invalid(b.message, { field: 'bank.account' });
    bank = { name: input.bank.bankName, account: b.value };
  }
  return { members, bank };
}

export function createCaseService(deps: Deps) {
  const { db, pii } = deps;
  const persons = createPersonService(deps);

  return {
    async list(
      ctx: Ctx,
      f: {
        status?: string;
        orgId?: number;
        category?: string;
        flag?: 'stale' | 'exit' | 'never';
        page: number;
        pageSize: number;
      },
    ) {
      if (f.orgId) await assertAccess(db, ctx.actor, 'assist:read', 'org', [f.orgId]);
      if (!ctx.actor.permissions.has('assist:read')) throw forbidden();
      const before = staleBefore(ctx.now);
      const r = await repo.findCases(db, repo.caseFilter(ctx.actor, f, before), f);
      return { items: r.items.map((c) => presentCase(c, before)), total: r.total };
    },

    async get(ctx: Ctx, id: number): Promise<CaseDetail> {
      await assertAccess(db, ctx.actor, 'assist:read', 'assist_case', [id]);
      return loadDetail(db, ctx, id);
    },

    /**
     * Files an application (or a 临时救助 record): every member is registered on the people
     * registry (found by the keyed hash when already there), then the household is written in
     * one transaction with its first timeline step.
     */
    async create(ctx: Ctx, input: CaseCreate): Promise<CaseDetail> {
      const checked = checkCreate(input, ctx.now);
      await assertAccess(db, ctx.actor, 'assist:write', 'org', [input.orgId]);
      // the registry: one person per ID number across organizations (the people module's service)
      const registered: { personId: number; hash: string; mask: string }[] = [];
      for (const m of checked.members) {
        const p = await persons.create(ctx, { name: m.name, idNumber: m.idNumber, orgId: input.orgId });
        if (p.kind === 'claim')
          throw conflict(`${m.name}已由其他组织登记，${p.message}；确认后再建档`, { reason: 'claim' });
        registered.push({ personId: p.id, hash: idHashOf(pii, m.idNumber), mask: p.idNumber });
      }
      const total = checked.members.reduce((s, m) => s + m.income, 0);
      return db.tx(async (tx) => {
        const org = (
          await tx.query<{ level: string; region_code: string | null }>(
            sql`SELECT level, region_code FROM orgs WHERE id = ${input.orgId}`,
          )
        )[0]!;
        const applicantHash = registered[0]!.hash;
        const open = await tx.query(sql`SELECT 1 FROM assist_cases c JOIN assist_members m ON m.case_id = c.id
          WHERE m.id_hash = ${applicantHash} AND m.relation = 'self'
            AND c.status NOT IN ('closed', 'relieved', 'rejected') LIMIT 1`);
        if (open.length > 0)
          throw conflict('该申请人已有在办或在档的帮扶档案，不能重复建档', { reason: 'duplicate_case' });
        const status: CaseStatus = input.temporary ? 'temporary' : 'applied';
        const bank = checked.bank;
        const rows = await tx.query<{
          id: number;
        }>(sql`INSERT INTO assist_cases (org_id, level, region_code, status,
            category, primary_cause, secondary_causes, health, housing, employment, description, applicant_person_id,
            applicant_name, bank_name, bank_enc, bank_hash, bank_mask, monthly_income, created_by, created_at,
            updated_at, verified_at)
          VALUES (${input.orgId}, ${filingLevelOf(org.level)}, ${org.region_code}, ${status}, ${input.category},
            ${input.primaryCause}, ${[...new Set(input.secondaryCauses)]}::text[], ${input.health}, ${input.housing},
            ${input.employment}, ${input.description}, ${registered[0]!.personId}, ${checked.members[0]!.name},
            ${bank?.name ?? null}, ${bank ? pii.encrypt(bank.account) : null},
            ${bank ? pii.hash(`bank:${bank.account}`) : null}, ${bank ? maskBankAccount(bank.account) : null},
            ${total}, ${ctx.actor.userId}, ${ctx.now}, ${ctx.now}, ${ctx.now}) RETURNING id`);
        const id = rows[0]!.id;
        for (const [i, m] of checked.members.entries()) {
          const r = registered[i]!;
          await tx.query(sql`INSERT INTO assist_members (case_id, person_id, name, id_mask, id_hash, relation, schooling, monthly_income)
            VALUES (${id}, ${r.personId}, ${m.name}, ${r.mask}, ${r.hash}, ${m.relation}, ${m.schooling}, ${m.income})
            ON CONFLICT (case_id, person_id) DO NOTHING`);
        }
        await addEvent(tx, ctx, {
          caseId: id,
          action: input.temporary ? 'create_temporary' : 'create',
          orgId: input.orgId,
          to: status,
          note: input.description || null,
          data: { members: checked.members.length, category: input.category },
        });
        const row = (await repo.getCase(tx, id))!;
        await audit(tx, ctx, {
          action: 'assist.case.create',
          entityType: 'assist_case',
          entityId: id,
          orgId: input.orgId,
          after: { ...auditCase(row), members: checked.members.length },
        });
        return loadDetail(tx, ctx, id);
      });
    },

    /** One move of the state machine (the visit goes through `recordVisit`, which needs its files). */
    async act(
      ctx: Ctx,
      id: number,
      action: CaseAction,
      body: { version: number; note?: string; appealId?: number },
    ) {
      if (action === 'visit') throw invalid('入户核查请填写核查记录并上传照片和签字授权书');
      // read before the transaction: the embedded engine's one connection would wait on itself
      const cal = action === 'approve' ? await workCalendarOf(db) : null;
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'assist:read', 'assist_case', [id]);
        const c = (await repo.getCase(tx, id, true))!;
        const d = decideCase(action, c.status as CaseStatus, ctx.actor.permissions);
        if (!d.ok && d.why === 'forbidden') throw forbidden();
        if (c.version !== body.version) throw staleVersion();
        if (!d.ok)
          throw conflict(`当前状态（${c.status}）不能执行「${CASE_ACTIONS[action]}」`, { reason: 'state' });
        if (d.reason && !body.note) throw invalid(`「${CASE_ACTIONS[action]}」须填写原因`, { field: 'note' });
        const today = shanghaiYmd(ctx.now);
        const set = [sql`status = ${d.to}`];
        let data: Record<string, unknown> | null = null;
        if (action === 'approve' && cal) {
          const until = cal.addWorkdays(today, deps.config.assistPublicityWorkdays);
          set.push(sql`publicity_start = ${today}`, sql`publicity_until = ${until}`);
          data = {
            publicityStart: today,
            publicityUntil: until,
            workdays: deps.config.assistPublicityWorkdays,
          };
        }
        if (action === 'archive' && c.publicity_until && today <= c.publicity_until)
          throw conflict(`公示期未满（至 ${c.publicity_until}），期满后方可纳入在档`, {
            reason: 'publicity',
          });
        if (action === 'objection') {
          if (body.appealId) await assertAccess(tx, ctx.actor, 'appeal:read', 'appeal', [body.appealId]);
          set.push(sql`publicity_start = NULL`, sql`publicity_until = NULL`);
          data = body.appealId ? { appealId: body.appealId } : null;
        }
        if (action === 'close' || action === 'relieve' || action === 'reject')
          set.push(sql`end_reason = ${body.note ?? null}`);
        if (action === 'relieve') set.push(sql`exit_proposed_at = NULL`);
        if (action === 'convert' || action === 'archive') set.push(sql`verified_at = ${ctx.now}`);
        await tx.query(sql`UPDATE assist_cases SET ${sql.join(set)}, version = version + 1, updated_at = ${ctx.now}
          WHERE id = ${id}`);
        await addEvent(tx, ctx, {
          caseId: id,
          action,
          orgId: ctx.actor.orgId,
          from: c.status,
          to: d.to,
          note: body.note ?? null,
          data,
        });
        await audit(tx, ctx, {
          action: `assist.case.${action}`,
          entityType: 'assist_case',
          entityId: id,
          orgId: c.org_id,
          before: auditCase(c),
          after: { ...auditCase({ ...c, status: d.to, version: c.version + 1 }), note: body.note ?? null },
        });
        return loadDetail(tx, ctx, id);
      });
    },
  };
}
export type CaseService = ReturnType<typeof createCaseService>;
