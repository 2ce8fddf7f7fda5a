import { describe, expect, it } from 'vitest';
import { workCalendar } from '../../../src/shared/calendar/workdays.js';
import {
  cadenceOfRecurrence,
  isPastDue,
  nextReportDue,
  periodOf,
  remindOn,
  urgeOn,
} from '../../../src/shared/tasks/cadence.js';
import { STATUS_LIST, type TaskStatus } from '../../../src/shared/tasks/constants.js';
import { normalizeDocNo } from '../../../src/shared/tasks/docNo.js';
import {
  decideTask,
  TASK_ACTION_LIST,
  TASK_TRANSITIONS,
  targetStatus,
} from '../../../src/shared/tasks/machine.js';
import { computeRanking } from '../../../src/shared/tasks/ranking.js';

const ROLES = {
  deployer: new Set(['task:read', 'task:write', 'task:report']),
  unit: new Set(['task:read', 'task:report']),
  supervisor: new Set(['task:read', 'task:supervise']),
  reader: new Set(['task:read']),
};

/** The lifecycle written out by hand: action → from → to (what the table must say). */
const EXPECTED: Record<string, string[]> = {
  report: [
    'not_started>in_progress',
    'not_started>done',
    'in_progress>in_progress',
    'in_progress>done',
    'overdue>overdue',
    'overdue>done',
  ],
  pause: ['not_started>paused', 'in_progress>paused', 'overdue>paused'],
  resume: ['paused>not_started', 'paused>in_progress', 'paused>overdue'],
  reopen: ['done>in_progress', 'done>overdue'],
  reschedule: ['overdue>not_started', 'overdue>in_progress'],
  overdue: ['not_started>overdue', 'in_progress>overdue'],
  rollup_done: ['not_started>done', 'in_progress>done', 'overdue>done'],
  escalate: ['not_started>not_started', 'in_progress>in_progress', 'overdue>overdue'],
  lift: [
    'not_started>not_started',
    'in_progress>in_progress',
    'overdue>overdue',
    'done>done',
    'paused>paused',
  ],
  auto_urge: ['overdue>overdue'],
};
const PERMISSION: Record<string, string> = {
  report: 'task:report',
  pause: 'task:write',
  resume: 'task:write',
  reopen: 'task:write',
  reschedule: 'task:write',
  escalate: 'task:supervise',
  lift: 'task:supervise',
};

describe('task lifecycle table', () => {
  it('has exactly the moves written out by hand', () => {
    for (const action of TASK_ACTION_LIST) {
      const got = TASK_TRANSITIONS.filter((t) => t.action === action).map((t) => `${t.from}>${t.to}`);
      expect(got.sort(), action).toEqual([...(EXPECTED[action] ?? [])].sort());
    }
  });

  it('decides every action × from × to × role', () => {
    let checked = 0;
    for (const action of TASK_ACTION_LIST)
      for (const from of STATUS_LIST)
        for (const to of STATUS_LIST) {
          const exists = EXPECTED[action]!.includes(`${from}>${to}`);
          for (const [role, perms] of Object.entries(ROLES)) {
            const d = decideTask(action, from, to, { kind: 'user', permissions: perms });
            const perm = PERMISSION[action];
            const allowed = perm !== undefined && perms.has(perm);
            expect(d, `${action} ${from}>${to} ${role}`).toEqual(
              !allowed
                ? { ok: false, reason: 'forbidden' }
                : exists
                  ? { ok: true }
                  : { ok: false, reason: 'state' },
            );
            checked++;
          }
          const sys = decideTask(action, from, to, { kind: 'system' });
          const systemAction = PERMISSION[action] === undefined;
          expect(sys, `${action} ${from}>${to} system`).toEqual(
            !systemAction
              ? { ok: false, reason: 'forbidden' }
              : exists
                ? { ok: true }
                : { ok: false, reason: 'state' },
          );
        }
    expect(checked).toBe(TASK_ACTION_LIST.length * 25 * 4);
  });

  it('works out the target of an action from the facts', () => {
    const f = (
      action: Parameters<typeof targetStatus>[0],
      from: TaskStatus,
      facts: Partial<Parameters<typeof targetStatus>[2]>,
    ) => targetStatus(action, from, { pastDue: false, progress: 0, ...facts });
    expect(f('report', 'not_started', { percent: 30 })).toBe('in_progress');
    expect(f('report', 'overdue', { percent: 30 })).toBe('overdue');
    expect(f('report', 'overdue', { percent: 100 })).toBe('done');
    expect(f('resume', 'paused', { progress: 0 })).toBe('not_started');
    expect(f('resume', 'paused', { progress: 20 })).toBe('in_progress');
    expect(f('resume', 'paused', { pastDue: true })).toBe('overdue');
    expect(f('reopen', 'done', { pastDue: true })).toBe('overdue');
  });
});

