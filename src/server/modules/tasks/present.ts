import type { TaskView } from '../../../shared/contracts/tasks.js';
import {
  type Cadence,
  ESCALATION_LEVELS,
  type EscalationLevel,
  TASK_STATUSES,
  type TaskStatus,
} from '../../../shared/tasks/constants.js';
import { fromStatuses } from '../../../shared/tasks/machine.js';
import type { Actor } from '../../platform/actor.js';
import type { TaskOrgRow, TaskRow } from './repo.js';

/** Whether an organization path is at or below the actor's scope (ancestors see their units' work). */
export function coversPath(actor: Actor, path: string): boolean {
  const s = actor.scope;
  if (s.all) return true;
  return s.subtrees.some((p) => path.startsWith(p)) || s.orgIds.some((id) => path.includes(`/${id}/`));
}

/** Whether the deploying organization is in the actor's organization scope (ORG: exactly it). */
function managesOwner(actor: Actor, r: TaskRow, owner: TaskOrgRow | undefined): boolean {
  if (r.created_by === actor.userId) return true;
  const s = actor.scope;
  if (s.all) return true;
  if (s.orgIds.includes(r.owner_org_id)) return true;
  if (s.self && actor.orgId === r.owner_org_id) return true;
  return !!owner && s.subtrees.some((p) => owner.path.startsWith(p));
}

export function presentTask(r: TaskRow, orgs: readonly TaskOrgRow[], actor: Actor): TaskView {
  const mine = orgs.filter((o) => o.task_id === r.id);
  const ref = (o: TaskOrgRow) => ({ id: o.id, name: o.name });
  const lead = mine.filter((o) => o.role === 'lead');
  const co = mine.filter((o) => o.role === 'co');
  const status = r.status as TaskStatus;
  const perms = actor.permissions;
  const manage =
    perms.has('task:write') &&
    managesOwner(
      actor,
      r,
      mine.find((o) => o.role === 'owner'),
    );
  const unit = [...lead, ...co].some((o) => coversPath(actor, o.path));
  return {
    id: r.id,
    parentId: r.parent_id,
    documentId: r.document_id,
    owner: { id: r.owner_org_id, name: r.owner_org_name },
    title: r.title,
    lead: lead.map(ref),
    co: co.map(ref),
    leader: r.leader,
    ownerPerson: r.owner_person,
    handler: r.handler,
    targets: r.targets ?? [],
    dueDate: r.due_date,
    deadlineText: r.deadline_text,
    cadence: r.cadence as Cadence,
    status,
    statusLabel: TASK_STATUSES[status],
    progress: r.progress,
    escalation: r.escalation,
    escalationLabel: ESCALATION_LEVELS[r.escalation as EscalationLevel],
    escalationReason: r.escalation_reason,
    nextReportDue: r.next_report_due,
    lastReportAt: r.last_report_at?.toISOString() ?? null,
    childCount: r.child_count,
    version: r.version,
    abilities: {
      update: manage && status !== 'done',
      report: perms.has('task:report') && unit && fromStatuses('report').includes(status),
      supervise: perms.has('task:supervise') && status !== 'done' && status !== 'paused',
      split: perms.has('task:write') && unit && status !== 'done' && status !== 'paused',
      pause: manage && fromStatuses('pause').includes(status),
      resume: manage && status === 'paused',
      reopen: manage && status === 'done',
    },
  };
}

/** The audit snapshot of a task. */
export function auditTask(r: TaskRow, orgs?: readonly TaskOrgRow[]) {
  const mine = orgs?.filter((o) => o.task_id === r.id);
  return {
    title: r.title,
    ownerOrgId: r.owner_org_id,
    parentId: r.parent_id,
    documentId: r.document_id,
    leadOrgIds: mine?.filter((o) => o.role === 'lead').map((o) => o.id),
    coOrgIds: mine?.filter((o) => o.role === 'co').map((o) => o.id),
    leader: r.leader,
    ownerPerson: r.owner_person,
    handler: r.handler,
    targets: r.targets,
    dueDate: r.due_date,
    cadence: r.cadence,
    status: r.status,
    progress: r.progress,
    escalation: r.escalation,
    version: r.version,
  };
}
