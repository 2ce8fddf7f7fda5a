/**
 * Deterministic people of the demo city: persons with memberships in unions, youth leagues and
 * women's federations, committees and representatives (composition statistics), employees of
 * grassroots units, a pending join application and a pending transfer between two counties.
 * `large`: 1,000,000 persons and 5,000,000 memberships over the whole tree, set-based.
 */

import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import { makeIdNumber } from '../../../shared/rules/idNumber.js';
import { bulkInsert, type Db, type Queryable, sql } from '../../platform/db/index.js';
import type { Pii } from '../../platform/pii.js';
import { rng } from '../../seed/names.js';
import { protect } from './protect.js';
import { refreshMemberStats } from './stats/summary.js';

const SURNAMES =
  '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎'.split(
    '',
  );
const GIVEN =
  '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌凤海燕晨雪梅宇鹏浩然欣怡子涵'.split('');

interface Org {
  id: number;
  type: string;
  level: string;
  region_code: string;
  parent_id: number | null;
}

function personName(r: () => number): string {
  const s = SURNAMES[Math.floor(r() * SURNAMES.length)]!;
  const n = r() < 0.6 ? 2 : 1;
  let g = '';
  for (let i = 0; i < n; i++) g += GIVEN[Math.floor(r() * GIVEN.length)]!;
  return s + g;
}

