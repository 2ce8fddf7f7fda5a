import {
  APPEAL_CHANNELS,
  APPEAL_GROUPS,
  APPEAL_STATUSES,
  type AppealChannel,
  type AppealGroup,
  OPEN_STATUSES,
  type Satisfaction,
  SUPERVISION_LEVELS,
  type SupervisionLevel,
} from '../../../shared/appeals/constants.js';
import { APPEAL_ACTIONS, type AppealAction, availableActions } from '../../../shared/appeals/machine.js';
import { lightOf } from '../../../shared/appeals/sla.js';
import type { AppealDetail, AppealListItem } from '../../../shared/contracts/appeals.js';
import { maskName, maskPhone } from '../../../shared/mask.js';
import type { Actor } from '../../platform/actor.js';
import type { Pii } from '../../platform/pii.js';
import type { AppealConfig } from './config.js';
import type { AppealRow, AssistRow, EventRow, FileRow } from './repo.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function titleOf(content: string): string {
  const line = content.replace(/\s+/g, ' ').trim();
  return line.length > 30 ? `${line.slice(0, 30)}…` : line;
}

export function lightOfRow(r: AppealRow, now: Date) {
  return lightOf(
    {
      dueAt: r.due_at,
      warnAt: r.warn_at,
      answered: !OPEN_STATUSES.includes(r.status),
      suspended: r.status === 'suspended',
    },
    now,
  );
}

export function presentListItem(r: AppealRow, cfg: AppealConfig, now: Date): AppealListItem {
  return {
    id: r.id,
    trackingCode: r.tracking_code,
    title: r.title,
    status: r.status,
    statusLabel: APPEAL_STATUSES[r.status],
    group: r.group_key as AppealGroup,
    groupLabel: APPEAL_GROUPS[r.group_key as AppealGroup] ?? r.group_key,
    categoryCode: r.category_code,
    categoryName: cfg.categories.get(r.category_code)?.name ?? r.category_code,
    channel: r.channel as AppealChannel,
    channelLabel: APPEAL_CHANNELS[r.channel as AppealChannel] ?? r.channel,
    priority: r.priority,
    regionCode: r.region_code,
    regionName: r.region_name,
    orgId: r.org_id,
    orgName: r.org_name,
    supervisionLevel: r.supervision_level,
    supervisionLabel: SUPERVISION_LEVELS[r.supervision_level as SupervisionLevel],
    light: lightOfRow(r, now),
    dueAt: iso(r.due_at),
    createdAt: r.created_at.toISOString(),
    repliedAt: iso(r.replied_at),
    satisfaction: r.satisfaction as Satisfaction | null,
    version: r.version,
  };
}

/** Handlers do not see who filed an anonymous or confidential appeal; the intake seat does. */
export const identityHidden = (r: Pick<AppealRow, 'anonymous' | 'confidential'>, actor: Actor) =>
  (r.anonymous || r.confidential) && !actor.permissions.has('appeal:intake');

export function presentSubmitter(r: AppealRow, actor: Actor, pii: Pii): AppealDetail['submitter'] {
  const hidden = identityHidden(r, actor);
  return {
    hidden,
    name: hidden || r.anonymous || !r.name_enc ? null : maskName(pii.decrypt(r.name_enc)),
    phone: hidden ? null : maskPhone(pii.decrypt(r.phone_enc)),
    anonymous: r.anonymous,
    confidential: r.confidential,
  };
}

export function presentDetail(
  r: AppealRow,
  x: { events: EventRow[]; assists: AssistRow[]; files: FileRow[]; ownsAppeal: boolean },
  actor: Actor,
  cfg: AppealConfig,
  pii: Pii,
  now: Date,
): AppealDetail {
  const filesByEvent = new Map<number, FileRow[]>();
  for (const f of x.files)
    if (f.event_id) filesByEvent.set(f.event_id, [...(filesByEvent.get(f.event_id) ?? []), f]);
  const brief = (f: FileRow) => ({ id: f.id, name: f.name, size: f.size, mime: f.mime });
  // co-handlers see the appeal but act only on their own part
  const actions: AppealAction[] = x.ownsAppeal
    ? availableActions(r.status, actor.permissions).filter((a) => a !== 'assist_reply')
    : [];
  return {
    ...presentListItem(r, cfg, now),
    content: r.content,
    submitter: presentSubmitter(r, actor, pii),
    routing: { auto: r.routing.auto, reason: r.routing.reason, ruleName: r.routing.ruleName },
    deadlines: {
      signDueAt: iso(r.sign_due_at),
      returnDueAt: iso(r.return_due_at),
      dueAt: iso(r.due_at),
      warnAt: iso(r.warn_at),
      visitDueAt: iso(r.visit_due_at),
    },
    reply: r.reply,
    extension: {
      requestedDays: r.extension_requested_days,
      reason: r.extension_reason,
      approvedDays: r.extension_days,
    },
    suspendedAt: iso(r.suspended_at),
    reopenCount: r.reopen_count,
    mergedInto: r.merged_into && r.merged_code ? { id: r.merged_into, trackingCode: r.merged_code } : null,
    visitNote: r.visit_note,
    events: x.events.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      actorName: e.actor_name,
      action: e.action,
      actionLabel: APPEAL_ACTIONS[e.action as AppealAction] ?? EXTRA_LABELS[e.action] ?? e.action,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      orgName: e.org_name,
      targetOrgName: e.target_org_name,
      note: e.note,
      publicText: e.public_text,
      files: (filesByEvent.get(e.id) ?? []).map(brief),
    })),
    assists: x.assists.map((s) => ({
      id: s.id,
      orgId: s.org_id,
      orgName: s.org_name,
      status: s.status,
      request: s.request,
      reply: s.reply,
      version: s.version,
    })),
    files: x.files.map((f) => ({ ...brief(f), at: f.created_at.toISOString() })),
    abilities: {
      actions,
      reveal:
        actor.permissions.has('pii:reveal') &&
        (!(r.anonymous || r.confidential) || actor.permissions.has('appeal:intake')),
    },
  };
}

export const EXTRA_LABELS: Record<string, string> = {
  intake: '受理',
  attach: '上传附件',
  reveal: '查看完整联系方式',
};

/** The audit snapshot of an appeal: no content, no identity (masked elsewhere), the workflow fields. */
export function auditAppeal(
  r: Pick<AppealRow, 'tracking_code' | 'status' | 'org_id' | 'supervision_level' | 'version'>,
) {
  return {
    trackingCode: r.tracking_code,
    status: r.status,
    orgId: r.org_id,
    supervisionLevel: r.supervision_level,
    version: r.version,
  };
}
