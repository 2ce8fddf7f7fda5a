import { sql } from '../../../src/server/platform/db/index.js';
import type { Permission } from '../../../src/shared/permissions.js';
import type { Client } from './client.js';
import type { TestSystem } from './system.js';

/**
 * The one authorization matrix. Every module adds its endpoints here (see matrix.test.ts);
 * each endpoint runs as `county1.union` (ORG_AND_BELOW on a county union) against a target
 * in its own organization, in a child organization and in a sibling county (→ 404), and as a
 * user of the same organization whose role lacks the permission (→ 403).
 */
export type Target = 'own' | 'child' | 'sibling';

export interface MatrixFixture {
  sys: TestSystem;
  admin: Client;
  /** organization ids: county1 union, a township union under it, county2 union */
  orgs: Record<Target, number>;
}

export interface MatrixEndpoint {
  name: string;
  permission: Permission;
  /** expected status when allowed */
  ok: number;
  /** builds the request for a target; may create rows through `fx.admin` first */
  request(fx: MatrixFixture, target: Target): Promise<{ method: string; url: string; body?: unknown }>;
}

const endpoints: { module: string; list: MatrixEndpoint[] }[] = [];

export function addToMatrix(module: string, list: MatrixEndpoint[]): void {
  endpoints.push({ module, list });
}

export function matrixEndpoints() {
  return endpoints.flatMap((m) => m.list.map((e) => ({ ...e, module: m.module })));
}

/** Builds the fixture: the three target organizations and a permission-less user in county1. */
export async function buildFixture(
  sys: TestSystem,
): Promise<MatrixFixture & { noPermission: Client; actor: Client }> {
  const admin = await sys.login('admin');
  const ids = await sys.db.query<{ username: string; org_id: number }>(
    sql`SELECT username, org_id FROM users WHERE username IN ('county1.union', 'county2.union')`,
  );
  const own = ids.find((r) => r.username === 'county1.union')!.org_id;
  const sibling = ids.find((r) => r.username === 'county2.union')!.org_id;
  const child = (
    await sys.db.query<{ id: number }>(sql`SELECT id FROM orgs WHERE parent_id = ${own} ORDER BY id LIMIT 1`)
  )[0]!.id;
  const role = await admin.post('/api/roles', {
    key: 'matrix_none',
    name: '无权限（测试）',
    permissions: [],
    dataScope: 'ORG_AND_BELOW',
  });
  if (role.status !== 201) throw new Error(`role: ${JSON.stringify(role.body)}`);
  const user = await admin.post('/api/users', {
    username: 'matrix.none',
    displayName: '无权限用户',
    orgId: own,
    password: 'Grid#Check26',
    roleIds: [role.body.id],
  });
  if (user.status !== 201) throw new Error(`user: ${JSON.stringify(user.body)}`);
  return {
    sys,
    admin,
    orgs: { own, child, sibling },
    actor: await sys.login('county1.union'),
    noPermission: await sys.login('matrix.none', 'Grid#Check26'),
  };
}
