import { PROGRAM_KINDS } from '../../../../shared/assistance/constants.js';
import type { RuleEnv } from '../../../../shared/assistance/ruleAdapter.js';
import { fenToYuan, yuanToFen } from '../../../../shared/assistance/rules.js';
import { assertAccess, requirePermission } from '../../../platform/access.js';
import type { Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { type Queryable, sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { conflict, invalid, staleVersion } from '../../../platform/errors.js';
import { caseScope } from '../cases/repo.js';
import { checkRule, ELIGIBILITY_NAMES, ruleTest } from '../rules.js';
import { insertEntitlement } from './entitlements.js';
import { getCycle, getProgram, type ProgramRow, programScope } from './repo.js';

type AmountIn = { when: string; amount: number; label: string };
interface ProgramInput {
  orgId: number;
  name: string;
  kind: string;
  target: 'household' | 'student';
  mode: 'cash' | 'in_kind';
  eligibility: string;
  amounts: AmountIn[];
}

/** Rules as data: the eligibility and every amount condition must be evaluable, else refused at save time. */
function checkProgramRules(eligibility: string | undefined, amounts: AmountIn[] | undefined) {
  if (eligibility !== undefined) checkRule(eligibility, ELIGIBILITY_NAMES, 'eligibility');
  for (const [i, a] of (amounts ?? []).entries()) checkRule(a.when, ELIGIBILITY_NAMES, `amounts.${i}.when`);
  return amounts?.map((a) => ({ when: a.when, amount: yuanToFen(a.amount)!, label: a.label }));
}

export const presentProgram = (g: ProgramRow) => ({
  id: g.id,
  orgId: g.org_id,
  orgName: g.org_name,
  name: g.name,
  kind: g.kind,
  kindLabel: (PROGRAM_KINDS as Record<string, string>)[g.kind] ?? g.kind,
  target: g.target,
  mode: g.mode,
  eligibility: g.eligibility,
  amounts: g.amounts.map((a) => ({ ...a, amount: fenToYuan(a.amount) })),
  ruleVersion: g.rule_version,
  version: g.version,
});

/** One household (and one of its members for student programs) as the names of a rule. */
interface Candidate {
  caseId: number;
  personId: number;
  name: string;
  mask: string;
  hash: string;
  householdHashes: string[];
  env: RuleEnv;
}

async function candidates(q: Queryable, ctx: Ctx, cycleOrgPath: string, target: 'household' | 'student') {
  const rows = await q.query<{
    id: number;
    status: string;
    category: string;
    level: string;
    primary_cause: string;
    region_code: string | null;
    monthly_income: number;
    latest_total: number | null;
    latest_members: number | null;
    members: {
      person_id: number;
      name: string;
      id_mask: string;
      id_hash: string;
      relation: string;
      schooling: string;
    }[];
  }>(sql`SELECT c.id, c.status, c.category, c.level, c.primary_cause, c.region_code, c.monthly_income::float8 AS monthly_income,
      li.total::float8 AS latest_total, li.members AS latest_members,
      (SELECT json_agg(json_build_object('person_id', m.person_id, 'name', m.name, 'id_mask', m.id_mask,
          'id_hash', m.id_hash, 'relation', m.relation, 'schooling', m.schooling) ORDER BY m.id)
        FROM assist_members m WHERE m.case_id = c.id) AS members
    FROM assist_cases c JOIN orgs o ON o.id = c.org_id
    LEFT JOIN LATERAL (SELECT total, members FROM assist_incomes i WHERE i.case_id = c.id ORDER BY month DESC LIMIT 1) li ON TRUE
    WHERE o.path LIKE ${`${cycleOrgPath}%`} AND c.status NOT IN ('closed', 'relieved', 'rejected') AND ${caseScope(ctx.actor)}
    ORDER BY c.id`);
  const out: Candidate[] = [];
  for (const c of rows) {
    const n = c.latest_members ?? Math.max(1, c.members.length);
    const total = c.latest_total ?? c.monthly_income;
    const hh = c.members.map((m) => m.id_hash);
    const students = c.members.filter((m) => m.schooling === 'higher');
    const base: RuleEnv = {
      status: c.status,
      category: c.category,
      level: c.level,
      primaryCause: c.primary_cause,
      perCapitaIncome: fenToYuan(total) / n,
      householdIncome: fenToYuan(total),
      members: n,
      archived: c.status === 'archived',
      studentCount: students.length,
      regionCode: c.region_code ?? '',
      schooling: '',
      relation: 'self',
    };
    const who = target === 'student' ? students : c.members.filter((m) => m.relation === 'self');
    for (const m of who)
      out.push({
        caseId: c.id,
        personId: m.person_id,
        name: m.name,
        mask: m.id_mask,
        hash: m.id_hash,
        householdHashes: hh,
        env: { ...base, schooling: m.schooling, relation: m.relation },
      });
  }
  return out;
}

export function createProgramService(deps: Deps) {
  const { db } = deps;
  return {
    async list(ctx: Ctx) {
      requirePermission(ctx.actor, 'assist:read');
      const rows =
        await db.query<ProgramRow>(sql`SELECT g.id, g.org_id, o.name AS org_name, g.name, g.kind, g.target,
          g.mode, g.eligibility, g.amounts, g.rule_version, g.version
        FROM assist_programs g JOIN orgs o ON o.id = g.org_id WHERE ${programScope(ctx.actor)} ORDER BY g.id DESC LIMIT 200`);
      return { items: rows.map(presentProgram), total: rows.length };
    },

    async create(ctx: Ctx, input: ProgramInput) {
      const amounts = checkProgramRules(input.eligibility, input.amounts)!;
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'assist:program', 'org', [input.orgId]);
        const r = await tx.query<{
          id: number;
        }>(sql`INSERT INTO assist_programs (org_id, name, kind, target, mode, eligibility,
            amounts, created_by, created_at, updated_at)
          VALUES (${input.orgId}, ${input.name}, ${input.kind}, ${input.target}, ${input.mode}, ${input.eligibility},
            ${JSON.stringify(amounts)}::jsonb, ${ctx.actor.userId}, ${ctx.now}, ${ctx.now}) RETURNING id`);
        const g = (await getProgram(tx, r[0]!.id))!;
        await audit(tx, ctx, {
          action: 'assist.program.create',
          entityType: 'assist_program',
          entityId: g.id,
          orgId: g.org_id,
          after: presentProgram(g),
        });
        return presentProgram(g);
      });
    },

    /** A change of a rule raises the rule version (entitlements computed before keep theirs). */
    async update(ctx: Ctx, id: number, input: Partial<Omit<ProgramInput, 'orgId'>> & { version: number }) {
      const amounts = checkProgramRules(input.eligibility, input.amounts);
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'assist:program', 'assist_program', [id]);
        await tx.query(sql`SELECT id FROM assist_programs WHERE id = ${id} FOR UPDATE`);
        const before = (await getProgram(tx, id))!;
        if (before.version !== input.version) throw staleVersion();
        const rulesChanged = input.eligibility !== undefined || amounts !== undefined;
        await tx.query(sql`UPDATE assist_programs SET name = ${input.name ?? before.name}, kind = ${input.kind ?? before.kind},
            target = ${input.target ?? before.target}, mode = ${input.mode ?? before.mode},
            eligibility = ${input.eligibility ?? before.eligibility},
            amounts = ${JSON.stringify(amounts ?? before.amounts)}::jsonb,
            rule_version = rule_version + ${rulesChanged ? 1 : 0}, version = version + 1, updated_at = ${ctx.now}
          WHERE id = ${id}`);
        const g = (await getProgram(tx, id))!;
        await audit(tx, ctx, {
          action: 'assist.program.update',
          entityType: 'assist_program',
          entityId: id,
          orgId: g.org_id,
          before: presentProgram(before),
          after: presentProgram(g),
        });
        return presentProgram(g);
      });
    },

    async createCycle(
      ctx: Ctx,
      programId: number,
      input: {
        name: string;
        periodStart: string;
        periodEnd: string;
        budget: number;
        orgBudgets: { orgId: number; budget: number }[];
      },
    ) {
      if (input.periodEnd < input.periodStart)
        throw invalid('批次结束日期不能早于开始日期', { field: 'periodEnd' });
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'assist:program', 'assist_program', [programId]);
        const g = (await getProgram(tx, programId))!;
        if (input.orgBudgets.length > 0)
          await assertAccess(
            tx,
            ctx.actor,
            'assist:program',
            'org',
            input.orgBudgets.map((b) => b.orgId),
          );
        const shares = input.orgBudgets.reduce((s, b) => s + yuanToFen(b.budget)!, 0);
        if (shares > yuanToFen(input.budget)!)
          throw invalid('各组织预算之和超过批次总预算', { field: 'orgBudgets' });
        const r = await tx.query<{
          id: number;
        }>(sql`INSERT INTO assist_cycles (program_id, org_id, name, kind, period_start,
            period_end, budget, created_by, created_at, updated_at)
          VALUES (${programId}, ${g.org_id}, ${input.name}, ${g.kind}, ${input.periodStart}, ${input.periodEnd},
            ${yuanToFen(input.budget)}, ${ctx.actor.userId}, ${ctx.now}, ${ctx.now}) RETURNING id`);
        const id = r[0]!.id;
        for (const b of input.orgBudgets)
          await tx.query(sql`INSERT INTO assist_cycle_budgets (cycle_id, org_id, budget) VALUES (${id}, ${b.orgId}, ${yuanToFen(b.budget)})
            ON CONFLICT (cycle_id, org_id) DO UPDATE SET budget = EXCLUDED.budget`);
        await audit(tx, ctx, {
          action: 'assist.cycle.create',
          entityType: 'assist_cycle',
          entityId: id,
          orgId: g.org_id,
          after: { programId, ...input },
        });
        return { id };
      });
    },

    /**
     * Computes a cycle's entitlements from the program's rules: every household in the running
     * organization's subtree (within the caller's scope) whose eligibility holds gets the amount
     * of the first amount rule met; each proposal is checked for duplicate relief.
     */
    async compute(ctx: Ctx, cycleId: number, version: number) {
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'assist:program', 'assist_cycle', [cycleId]);
        const y = (await getCycle(tx, cycleId, true))!;
        if (y.version !== version) throw staleVersion();
        if (y.status !== 'open') throw conflict('批次已结束，不能再计算');
        const g = (await getProgram(tx, y.program_id))!;
        const eligible = ruleTest(g.eligibility, ELIGIBILITY_NAMES);
        const amounts = g.amounts.map((a) => ({ ...a, test: ruleTest(a.when, ELIGIBILITY_NAMES) }));
        let added = 0;
        let duplicates = 0;
        for (const c of await candidates(tx, ctx, y.org_path, g.target)) {
          if (!eligible(c.env)) continue;
          const a = amounts.find((x) => x.test(c.env));
          if (!a) continue;
          const r = await insertEntitlement(tx, ctx, y, {
            caseId: c.caseId,
            personId: c.personId,
            name: c.name,
            mask: c.mask,
            hash: c.hash,
            householdHashes: c.householdHashes,
            amount: a.amount,
            label: a.label,
            source: 'computed',
            orgId: y.org_id,
            note: null,
          });
          if (r) {
            added++;
            if (r.duplicates > 0) duplicates++;
          }
        }
        await tx.query(
          sql`UPDATE assist_cycles SET computed_at = ${ctx.now}, version = version + 1, updated_at = ${ctx.now} WHERE id = ${cycleId}`,
        );
        await audit(tx, ctx, {
          action: 'assist.cycle.compute',
          entityType: 'assist_cycle',
          entityId: cycleId,
          orgId: y.org_id,
          after: { added, duplicates, ruleVersion: g.rule_version },
        });
        return { added, duplicates };
      });
    },
  };
}
