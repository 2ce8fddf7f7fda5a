/**
 * Demo data of activities and volunteers: recruiting activities in the coming weeks (county and
 * township unions, the city youth league), finished and closed ones with sign-ups, attendance
 * and credited hours, and volunteers past 100 and 300 hours (imported records from the former
 * platform on top). Deterministic and small; run by the demo seed after people exist.
 */
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import { type Db, type Queryable, sql } from '../../platform/db/index.js';

const H = 3_600_000;
const D = 24 * H;

async function activity(
  tx: Queryable,
  a: {
    orgId: number;
    regionCode: string;
    title: string;
    kind: string;
    address: string;
    createdBy: number;
    start: Date;
    shifts: number;
    capacity: number;
    hoursPerShift?: number;
    status?: string;
    summary?: string;
  },
  now: Date,
) {
  const recruitFrom = new Date(Math.min(now.getTime() - D, a.start.getTime() - 20 * D));
  const recruitUntil = new Date(a.start.getTime() - 12 * H);
  const shiftTimes = Array.from({ length: a.shifts }, (_, i) => {
    const s = new Date(a.start.getTime() + i * D);
    return [s, new Date(s.getTime() + 4 * H)] as const;
  });
  const rows = await tx.query<{
    id: number;
  }>(sql`INSERT INTO activities (org_id, title, description, kind, region_code, address,
      recruit_from, recruit_until, records_hours, hours_per_shift, starts_at, ends_at, status, summary, closed_at, created_by, created_at, updated_at)
    VALUES (${a.orgId}, ${a.title}, ${`${a.title}。欢迎热心公益的群众报名参加，活动记录志愿服务时长。`}, ${a.kind}, ${a.regionCode},
      ${a.address}, ${recruitFrom}, ${recruitUntil}, true, ${a.hoursPerShift ?? null}, ${shiftTimes[0]![0]},
      ${shiftTimes[shiftTimes.length - 1]![1]}, ${a.status ?? 'published'}, ${a.summary ?? null},
      ${a.status === 'closed' ? shiftTimes[shiftTimes.length - 1]![1] : null}, ${a.createdBy}, ${recruitFrom}, ${recruitFrom}) RETURNING id`);
  const id = rows[0]!.id;
  const shiftIds: { id: number; start: Date; end: Date }[] = [];
  for (const [i, [s, e]] of shiftTimes.entries()) {
    const r = await tx.query<{
      id: number;
    }>(sql`INSERT INTO activity_shifts (activity_id, seq, starts_at, ends_at, capacity, code6)
      VALUES (${id}, ${i + 1}, ${s}, ${e}, ${a.capacity}, ${String(100000 + ((id * 7919 + i * 104729) % 900000))}) RETURNING id`);
    shiftIds.push({ id: r[0]!.id, start: s, end: e });
  }
  return { id, shifts: shiftIds };
}

