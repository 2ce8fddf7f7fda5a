import { describe, expect, it } from 'vitest';
import { appealTodoLevel } from '../../../src/server/modules/appeals/todo.js';
import { taskTodoKind } from '../../../src/server/modules/tasks/todo.js';
import { compareTodo, type TodoItem, todoLevel } from '../../../src/server/platform/inbox.js';
import { LiveHub } from '../../../src/server/platform/live.js';

const at = (s: string) => new Date(`${s}+08:00`);
const item = (over: Partial<TodoItem>): TodoItem => ({
  kind: 'x.y',
  id: 1,
  title: 't',
  dueAt: null,
  level: 'normal',
  href: '/',
  ...over,
});

describe('todoLevel', () => {
  const start = at('2026-03-02T09:00:00');
  const due = at('2026-03-12T09:00:00'); // ten days
  it('is normal without a time limit, and before 80 % of the time', () => {
    expect(todoLevel(start, null, at('2030-01-01T00:00:00'))).toBe('normal');
    expect(todoLevel(start, due, at('2026-03-09T08:59:59'))).toBe('normal');
  });
  it('warns from 80 % of the allowed time and is overdue after the due time', () => {
    expect(todoLevel(start, due, at('2026-03-10T09:00:00'))).toBe('warning');
    expect(todoLevel(start, due, at('2026-03-12T09:00:00'))).toBe('warning');
    expect(todoLevel(start, due, at('2026-03-12T09:00:01'))).toBe('overdue');
  });
  it('without a start only knows overdue', () => {
    expect(todoLevel(null, due, at('2026-03-11T23:00:00'))).toBe('normal');
    expect(todoLevel(null, due, at('2026-03-13T00:00:00'))).toBe('overdue');
  });
});

describe('compareTodo', () => {
  it('puts urgent first, then overdue, warning, normal; earliest due first, none last', () => {
    const list = [
      item({ id: 1, level: 'normal', dueAt: null }),
      item({ id: 2, level: 'normal', dueAt: '2026-03-05T00:00:00.000Z' }),
      item({ id: 3, level: 'warning', dueAt: '2026-03-09T00:00:00.000Z' }),
      item({ id: 4, level: 'overdue', dueAt: '2026-03-01T00:00:00.000Z' }),
      item({ id: 5, level: 'normal', dueAt: '2026-03-20T00:00:00.000Z', urgent: true }),
      item({ id: 6, level: 'normal', dueAt: '2026-03-04T00:00:00.000Z' }),
      item({ id: 7, level: 'overdue', dueAt: '2026-02-01T00:00:00.000Z', urgent: true }),
    ];
    expect([...list].sort(compareTodo).map((i) => i.id)).toEqual([7, 5, 4, 3, 6, 2, 1]);
  });
  it('is a total order (ties broken by id)', () => {
    expect(compareTodo(item({ id: 'a' }), item({ id: 'b' }))).toBeLessThan(0);
    expect(compareTodo(item({ id: 'b' }), item({ id: 'a' }))).toBeGreaterThan(0);
  });
});

describe('appealTodoLevel', () => {
  it('uses the appeal’s own 80 % mark (working days) when it has one', () => {
    const r = {
      started_at: at('2026-03-02T09:00:00'),
      warn_at: at('2026-03-05T17:30:00'),
      due_at: at('2026-03-06T17:30:00'),
    };
    expect(appealTodoLevel(r, at('2026-03-05T17:29:59'))).toBe('normal');
    expect(appealTodoLevel(r, at('2026-03-05T17:30:00'))).toBe('warning');
    expect(appealTodoLevel(r, at('2026-03-06T17:30:01'))).toBe('overdue');
    expect(appealTodoLevel({ ...r, warn_at: null }, at('2026-03-06T00:00:00'))).toBe('warning');
  });
});

describe('taskTodoKind', () => {
  const base = { status: 'in_progress', escalation: 0, due_date: null, next_report_due: null };
  const today = '2026-03-10';
  const horizon = '2026-03-17';
  it('lists each task once, under 督办, 逾期 or 待报送, and not before the horizon', () => {
    expect(taskTodoKind({ ...base, escalation: 2, status: 'overdue' }, today, horizon)).toBe(
      'task.supervised',
    );
    expect(taskTodoKind({ ...base, escalation: 1, status: 'overdue' }, today, horizon)).toBe('task.overdue');
    expect(taskTodoKind({ ...base, due_date: '2026-03-09' }, today, horizon)).toBe('task.overdue');
    expect(taskTodoKind({ ...base, due_date: '2026-03-10' }, today, horizon)).toBe('task.report');
    expect(
      taskTodoKind({ ...base, due_date: '2026-06-30', next_report_due: '2026-03-17' }, today, horizon),
    ).toBe('task.report');
    expect(
      taskTodoKind({ ...base, due_date: '2026-06-30', next_report_due: '2026-03-18' }, today, horizon),
    ).toBeNull();
    expect(taskTodoKind(base, today, horizon)).toBeNull();
  });
});

describe('LiveHub', () => {
  it('delivers to the streams of the users named, once per user, and closes them all', () => {
    const hub = new LiveHub();
    const got: string[] = [];
    let closed = 0;
    const off1 = hub.subscribe(
      1,
      (e) => got.push(`1:${e.type}`),
      () => closed++,
    );
    hub.subscribe(
      2,
      (e) => got.push(`2:${e.type}`),
      () => closed++,
    );
    hub.publish([1, 1, 3], { type: 'notices' });
    expect(got).toEqual(['1:notices']);
    expect(hub.users().sort()).toEqual([1, 2]);
    off1();
    hub.publish([1, 2], { type: 'todo' });
    expect(got).toEqual(['1:notices', '2:todo']);
    expect(hub.users()).toEqual([2]);
    hub.closeAll();
    expect(closed).toBe(1);
  });
});
