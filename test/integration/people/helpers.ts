import { sql } from '../../../src/server/platform/db/index.js';
import { makeIdNumber } from '../../../src/shared/rules/idNumber.js';
import type { TestSystem } from '../support/system.js';

let seq = 0;
/** A fresh valid ID number: region of the demo city, a birth date `age` years ago, odd sequence = male. */
export function newIdNumber(age = 35, female = false): string {
  seq++;
  const year = new Date().getFullYear() - age;
  const s = 100 + ((seq * 2) % 800) + (female ? 0 : 1);
  const day = String(1 + (seq % 28)).padStart(2, '0');
  return makeIdNumber(
    `1307${String(10 + (Math.floor(seq / 400) % 80)).padStart(2, '0')}`,
    `${year}03${day}`,
    String(s),
  );
}

let phoneSeq = 0;
export const newPhone = () => `137${String(20_000_000 + ++phoneSeq * 7_777).slice(-8)}`;

/** Organization ids of the demo users' organizations and a few children by type. */
export async function demoOrgs(sys: TestSystem) {
  const users = await sys.db.query<{ username: string; org_id: number }>(
    sql`SELECT username, org_id FROM users WHERE username IN ('county1.union', 'county2.union', 'town1.union')`,
  );
  const of = (u: string) => users.find((x) => x.username === u)!.org_id;
  const county1 = of('county1.union');
  const county2 = of('county2.union');
  const town1 = of('town1.union');
  const child = async (parent: number, type: string) =>
    (
      await sys.db.query<{ id: number }>(
        sql`SELECT id FROM orgs WHERE parent_id = ${parent} AND type = ${type} ORDER BY id LIMIT 1`,
      )
    )[0]!.id;
  const town2 = await child(county2, 'union');
  const youth1 = (
    await sys.db.query<{
      id: number;
    }>(sql`SELECT y.id FROM orgs y JOIN orgs u ON u.region_code = y.region_code
      WHERE u.id = ${town1} AND y.type = 'youth_league' AND y.level = 'township' LIMIT 1`)
  )[0]!.id;
  return { county1, county2, town1, town2, youth1 };
}