describe('cadence on the working-day calendar', () => {
  it('finds report periods', () => {
    expect(periodOf('monthly', '2026-02-10')).toEqual({ start: '2026-02-01', end: '2026-02-28' });
    expect(periodOf('semimonthly', '2026-02-16')).toEqual({ start: '2026-02-16', end: '2026-02-28' });
    expect(periodOf('semimonthly', '2026-02-15')).toEqual({ start: '2026-02-01', end: '2026-02-15' });
    expect(periodOf('quarterly', '2026-05-20')).toEqual({ start: '2026-04-01', end: '2026-06-30' });
    expect(periodOf('weekly', '2026-03-04')).toEqual({ start: '2026-03-02', end: '2026-03-08' });
    expect(periodOf('none', '2026-03-04')).toBeNull();
  });

  it('puts report dates on the last working day of the period, skipping holidays and counting 调休 Saturdays', () => {
    // 2026-02-28 is a Saturday worked for the Spring Festival (调休)
    expect(nextReportDue(workCalendar, 'monthly', '2026-02-10', null, null)).toBe('2026-02-28');
    // 2026-05-31 is a Sunday: the last working day of May is Friday the 29th
    expect(nextReportDue(workCalendar, 'monthly', '2026-05-06', null, null)).toBe('2026-05-29');
    // reported already this period: next period's
    expect(nextReportDue(workCalendar, 'monthly', '2026-05-06', '2026-05-06', null)).toBe('2026-06-30');
    // never after the task's own due date
    expect(nextReportDue(workCalendar, 'monthly', '2026-05-06', null, '2026-05-15')).toBe('2026-05-15');
    expect(nextReportDue(workCalendar, 'none', '2026-05-06', null, null)).toBeNull();
  });

  it('reminds working days before and urges on the first working day after a missed date', () => {
    expect(remindOn(workCalendar, '2026-04-30', 3)).toBe('2026-04-27');
    expect(urgeOn(workCalendar, '2026-04-30')).toBe('2026-05-06');
    expect(urgeOn(workCalendar, '2026-03-06')).toBe('2026-03-09');
    expect(isPastDue('2026-04-30', '2026-04-30')).toBe(false);
    expect(isPastDue('2026-04-30', '2026-05-01')).toBe(true);
    expect(isPastDue(null, '2026-05-01')).toBe(false);
    expect(cadenceOfRecurrence('quarterly')).toBe('quarterly');
    expect(cadenceOfRecurrence(null)).toBe('monthly');
  });
});

describe('rankings', () => {
  const row = (orgId: number, dueDate: string, completedDate: string | null, escalation = 0) => ({
    orgId,
    orgName: `单位${orgId}`,
    dueDate,
    completedDate,
    escalation,
  });
  it('ranks by on-time rate, then by overdue count, with ties sharing a rank', () => {
    const r = computeRanking(
      [
        row(1, '2026-04-10', '2026-04-09'),
        row(1, '2026-04-20', '2026-04-25'),
        row(2, '2026-04-10', '2026-04-10'),
        row(3, '2026-04-10', null, 2),
        row(3, '2026-03-10', null, 3), // due before the period, still open: overdue in it
        row(4, '2026-04-15', '2026-04-15'),
        row(5, '2026-06-01', null), // due after the period: not counted
      ],
      { from: '2026-04-01', to: '2026-04-30' },
    );
    expect(r.map((x) => [x.rank, x.orgId, x.due, x.onTime, x.late, x.overdue])).toEqual([
      [1, 2, 1, 1, 0, 0],
      [1, 4, 1, 1, 0, 0],
      [3, 1, 2, 1, 1, 1],
      [4, 3, 1, 0, 0, 2],
    ]);
    expect(r[3]!.escalated).toBe(2);
    expect(r[2]!.rate).toBe(0.5);
  });
  it('does not count as overdue what is not yet due on the day it is judged', () => {
    const r = computeRanking([row(1, '2026-04-20', null)], {
      from: '2026-04-01',
      to: '2026-04-30',
      asOf: '2026-04-10',
    });
    expect(r[0]!.overdue).toBe(0);
  });
});

describe('document numbers', () => {
  it('normalizes brackets and rejects other text', () => {
    expect(normalizeDocNo('张政发〔2026〕37号')).toBe('张政发〔2026〕37号');
    expect(normalizeDocNo('张政发[2026]37号')).toBe('张政发〔2026〕37号');
    expect(normalizeDocNo('市群发（2026）005号')).toBe('市群发〔2026〕5号');
    expect(normalizeDocNo('37号')).toBeNull();
    expect(normalizeDocNo('张政发2026年37号')).toBeNull();
  });
});
