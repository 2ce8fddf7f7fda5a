import { sql } from '../../../src/server/platform/db/index.js';
import { makeIdNumber } from '../../../src/shared/rules/idNumber.js';
import type { Client } from '../support/client.js';
import type { TestSystem } from '../support/system.js';

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

export async function regionOfOrg(sys: TestSystem, orgId: number): Promise<string> {
  const r = await sys.db.query<{ region_code: string }>(
    sql`SELECT region_code FROM orgs WHERE id = ${orgId}`,
  );
  return r[0]!.region_code;
}

let seq = 0;
/** A fresh valid ID number (born on `birth`, YYYYMMDD) and phone for a test volunteer. */
export function newVolunteer(birth = '19900101') {
  seq++;
  return {
    name: `志愿者${String.fromCharCode(0x4e00 + seq)}`,
    idNumber: makeIdNumber('130702', birth, String(100 + seq).padStart(3, '0')),
    phone: `139${String(10_000_000 + Math.floor(Math.random() * 89_999_999)).slice(0, 8)}`,
  };
}

/** An activity of `orgId` with two 4-hour shifts on `day` and the day after (09:00–13:00, Shanghai). */
export async function newActivity(
  c: Client,
  orgId: number,
  regionCode: string,
  day: string,
  extra: object = {},
) {
  const next = new Date(new Date(`${day}T00:00:00+08:00`).getTime() + 86_400_000).toISOString().slice(0, 10);
  const r = await c.post('/api/activities', {
    orgId,
    title: `测试活动${++seq}`,
    kind: 'volunteer',
    regionCode,
    address: '县文化广场',
    recruitFrom: '2026-03-01T00:00:00+08:00',
    recruitUntil: `${day}T08:00:00+08:00`,
    shifts: [
      { startsAt: `${day}T09:00:00+08:00`, endsAt: `${day}T13:00:00+08:00`, capacity: 2 },
      { startsAt: `${next}T09:00:00+08:00`, endsAt: `${next}T13:00:00+08:00`, capacity: 2 },
    ],
    ...extra,
  });
  if (r.status !== 201) throw new Error(`activity: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: number; version: number; shifts: { id: number }[] };
}

/** Signs a volunteer up on the public API with a real SMS code (read as the log sender would show it). */
export async function signUp(
  sys: TestSystem,
  activityId: number,
  shiftIds: number[],
  v: { name: string; idNumber: string; phone: string },
) {
  const anon = sys.anonymous();
  const sent = await anon.post('/api/public/sms-codes', { phone: v.phone });
  if (sent.status !== 201) throw new Error(`sms: ${sent.status} ${JSON.stringify(sent.body)}`);
  const code = (await anon.get(`/api/test/volunteer-sms-code?phone=${v.phone}`)).body.code as string;
  return anon.post(`/api/public/activities/${activityId}/signups`, { shiftIds, ...v, smsCode: code });
}
