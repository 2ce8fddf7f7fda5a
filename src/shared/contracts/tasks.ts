import { z } from 'zod';
import { isYmd } from '../calendar/ymd.js';
import { CADENCES, DOC_KINDS, ESCALATION_KEYS, MEETING_KINDS, TASK_STATUSES } from '../tasks/constants.js';
import { id, paging, text, version } from './common.js';

const keysOf = <T extends object>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
export const ymd = z.string().refine(isYmd, '日期格式应为 YYYY-MM-DD');
export const taskStatus = z.enum(keysOf(TASK_STATUSES));
export const cadence = z.enum(keysOf(CADENCES));
export const docKind = z.enum(keysOf(DOC_KINDS));
export const escalationKey = z.enum(keysOf(ESCALATION_KEYS));
export const meetingKind = z.enum(keysOf(MEETING_KINDS));
const orgRef = z.object({ id: z.number(), name: z.string() });

// ---------- documents ----------
export const docCreate = z
  .object({
    orgId: id,
    kind: docKind.default('speech'),
    title: text(200),
    docNo: z.string().trim().max(40).nullable().optional(),
    docDate: ymd,
    body: z.string(),
    sourceName: z.string().trim().max(200).nullable().optional(),
    fileHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable()
      .optional(),
  })
  .strict();
export type DocCreate = z.infer<typeof docCreate>;

export const docListQuery = z
  .object({ q: text(50).optional(), status: z.enum(['draft', 'published']).optional(), ...paging })
  .strict();
export type DocListQuery = z.infer<typeof docListQuery>;

export const docView = z.object({
  id: z.number(),
  org: orgRef,
  kind: docKind,
  kindLabel: z.string(),
  title: z.string(),
  docNo: z.string().nullable(),
  docDate: z.string(),
  status: z.enum(['draft', 'published']),
  chars: z.number(),
  sourceName: z.string().nullable(),
  taskCount: z.number(),
  meetingId: z.number().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  publishedAt: z.string().nullable(),
  version: z.number(),
});
export type DocView = z.infer<typeof docView>;
export const docDetail = docView.extend({ body: z.string() });

export const extractView = z.object({
  name: z.string(),
  fileHash: z.string(),
  text: z.string(),
  chars: z.number(),
  format: z.enum(['txt', 'docx', 'doc', 'xlsx', 'pdf']),
  /** What could not be read as intended (a .doc that is a .docx, PDF tables …). */
  notices: z.array(z.string()),
});

/** A unit name found in the text and what the registry has for it. */
export const unitMatch = z.object({
  name: z.string(),
  /** the best organization when confident, else null (a suggestion is among candidates) */
  orgId: z.number().nullable(),
  candidates: z.array(z.object({ id: z.number(), name: z.string(), score: z.number(), how: z.string() })),
});
export type UnitMatch = z.infer<typeof unitMatch>;
export const matchUnitsBody = z.object({ names: z.array(text(60)).min(1).max(200) }).strict();

export const draftTask = z.object({
  key: z.string(),
  title: z.string(),
  text: z.string(),
  start: z.number(),
  end: z.number(),
  heading: z.string().nullable(),
  lead: z.array(z.string()),
  co: z.array(z.string()),
  deadline: z
    .object({ text: z.string(), date: z.string().nullable(), recurrence: z.string().nullable() })
    .nullable(),
  targets: z.array(z.string()),
  dueDate: z.string().nullable(),
  cadence,
  /** 0–1 and the rule that found the task, with the reasons shown to the reviewer. */
  confidence: z.number(),
  rule: z.string(),
  why: z.array(z.string()),
});
export type DraftTask = z.infer<typeof draftTask>;

export const draftView = z.object({
  documentId: z.number(),
  version: z.number(),
  docDate: z.string(),
  headings: z.array(z.object({ level: z.number(), text: z.string(), start: z.number(), end: z.number() })),
  tasks: z.array(draftTask),
  units: z.array(unitMatch),
  /** true when the text has no outline numbering (everything is one section) */
  unnumbered: z.boolean(),
  ms: z.number(),
});
export type DraftView = z.infer<typeof draftView>;

const person = z.string().trim().max(40).nullable().optional();
const milestoneIn = z
  .object({ title: text(200), dueDate: ymd.nullable().optional(), done: z.boolean().default(false) })
  .strict();

