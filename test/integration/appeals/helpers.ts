import { sql } from '../../../src/server/platform/db/index.js';
import type { Client } from '../support/client.js';
import type { TestSystem } from '../support/system.js';

/** Organizations and regions of the demo city used by the appeal tests. */
export interface AppealWorld {
  county1Union: number;
  county2Union: number;
  town1Union: number;
  center: number;
  county1Region: string;
  /** a township in county1 (town1's region) */
  town1Region: string;
  county2Region: string;
  county1Women: number;
}

export async function appealWorld(sys: TestSystem): Promise<AppealWorld> {
  const users = await sys.db.query<{ username: string; org_id: number }>(
    sql`SELECT username, org_id FROM users WHERE username IN ('county1.union', 'county2.union', 'town1.union')`,
  );
  const org = (u: string) => users.find((r) => r.username === u)!.org_id;
  const orgs = await sys.db.query<{ id: number; region_code: string }>(
    sql`SELECT id, region_code FROM orgs WHERE id = ANY(${[org('county1.union'), org('county2.union'), org('town1.union')]}::bigint[])`,
  );
  const region = (id: number) => orgs.find((o) => o.id === id)!.region_code;
  const women = await sys.db.query<{ id: number }>(
    sql`SELECT id FROM orgs WHERE type = 'women' AND level = 'county' AND region_code = ${region(org('county1.union'))}`,
  );
  const center = await sys.db.query<{ id: number }>(
    sql`SELECT id FROM orgs WHERE type = 'party_mass_office' ORDER BY depth, id LIMIT 1`,
  );
  return {
    county1Union: org('county1.union'),
    county2Union: org('county2.union'),
    town1Union: org('town1.union'),
    center: center[0]!.id,
    county1Region: region(org('county1.union')),
    town1Region: region(org('town1.union')),
    county2Region: region(org('county2.union')),
    county1Women: women[0]!.id,
  };
}

let seq = 0;
/** A unique phone number and text per call, so de-duplication does not merge test appeals. */
export function uniquePhone(): string {
  seq++;
  return `139${String(Date.now() % 100000).padStart(5, '0')}${String(seq % 1000).padStart(3, '0')}`;
}

export interface Submitted {
  trackingCode: string;
  id: number;
  phone: string;
}

/** Submits an appeal through the public form and returns its code and id. */
export async function submitPublic(
  sys: TestSystem,
  body: Partial<{
    content: string;
    group: string;
    categoryCode: string;
    regionCode: string;
    phone: string;
    name: string;
    anonymous: boolean;
    confidential: boolean;
    idempotencyKey: string;
  }>,
  world: AppealWorld,
): Promise<Submitted> {
  const phone = body.phone ?? uniquePhone();
  const res = await sys.anonymous().post('/api/public/appeals', {
    content: `公司拖欠工资三个月，老板失联，请求帮助讨薪。编号${++seq}-${Date.now()}`,
    group: 'worker',
    categoryCode: 'LABOR_WAGE',
    regionCode: world.town1Region,
    name: '张三',
    ...body,
    phone,
  });
  if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
  const row = await sys.db.query<{ id: number }>(
    sql`SELECT id FROM appeals WHERE tracking_code = ${res.body.trackingCode}`,
  );
  return { trackingCode: res.body.trackingCode, id: row[0]!.id, phone };
}

/** Performs a staff action and fails loudly when it does not succeed. */
export async function act(c: Client, id: number, action: string, body: Record<string, unknown> = {}) {
  const cur = await c.get(`/api/appeals/${id}`);
  if (cur.status !== 200)
    throw new Error(`get ${id} as ${c.username}: ${cur.status} ${JSON.stringify(cur.body)}`);
  const res = await c.post(`/api/appeals/${id}/${action}`, { version: cur.body.version, ...body });
  if (res.status === 204) return null;
  if (res.status !== 200)
    throw new Error(`${action} on ${id} as ${c.username}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const phone4 = (phone: string) => phone.slice(-4);