export async function seedDemoVolunteers(
  db: Db,
  now: Date,
): Promise<{ activities: number; entries: number }> {
  return db.tx(async (tx) => {
    const orgs = await tx.query<{
      id: number;
      name: string;
      region_code: string;
      level: string;
      type: string;
      parent_id: number | null;
    }>(
      sql`SELECT id, name, region_code, level, type, parent_id FROM orgs WHERE type IN ('union', 'youth_league', 'women') AND level IN ('city', 'county', 'township') ORDER BY id`,
    );
    const admin = (
      await tx.query<{ id: number; org_id: number }>(
        sql`SELECT id, org_id FROM users WHERE username = 'county1.union'`,
      )
    )[0];
    if (!admin || orgs.length === 0) return { activities: 0, entries: 0 };
    const county1 = orgs.find((o) => o.id === admin.org_id)!;
    const towns = orgs.filter((o) => o.parent_id === county1.id && o.type === 'union').slice(0, 2);
    const youthCity = orgs.find((o) => o.type === 'youth_league' && o.level === 'city');
    const womenCity = orgs.find((o) => o.type === 'women' && o.level === 'city');
    const persons = await tx.query<{ id: number }>(
      sql`SELECT id FROM persons ORDER BY (user_id IS NULL), id LIMIT 40`,
    );
    if (persons.length < 10) return { activities: 0, entries: 0 };
    const day0 = new Date(`${shanghaiYmd(now)}T09:00:00+08:00`);
    let acts = 0;
    let entries = 0;

    // recruiting in the coming weeks
    const upcoming: [typeof county1 | undefined, string, string, string, number][] = [
      [county1, '四季送·夏送清凉进工地', 'visit', '县体育中心东门', 7],
      [towns[0], '金秋助学志愿服务', 'volunteer', '镇文化站', 10],
      [towns[1] ?? towns[0], '三留守儿童关爱走访', 'volunteer', '镇社工站', 14],
      [youthCity, '青年志愿者文明交通劝导', 'volunteer', '市民广场', 5],
      [womenCity, '巾帼志愿·家庭教育宣讲', 'lecture', '市妇女儿童活动中心', 21],
    ];
    for (const [org, title, kind, address, days] of upcoming) {
      if (!org) continue;
      const a = await activity(
        tx,
        {
          orgId: org.id,
          regionCode: org.region_code,
          title,
          kind,
          address,
          createdBy: admin.id,
          start: new Date(day0.getTime() + days * D),
          shifts: 2,
          capacity: 20,
        },
        now,
      );
      acts++;
      for (const [i, p] of persons.slice(5, 9).entries())
        await tx.query(sql`INSERT INTO activity_signups (activity_id, shift_id, person_id, status, created_at, updated_at)
          VALUES (${a.id}, ${a.shifts[i % 2]!.id}, ${p.id}, ${i < 2 ? 'approved' : 'pending'}, ${now}, ${now})`);
    }

    // finished ones, closed, with attendance and credited hours
    const finished: [string, number][] = [
      ['春送岗位·招聘会现场服务', 60],
      ['职工书屋整理志愿服务', 40],
      ['社区环境整治志愿服务', 20],
    ];
    for (const [title, ago] of finished) {
      const a = await activity(
        tx,
        {
          orgId: county1.id,
          regionCode: county1.region_code,
          title,
          kind: 'volunteer',
          address: '县总工会',
          createdBy: admin.id,
          start: new Date(day0.getTime() - ago * D),
          shifts: 2,
          capacity: 10,
          status: 'closed',
          summary: '活动圆满完成，参与志愿者按时签到签退。',
        },
        now,
      );
      acts++;
      for (const [i, p] of persons.slice(0, 8).entries()) {
        const sh = a.shifts[i % 2]!;
        const attended = i !== 7;
        const g = await tx.query<{
          id: number;
        }>(sql`INSERT INTO activity_signups (activity_id, shift_id, person_id, status, signed_in_at,
            signed_out_at, sign_in_via, no_show, created_at, updated_at)
          VALUES (${a.id}, ${sh.id}, ${p.id}, 'approved', ${attended ? sh.start : null}, ${attended ? sh.end : null},
            ${attended ? 'qr' : null}, ${!attended}, ${sh.start}, ${sh.end}) RETURNING id`);
        if (attended) {
          await tx.query(sql`INSERT INTO vol_hours (person_id, org_id, kind, hours, served_on, activity_id, signup_id, reason, created_by, created_at)
            VALUES (${p.id}, ${county1.id}, 'credited', 4, ${shanghaiYmd(sh.start)}, ${a.id}, ${g[0]!.id}, '签到签退', ${admin.id}, ${sh.end})`);
          entries++;
        }
      }
    }

    // records brought over from the former platform: two volunteers past 300 hours, three past 100
    const imported: [number, number][] = [
      [1, 320],
      [2, 305],
      [3, 150],
      [4, 120],
      [5, 104],
    ];
    for (const [i, hours] of imported) {
      const p = persons[i]!;
      await tx.query(sql`INSERT INTO vol_hours (person_id, org_id, kind, hours, served_on, source, reason, created_by, created_at)
        VALUES (${p.id}, ${county1.id}, 'imported', ${hours}, ${shanghaiYmd(new Date(now.getTime() - 400 * D))},
          '原志愿服务信息系统', '历史记录迁移', ${admin.id}, ${now})`);
      entries++;
    }
    return { activities: acts, entries };
  });
}