/** A task as deployed (from a reviewed draft, by hand, or split down from a parent). */
export const taskInput = z
  .object({
    title: text(200),
    content: z.string().trim().max(20_000).default(''),
    leadOrgIds: z.array(id).min(1, '至少指定一个牵头单位').max(50),
    coOrgIds: z.array(id).max(100).default([]),
    leader: person,
    ownerPerson: person,
    handler: person,
    targets: z.array(text(200)).max(50).default([]),
    milestones: z.array(milestoneIn).max(50).default([]),
    dueDate: ymd.nullable().optional(),
    deadlineText: z.string().trim().max(100).nullable().optional(),
    recurrence: z.string().trim().max(20).nullable().optional(),
    cadence: cadence.default('monthly'),
    sourceStart: z.number().int().min(0).nullable().optional(),
    sourceEnd: z.number().int().min(0).nullable().optional(),
    heading: z.string().trim().max(500).nullable().optional(),
  })
  .strict();
export type TaskInput = z.infer<typeof taskInput>;

export const publishBody = z
  .object({
    version,
    ownerOrgId: id.optional(),
    tasks: z.array(taskInput).min(1, '没有要发布的任务').max(500),
  })
  .strict();
export type PublishBody = z.infer<typeof publishBody>;

export const taskCreate = taskInput.extend({ ownerOrgId: id, parentId: id.nullable().optional() }).strict();
export type TaskCreate = z.infer<typeof taskCreate>;

/** 层层分解: child tasks for subordinate organizations, in one transaction (the parent's version checked). */
export const taskSplit = z
  .object({
    version,
    /** the splitting organization (one of the parent's units or below); default: the first the actor speaks for */
    ownerOrgId: id.optional(),
    tasks: z.array(taskInput).min(1, '至少分解出一项子任务').max(50, '一次最多分解 50 项子任务'),
  })
  .strict();
export type TaskSplit = z.infer<typeof taskSplit>;

export const taskUpdate = z
  .object({
    version,
    title: text(200).optional(),
    content: z.string().trim().max(20_000).optional(),
    leadOrgIds: z.array(id).min(1).max(50).optional(),
    coOrgIds: z.array(id).max(100).optional(),
    leader: person,
    ownerPerson: person,
    handler: person,
    targets: z.array(text(200)).max(50).optional(),
    milestones: z.array(milestoneIn).max(50).optional(),
    dueDate: ymd.nullable().optional(),
    cadence: cadence.optional(),
    reason: z.string().trim().max(500).optional(),
  })
  .strict();
export type TaskUpdate = z.infer<typeof taskUpdate>;

export const taskListQuery = z
  .object({
    q: text(50).optional(),
    status: taskStatus.optional(),
    orgId: id.optional(),
    documentId: id.optional(),
    parentId: z.union([id, z.literal('root')]).optional(),
    minEscalation: z.coerce.number().int().min(0).max(3).optional(),
    dueBefore: ymd.optional(),
    /** urgency: 挂牌督办/督办 and 逾期 first (default); due: the earliest due date first; created: newest first */
    sort: z.enum(['urgency', 'due', 'created']).optional(),
    ...paging,
  })
  .strict();
export type TaskListQuery = z.infer<typeof taskListQuery>;

export const taskActionBody = z
  .object({ version, reason: z.string().trim().min(2, '请填写理由').max(500) })
  .strict();
export const taskActionParams = z.object({ id, action: z.enum(['pause', 'resume', 'reopen']) }).strict();

export const reportCreate = z
  .object({
    version,
    percent: z.number().int('进度应为整数百分比').min(0, '进度不能小于 0%'),
    content: text(5000, 2),
    orgId: id.optional(),
    fileIds: z.array(id).max(20).default([]),
  })
  .strict();
export type ReportCreate = z.infer<typeof reportCreate>;

export const escalateBody = z.object({ version, level: escalationKey, reason: text(500, 2) }).strict();
export const liftBody = z.object({ version, reason: text(500, 2) }).strict();

export const taskView = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  documentId: z.number().nullable(),
  owner: orgRef,
  title: z.string(),
  lead: z.array(orgRef),
  co: z.array(orgRef),
  leader: z.string().nullable(),
  ownerPerson: z.string().nullable(),
  handler: z.string().nullable(),
  targets: z.array(z.string()),
  dueDate: z.string().nullable(),
  deadlineText: z.string().nullable(),
  cadence,
  status: taskStatus,
  statusLabel: z.string(),
  progress: z.number(),
  escalation: z.number(),
  escalationLabel: z.string(),
  escalationReason: z.string().nullable(),
  nextReportDue: z.string().nullable(),
  lastReportAt: z.string().nullable(),
  childCount: z.number(),
  version: z.number(),
  abilities: z.object({
    update: z.boolean(),
    report: z.boolean(),
    supervise: z.boolean(),
    split: z.boolean(),
    pause: z.boolean(),
    resume: z.boolean(),
    reopen: z.boolean(),
  }),
});
export type TaskView = z.infer<typeof taskView>;

