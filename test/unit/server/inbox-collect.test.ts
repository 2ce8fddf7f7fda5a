import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/server/platform/actor.js';
import type { Queryable } from '../../../src/server/platform/db/index.js';
import { collectTodo, registerTodoSource, type TodoItem } from '../../../src/server/platform/inbox.js';

// only the sources registered here (no module is imported in this file)
const item = (over: Partial<TodoItem>): TodoItem => ({
  kind: 'x.y',
  id: 1,
  title: 't',
  dueAt: null,
  level: 'normal',
  href: '/',
  ...over,
});

describe('collectTodo', () => {
  it('merges the sources, sorts by urgency and counts every kind (also 0)', async () => {
    const seen: Actor[] = [];
    registerTodoSource({
      kinds: ['unit.a', 'unit.b'],
      async list(_q, actor) {
        seen.push(actor);
        return [
          item({ kind: 'unit.a', id: 1, level: 'normal' }),
          item({ kind: 'unit.a', id: 2, level: 'overdue' }),
        ];
      },
    });
    registerTodoSource({
      kinds: ['unit.c'],
      list: async () => [item({ kind: 'unit.c', id: 3, urgent: true })],
    });
    const actor = { userId: 9 } as Actor;
    const r = await collectTodo({} as Queryable, actor, new Date());
    expect(r.items.map((i) => i.id)).toEqual([3, 2, 1]);
    expect(r.counts).toEqual({ 'unit.a': 2, 'unit.b': 0, 'unit.c': 1 });
    expect(seen).toEqual([actor]);
  });
});
