import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import type { TestSystem } from '../support/system.js';

export const SPEECHES = new URL('../../fixtures/seed/speeches/', import.meta.url);

/** Moves the business clock (Asia/Shanghai wall time). */
export async function setClock(c: Client, local: string): Promise<void> {
  const r = await c.post('/api/test/clock', { to: `${local}+08:00` });
  if (r.status !== 200) throw new Error(`clock: ${JSON.stringify(r.body)}`);
}

export async function orgOfUser(sys: TestSystem, username: string): Promise<number> {
  const r = await sys.db.query<{ org_id: number }>(
    sql`SELECT org_id FROM users WHERE username = ${username}`,
  );
  return r[0]!.org_id;
}

export async function orgByName(sys: TestSystem, name: string): Promise<number> {
  const r = await sys.db.query<{ id: number }>(sql`SELECT id FROM orgs WHERE name = ${name}`);
  if (!r[0]) throw new Error(`no org ${name}`);
  return r[0].id;
}

export async function newDoc(c: Client, orgId: number, body: string, extra: object = {}) {
  const r = await c.post('/api/task-docs', {
    orgId,
    title: '测试文档',
    docDate: '2026-03-02',
    body,
    ...extra,
  });
  if (r.status !== 201) throw new Error(`doc: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: number; version: number };
}

let seq = 0;
/** Deploys one task by hand as `c` (owner = ownerOrgId). */
export async function newTask(c: Client, ownerOrgId: number, leadOrgIds: number[], extra: object = {}) {
  const r = await c.post('/api/tasks', {
    ownerOrgId,
    title: `测试任务${++seq}`,
    leadOrgIds,
    dueDate: '2026-04-30',
    ...extra,
  });
  if (r.status !== 201) throw new Error(`task: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: number; version: number; status: string };
}

export async function notificationsOf(
  sys: TestSystem,
  username: string,
): Promise<{ title: string; body: string }[]> {
  return sys.db.query(sql`SELECT n.title, n.body FROM notifications n
    JOIN users u ON u.id = n.user_id WHERE u.username = ${username} ORDER BY n.id`);
}
