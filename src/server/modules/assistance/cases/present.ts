import {
  CASE_STATUSES,
  CATEGORIES,
  type CaseStatus,
  ENTITLEMENT_STATUSES,
  PAYMENT_STATUSES,
} from '../../../../shared/assistance/constants.js';
import { actionsFrom, CASE_ACTIONS } from '../../../../shared/assistance/machine.js';
import { fenToYuan } from '../../../../shared/assistance/rules.js';
import type { CaseDetail } from '../../../../shared/contracts/assistance.js';
import { maskName } from '../../../../shared/mask.js';
import type { Actor } from '../../../platform/actor.js';
import { EVENT_LABELS } from './events.js';
import type { CaseRow, MemberRow } from './repo.js';

const label = <T extends Record<string, string>>(dict: T, k: string) =>
  (dict as Record<string, string>)[k] ?? k;

/** The list row of the stable contract: the applicant's name masked. */
export function presentCase(r: CaseRow, staleBefore: Date) {
  return {
    id: r.id,
    applicantName: maskName(r.applicant_name),
    category: r.category,
    categoryLabel: label(CATEGORIES, r.category),
    status: r.status,
    statusLabel: label(CASE_STATUSES, r.status),
    orgId: r.org_id,
    orgName: r.org_name,
    level: r.level,
    stale: r.status === 'archived' && r.verified_at < staleBefore,
    exitProposed: r.status === 'archived' && r.exit_proposed_at !== null,
    updatedAt: r.updated_at.toISOString(),
  };
}

export interface DetailParts {
  members: MemberRow[];
  incomes: { month: string; total: number; members: number }[];
  files: { id: number; kind: string; name: string; size: number; visit_id: number | null }[];
  visits: { id: number; visited_on: string; visitors: string; findings: string }[];
  entitlements: {
    id: number;
    cycle_name: string;
    beneficiary_name: string;
    amount: number;
    status: string;
    payment_status: string | null;
  }[];
  events: {
    id: number;
    at: Date;
    actor_name: string;
    action: string;
    from_status: string | null;
    to_status: string | null;
    note: string | null;
    data: Record<string, unknown> | null;
  }[];
}

/** The case with identity masked: ID numbers and the bank account as masks only. */
export function presentDetail(r: CaseRow, p: DetailParts, actor: Actor, staleBefore: Date): CaseDetail {
  const n = Math.max(1, p.members.length);
  return {
    ...presentCase(r, staleBefore),
    applicantName: r.applicant_name,
    primaryCause: r.primary_cause,
    secondaryCauses: r.secondary_causes,
    health: r.health,
    housing: r.housing,
    employment: r.employment,
    description: r.description,
    bankName: r.bank_name,
    bankAccount: r.bank_mask,
    monthlyIncome: fenToYuan(r.monthly_income),
    perCapitaIncome: Math.round(r.monthly_income / n) / 100,
    publicityStart: r.publicity_start,
    publicityUntil: r.publicity_until,
    exitNote: r.exit_note,
    endReason: r.end_reason,
    version: r.version,
    members: p.members.map((m) => ({
      personId: m.person_id,
      name: m.name,
      idNumber: m.id_mask,
      relation: m.relation,
      schooling: m.schooling,
      monthlyIncome: fenToYuan(m.monthly_income),
    })),
    incomes: p.incomes.map((i) => ({
      month: i.month,
      total: fenToYuan(i.total),
      perCapita: Math.round(i.total / i.members) / 100,
    })),
    files: p.files.map((f) => ({ id: f.id, kind: f.kind, name: f.name, size: f.size, visitId: f.visit_id })),
    visits: p.visits.map((v) => ({
      id: v.id,
      visitedOn: v.visited_on,
      visitors: v.visitors,
      findings: v.findings,
    })),
    entitlements: p.entitlements.map((e) => ({
      id: e.id,
      cycleName: e.cycle_name,
      beneficiaryName: e.beneficiary_name,
      amount: fenToYuan(e.amount),
      status: label(ENTITLEMENT_STATUSES, e.status),
      paymentStatus: e.payment_status ? label(PAYMENT_STATUSES, e.payment_status) : null,
    })),
    timeline: p.events.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      actorName: e.actor_name,
      action: e.action,
      actionLabel: (CASE_ACTIONS as Record<string, string>)[e.action] ?? EVENT_LABELS[e.action] ?? e.action,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      note: e.note,
      data: e.data,
    })),
    actions: actionsFrom(r.status as CaseStatus, actor.permissions),
  };
}

/** The audit view of a case: no identity or bank data, masks only. */
export const auditCase = (r: Pick<CaseRow, 'status' | 'category' | 'org_id' | 'version' | 'bank_mask'>) => ({
  status: r.status,
  category: r.category,
  orgId: r.org_id,
  bank: r.bank_mask,
  version: r.version,
});