export async function seedPeople(db: Db, pii: Pii, opts: { now: Date; scale: 'demo' | 'large' }) {
  const r = rng(4242);
  const orgs = await db.query<Org>(sql`SELECT id, type, level, region_code, parent_id FROM orgs ORDER BY id`);
  const units = await db.query<{ id: number; org_id: number; kind: string }>(
    sql`SELECT id, org_id, kind FROM units WHERE kind IN ('enterprise', 'platform') ORDER BY id`,
  );
  const member = (
    await db.query<{ id: number; org_id: number }>(
      sql`SELECT id, org_id FROM users WHERE username = 'member'`,
    )
  )[0];
  const townUnions = orgs.filter((o) => o.type === 'union' && o.level === 'township');
  const countyUnions = orgs.filter((o) => o.type === 'union' && o.level === 'county');
  const youthOf = new Map(
    orgs.filter((o) => o.type === 'youth_league' && o.level === 'township').map((o) => [o.region_code, o]),
  );
  const womenOf = new Map(
    orgs.filter((o) => o.type === 'women' && o.level === 'township').map((o) => [o.region_code, o]),
  );
  const today = opts.now.toISOString().slice(0, 10);
  const year = Number(today.slice(0, 4));

  type P = { row: unknown[]; memberships: [number, string, string][] };
  const people: P[] = [];
  let seq = 0;
  // ten persons in each of the first 30 township unions (the member user's town first)
  const towns = [...townUnions].sort((a, b) =>
    a.id === member?.org_id ? -1 : b.id === member?.org_id ? 1 : a.id - b.id,
  );
  for (const town of towns.slice(0, 30)) {
    const county = countyUnions.find((c) => c.id === town.parent_id);
    const townUnits = units.filter((u) => u.org_id === town.id);
    for (let i = 0; i < 10; i++) {
      seq++;
      const age = 18 + Math.floor(r() * 42);
      const birth = `${year - age}${String(1 + Math.floor(r() * 12)).padStart(2, '0')}${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
      const female = r() < 0.45;
      const s3 = String(((seq * 2) % 998) + (female ? 2 : 1)).padStart(3, '0');
      const idNumber = makeIdNumber(town.region_code.slice(0, 6), birth, s3);
      const phone = `139${String(10_000_000 + seq * 7919).slice(-8)}`;
      const sec = protect(pii, idNumber, phone);
      const frontline = r() < 0.6;
      const groups = ['worker', ...(age < 35 ? ['youth'] : []), ...(female ? ['woman'] : [])];
      const hardship = r() < 0.05;
      if (hardship) groups.push('hardship_worker');
      const unit = townUnits.length > 0 && r() < 0.7 ? townUnits[Math.floor(r() * townUnits.length)]! : null;
      const birthDate = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`;
      const memberships: [number, string, string][] = [[town.id, 'member', 'active']];
      const youth = youthOf.get(town.region_code);
      if (youth && age < 28) memberships.push([youth.id, 'league_member', 'active']);
      const women = womenOf.get(town.region_code);
      if (women && female && r() < 0.3) memberships.push([women.id, 'representative', 'active']);
      if (county && r() < 0.15)
        memberships.push([county.id, r() < 0.5 ? 'committee' : 'representative', 'active']);
      if (i === 9 && youth && age < 28) memberships.push([youth.id, 'committee', 'pending']);
      people.push({
        row: [
          personName(r),
          female ? 'F' : 'M',
          birthDate,
          sec.idEnc,
          sec.idHash,
          sec.idMask,
          sec.phoneEnc,
          sec.phoneHash,
          sec.phoneMask,
          r() < 0.9 ? '汉族' : '满族',
          r() < 0.5 ? 'bachelor' : 'senior',
          r() < 0.2 ? 'cpc' : 'none',
          frontline,
          groups,
          null,
          null,
          hardship ? 'relative' : null,
          unit?.id ?? null,
          town.id,
          opts.now,
          opts.now,
        ],
        memberships,
      });
    }
  }
  await db.tx(async (tx) => {
    const base = (await tx.query<{ n: number }>(sql`SELECT COALESCE(max(id), 0)::int AS n FROM persons`))[0]!
      .n;
    await bulkInsert(
      tx,
      'persons',
      [
        'name',
        'gender',
        'birth_date',
        'id_enc',
        'id_hash',
        'id_mask',
        'phone_enc',
        'phone_hash',
        'phone_mask',
        'ethnicity',
        'education',
        'political_status',
        'frontline',
        'groups',
        'disability_category',
        'disability_grade',
        'hardship_level',
        'employer_unit_id',
        'org_id',
        'created_at',
        'updated_at',
      ],
      people.map((p) => p.row),
    );
    const ids = await tx.query<{ id: number }>(sql`SELECT id FROM persons WHERE id > ${base} ORDER BY id`);
    const ms: unknown[][] = [];
    people.forEach((p, i) => {
      for (const [orgId, role, status] of p.memberships) {
        const [, gender, birth, , , , , , , , , , frontline] = p.row;
        ms.push([
          ids[i]!.id,
          orgId,
          role,
          status,
          gender,
          birth,
          frontline,
          status === 'active' ? '2024-03-01' : null,
          opts.now,
          opts.now,
        ]);
      }
    });
    await bulkInsert(
      tx,
      'memberships',
      [
        'person_id',
        'org_id',
        'role',
        'status',
        'gender',
        'birth_date',
        'frontline',
        'joined_on',
        'created_at',
        'updated_at',
      ],
      ms,
    );
    if (member && ids[0])
      await tx.query(sql`UPDATE persons SET user_id = ${member.id} WHERE id = ${ids[0].id}`);
    await seedPendingTransfer(tx, countyUnions, opts.now);
  });
  if (opts.scale === 'large') await seedLarge(db, pii, opts.now);
  await refreshMemberStats(db, shanghaiYmd(opts.now));
  return { persons: people.length };
}