export const reportView = z.object({
  id: z.number(),
  org: orgRef,
  userName: z.string(),
  percent: z.number(),
  content: z.string(),
  files: z.array(z.object({ id: z.number(), name: z.string(), size: z.number() })),
  createdAt: z.string(),
});
export const eventView = z.object({
  id: z.number(),
  at: z.string(),
  actorName: z.string(),
  org: orgRef.nullable(),
  action: z.string(),
  actionLabel: z.string(),
  fromStatus: z.string().nullable(),
  toStatus: z.string().nullable(),
  note: z.string().nullable(),
  data: z.unknown(),
  taskId: z.number(),
  taskTitle: z.string().optional(),
});
export const taskDetail = taskView.extend({
  content: z.string(),
  recurrence: z.string().nullable(),
  document: z.object({ id: z.number(), title: z.string(), docNo: z.string().nullable() }).nullable(),
  sourceStart: z.number().nullable(),
  sourceEnd: z.number().nullable(),
  heading: z.string().nullable(),
  milestones: z.array(
    z.object({ id: z.number(), title: z.string(), dueDate: z.string().nullable(), done: z.boolean() }),
  ),
  children: z.array(
    taskView
      .pick({ id: true, title: true, status: true, progress: true, dueDate: true })
      .extend({ lead: z.array(orgRef) }),
  ),
  reports: z.array(reportView),
  completedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TaskDetail = z.infer<typeof taskDetail>;

export const worklogQuery = z
  .object({
    taskId: id.optional(),
    orgId: id.optional(),
    from: ymd.optional(),
    to: ymd.optional(),
    ...paging,
  })
  .strict();

// ---------- rankings and notices ----------
/** A ranking period; without dates, the last complete month. */
export const periodQuery = z
  .object({ from: ymd.optional(), to: ymd.optional(), orgId: id.optional() })
  .strict()
  .refine((p) => (p.from === undefined) === (p.to === undefined), {
    message: '请同时填写开始日期和结束日期（都不填则为上一个完整月份）',
    path: ['from'],
  })
  .refine((p) => !p.from || !p.to || p.from <= p.to, { message: '开始日期不能晚于结束日期', path: ['to'] });
export const rankRow = z.object({
  rank: z.number(),
  orgId: z.number(),
  orgName: z.string(),
  due: z.number(),
  onTime: z.number(),
  late: z.number(),
  overdue: z.number(),
  escalated: z.number(),
  rate: z.number().nullable(),
});
export const noticeCreate = z
  .object({
    title: text(200),
    orgId: id,
    from: ymd,
    to: ymd,
    comment: z.string().trim().max(5000).default(''),
  })
  .strict()
  .refine((p) => p.from <= p.to, { message: '开始日期不能晚于结束日期', path: ['to'] });
export type NoticeCreate = z.infer<typeof noticeCreate>;
export const overdueItem = z.object({
  taskId: z.number(),
  title: z.string(),
  orgName: z.string(),
  dueDate: z.string(),
  escalation: z.number(),
});
export const noticeView = z.object({
  id: z.number(),
  org: orgRef,
  title: z.string(),
  from: z.string(),
  to: z.string(),
  comment: z.string(),
  ranking: z.array(rankRow),
  overdue: z.array(overdueItem),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type NoticeView = z.infer<typeof noticeView>;

// ---------- meetings ----------
export const attendee = z.object({
  name: text(40),
  orgId: id.nullable().optional(),
  title: z.string().trim().max(60).nullable().optional(),
});
export const meetingCreate = z
  .object({
    orgId: id,
    kind: meetingKind.default('joint'),
    title: text(200),
    heldOn: ymd,
    place: z.string().trim().max(200).nullable().optional(),
    attendees: z.array(attendee).max(500).default([]),
    minutes: z.string().trim().max(200_000).default(''),
    decisions: z.string().trim().max(200_000).default(''),
  })
  .strict();
export type MeetingCreate = z.infer<typeof meetingCreate>;
export const meetingView = z.object({
  id: z.number(),
  org: orgRef,
  kind: meetingKind,
  kindLabel: z.string(),
  title: z.string(),
  heldOn: z.string(),
  place: z.string().nullable(),
  attendees: z.array(
    z.object({ name: z.string(), orgId: z.number().nullable(), title: z.string().nullable() }),
  ),
  minutes: z.string(),
  decisions: z.string(),
  documentId: z.number().nullable(),
  createdAt: z.string(),
  version: z.number(),
});
export type MeetingView = z.infer<typeof meetingView>;