/** A member of a township union in the first county asks to move to a township union of the second. */
async function seedPendingTransfer(tx: Queryable, counties: Org[], now: Date) {
  const [c1, c2] = counties;
  if (!c1 || !c2) return;
  const m = (
    await tx.query<{ id: number; person_id: number; org_id: number }>(sql`SELECT m.id, m.person_id, m.org_id
      FROM memberships m JOIN orgs o ON o.id = m.org_id
      WHERE o.parent_id = ${c1.id} AND m.role = 'member' AND m.status = 'active' ORDER BY m.id DESC LIMIT 1`)
  )[0];
  const to = (
    await tx.query<{ id: number }>(sql`SELECT id FROM orgs WHERE parent_id = ${c2.id} AND type = 'union'
    AND level = 'township' ORDER BY id LIMIT 1`)
  )[0];
  if (!m || !to) return;
  const t = await tx.query<{
    id: number;
  }>(sql`INSERT INTO transfers (membership_id, person_id, from_org_id, to_org_id, role,
      initiated_by, status, reason, created_at, updated_at)
    VALUES (${m.id}, ${m.person_id}, ${m.org_id}, ${to.id}, 'member', 'sender', 'pending', '工作调动', ${now}, ${now}) RETURNING id`);
  await tx.query(sql`INSERT INTO transfer_events (transfer_id, action, from_status, to_status, side, actor_name, note, at)
    VALUES (${t[0]!.id}, 'start', NULL, 'pending', 'sender', '系统（演示数据）', '工作调动', ${now})`);
}

/** 1,000,000 persons (encrypted identity data, inserted 10,000 at a time) and 5,000,000 memberships (one statement). */
async function seedLarge(db: Db, pii: Pii, now: Date) {
  // the embedded engine gets a tenth (the benchmarks of this scale run on PostgreSQL)
  const N = db.engine === 'postgres' ? 1_000_000 : 100_000;
  const unions = (
    await db.query<{ id: number }>(
      sql`SELECT id FROM orgs WHERE type = 'union' AND level = 'grassroots' ORDER BY id`,
    )
  ).map((o) => o.id);
  const base = (await db.query<{ n: number }>(sql`SELECT COALESCE(max(id), 0)::int AS n FROM persons`))[0]!.n;
  const r = rng(777);
  for (let start = 0; start < N; start += 10_000) {
    const cols: unknown[][] = Array.from({ length: 9 }, () => []);
    for (let i = start; i < Math.min(N, start + 10_000); i++) {
      const birth = `${1966 + (i % 40)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`;
      // (birth date, sequence) repeats every 21,000 persons: a new region code for each block keeps ID numbers unique
      const idNumber = makeIdNumber(
        String(110000 + Math.floor(i / 21_000)),
        birth,
        String(i % 1000).padStart(3, '0'),
      );
      const sec = protect(pii, idNumber, null);
      const values = [
        personName(r),
        (i % 1000) % 2 === 1 ? 'M' : 'F',
        `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}`,
        sec.idEnc,
        sec.idHash,
        sec.idMask,
        i % 3 === 0,
        unions[i % unions.length],
        now,
      ];
      for (const [k, v] of values.entries()) cols[k]!.push(v);
    }
    await db.query(sql`INSERT INTO persons (name, gender, birth_date, id_enc, id_hash, id_mask, frontline, org_id, created_at, updated_at)
      SELECT n, g, b, e, h, m, f, o, t, t FROM unnest(${cols[0]}::text[], ${cols[1]}::text[], ${cols[2]}::date[],
        ${cols[3]}::text[], ${cols[4]}::text[], ${cols[5]}::text[], ${cols[6]}::boolean[], ${cols[7]}::bigint[],
        ${cols[8]}::timestamptz[]) AS x(n, g, b, e, h, m, f, o, t)`);
  }
  // membership k (0..4) of person p: a union chosen so that one person's five are distinct
  await db.query(sql`INSERT INTO memberships (person_id, org_id, role, status, gender, birth_date, frontline, joined_on, created_at, updated_at)
    SELECT p.id, (${unions}::bigint[])[1 + ((((g - 1) % ${N}) * 37 + ((g - 1) / ${N}) * 7) % ${unions.length})],
      CASE WHEN g % 50 = 0 THEN 'committee' WHEN g % 37 = 0 THEN 'representative' ELSE 'member' END,
      CASE WHEN g % 500 = 0 THEN 'pending' ELSE 'active' END, p.gender, p.birth_date, p.frontline, DATE '2020-01-01',
      ${now}, ${now}
    FROM generate_series(1, ${5 * N}) g JOIN persons p ON p.id = ${base} + 1 + (g - 1) % ${N}`);
  await db.exec('ANALYZE persons; ANALYZE memberships');
}
