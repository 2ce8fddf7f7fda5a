/**
 * The demo city's assistance: archived households in two counties (with their review chain on
 * the timeline), a 送温暖 cycle disbursed through an exported bank batch, and a 金秋助学 cycle
 * under review in which a child is also proposed by the women's federation (one duplicate-relief
 * warning). Persons are registered through the people module's service. Deterministic.
 */
import { maskBankAccount } from '../../../shared/assistance/rules.js';
import { ALL_PERMISSIONS } from '../../../shared/permissions.js';
import { makeIdNumber } from '../../../shared/rules/idNumber.js';
import { type Ctx, SYSTEM_ACTOR } from '../../platform/actor.js';
import { type Db, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import type { Pii } from '../../platform/pii.js';
import { rng } from '../../seed/names.js';
import { createPersonService } from '../people/persons/service.js';
import { idHashOf } from '../people/protect.js';
import { insertEntitlement } from './programs/entitlements.js';
import { getCycle } from './programs/repo.js';

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗'.split('');
const GIVEN = '建国秀英志强桂兰海燕明华玉梅文杰晓东春花子涵浩然'.split('');
const CATEGORY = ['illness', 'disability', 'dibao', 'dibao_edge', 'disaster', 'accident'] as const;
const CAUSE = ['illness', 'disability', 'low_wage', 'disaster', 'accident', 'unemployment'] as const;

/** Eligibility and amounts of the demo programs, as the platform's rule expressions. */
export const DEMO_RULES = {
  warmth: {
    eligibility: 'status == "archived" || status == "temporary"',
    amounts: [
      { when: 'category == "dibao" || category == "disability"', amount: 100_000, label: '重点困难户' },
      { when: 'true', amount: 60_000, label: '一般困难户' },
    ],
  },
  education: {
    eligibility: 'schooling == "higher"',
    amounts: [
      { when: 'archived && (level == "city" || level == "county")', amount: 500_000, label: '在档·市县建档' },
      { when: 'archived', amount: 300_000, label: '在档·基层建档' },
      { when: 'level == "city" || level == "county"', amount: 400_000, label: '非在档·市县建档' },
      { when: 'true', amount: 200_000, label: '非在档·基层建档' },
    ],
  },
};

export async function seedAssistance(db: Db, pii: Pii, now: Date) {
  const r = rng(1616);
  const year = now.getUTCFullYear();
  const ctxOf = (userId: number, name: string, orgId: number): Ctx => ({
    actor: { ...SYSTEM_ACTOR, userId, displayName: name, orgId, permissions: new Set(ALL_PERMISSIONS) },
    requestId: 'seed',
    ip: null,
    now,
  });
  const persons = createPersonService({ db, pii } as Deps);
  const users = await db.query<{ id: number; username: string; org_id: number; display_name: string }>(
    sql`SELECT id, username, org_id, display_name FROM users WHERE username IN ('admin', 'county1.union', 'county2.union', 'town1.union')`,
  );
  const u = (n: string) => users.find((x) => x.username === n)!;
  const orgs = await db.query<{
    id: number;
    parent_id: number | null;
    type: string;
    level: string;
    region_code: string;
    name: string;
  }>(
    sql`SELECT id, parent_id, type, level, region_code, name FROM orgs WHERE type IN ('union', 'women') AND level IN ('city', 'county', 'township') ORDER BY id`,
  );
  const cityUnion = orgs.find((o) => o.type === 'union' && o.level === 'city')!;
  const county1 = orgs.find((o) => o.id === u('county1.union').org_id)!;
  const county2 = orgs.find((o) => o.id === u('county2.union').org_id)!;
  const town1 = orgs.find((o) => o.id === u('town1.union').org_id)!;
  const town2 = orgs.find((o) => o.parent_id === county2.id && o.type === 'union')!;
  const women1 = orgs.find(
    (o) => o.type === 'women' && o.level === 'county' && o.region_code === county1.region_code,
  )!;

  let seq = 0;
  const idOf = (region: string, age: number, female: boolean) => {
    seq++;
    const s3 = String(((seq * 2) % 900) + 100 + (female ? 0 : 1));
    return makeIdNumber(region.slice(0, 6), `${year - age}0${1 + (seq % 9)}1${seq % 10}`, s3);
  };
  const nameOf = () =>
    SURNAMES[Math.floor(r() * SURNAMES.length)]! +
    GIVEN[Math.floor(r() * GIVEN.length)]! +
    GIVEN[Math.floor(r() * GIVEN.length)]!;

  /** One household through the registry and its archive rows, at a given status. */
  async function household(
    org: typeof town1,
    by: { id: number; display_name: string },
    status: string,
    opts: { student?: boolean; category?: string } = {},
  ) {
    const ctx = ctxOf(by.id, by.display_name, org.id);
    const surname = SURNAMES[Math.floor(r() * SURNAMES.length)]!;
    const members = [
      {
        name: nameOf(),
        idNumber: idOf(org.region_code, 40 + Math.floor(r() * 15), false),
        relation: 'self',
        schooling: 'none',
        income: 80_000 + Math.floor(r() * 60) * 1000,
      },
      {
        name: nameOf(),
        idNumber: idOf(org.region_code, 38 + Math.floor(r() * 15), true),
        relation: 'spouse',
        schooling: 'none',
        income: Math.floor(r() * 40) * 1000,
      },
    ];
    if (opts.student)
      members.push({
        name: `${surname}${GIVEN[Math.floor(r() * GIVEN.length)]}`,
        idNumber: idOf(org.region_code, 19, r() < 0.5),
        relation: 'child',
        schooling: 'higher',
        income: 0,
      });
    const reg = [];
    for (const m of members) {
      const p = await persons.create(ctx, { name: m.name, idNumber: m.idNumber, orgId: org.id });
      if (p.kind === 'claim') throw new Error('assistance seed: a demo person is kept elsewhere');
      reg.push({ ...m, personId: p.id, mask: p.idNumber, hash: idHashOf(pii, m.idNumber) });
    }
    const account = `62284801${String(10_000_000_000 + seq * 7919).slice(-11)}`;
    const total = members.reduce((s, m) => s + m.income, 0);
    const level = org.level === 'city' ? 'city' : org.level === 'county' ? 'county' : 'grassroots';
    const category = opts.category ?? CATEGORY[Math.floor(r() * CATEGORY.length)]!;
    const c = await db.query<{
      id: number;
    }>(sql`INSERT INTO assist_cases (org_id, level, region_code, status, category,
        primary_cause, secondary_causes, health, housing, employment, description, applicant_person_id, applicant_name,
        bank_name, bank_enc, bank_hash, bank_mask, monthly_income, publicity_start, publicity_until, created_by,
        created_at, updated_at, verified_at)
      VALUES (${org.id}, ${level}, ${org.region_code}, ${status}, ${category}, ${CAUSE[Math.floor(r() * CAUSE.length)]!},
        ${opts.student ? ['education'] : []}::text[], ${r() < 0.5 ? 'chronic' : 'serious'}, ${r() < 0.7 ? 'own' : 'rented'},
        ${r() < 0.5 ? 'flexible' : 'unemployed'}, '家庭主要劳动力患病，收入微薄', ${reg[0]!.personId}, ${reg[0]!.name},
        '中国农业银行', ${pii.encrypt(account)}, ${pii.hash(`bank:${account}`)}, ${maskBankAccount(account)}, ${total},
        ${status === 'archived' ? `${year - 1}-11-02` : null}, ${status === 'archived' ? `${year - 1}-11-09` : null},
        ${by.id}, ${now}, ${now}, ${now}) RETURNING id`);
    const id = c[0]!.id;
    for (const m of reg)
      await db.query(sql`INSERT INTO assist_members (case_id, person_id, name, id_mask, id_hash, relation, schooling, monthly_income)
        VALUES (${id}, ${m.personId}, ${m.name}, ${m.mask}, ${m.hash}, ${m.relation}, ${m.schooling}, ${m.income})`);
    const steps: [string, string | null, string, string | null][] = [
      ['create', null, 'applied', '提交帮扶申请'],
    ];
    if (status !== 'applied') steps.push(['initial_review', 'applied', 'visiting', null]);
    if (['reviewing', 'publicity', 'archived'].includes(status))
      steps.push(['visit', 'visiting', 'reviewing', '入户核查，情况属实']);
    if (['publicity', 'archived'].includes(status)) steps.push(['approve', 'reviewing', 'publicity', null]);
    if (status === 'archived') steps.push(['archive', 'publicity', 'archived', null]);
    for (const [action, from, to, note] of steps)
      await db.query(sql`INSERT INTO assist_events (case_id, at, actor_id, actor_name, org_id, action, from_status, to_status, note)
        VALUES (${id}, ${now}, ${by.id}, ${by.display_name}, ${org.id}, ${action}, ${from}, ${to}, ${note})`);
    return { id, members: reg };
  }

  const made: {
    id: number;
    org: number;
    members: { personId: number; name: string; mask: string; hash: string; schooling: string }[];
  }[] = [];
  for (let i = 0; i < 4; i++)
    made.push({
      ...(await household(town1, u('town1.union'), 'archived', { student: i < 2 })),
      org: town1.id,
    });
  made.push({
    ...(await household(county1, u('county1.union'), 'archived', { student: true, category: 'dibao' })),
    org: county1.id,
  });
  for (let i = 0; i < 3; i++)
    made.push({
      ...(await household(town2, u('county2.union'), 'archived', { student: i === 0 })),
      org: town2.id,
    });
  await household(town1, u('town1.union'), 'applied');
  await household(town1, u('town1.union'), 'visiting');
  await household(town1, u('town1.union'), 'publicity');

  // programs of the city union; 金秋助学 of the women's federation too (春蕾 style)
  const admin = u('admin');
  const program = async (orgId: number, name: string, kind: 'warmth' | 'education', target: string) => {
    const rules = DEMO_RULES[kind];
    const g = await db.query<{
      id: number;
    }>(sql`INSERT INTO assist_programs (org_id, name, kind, target, mode, eligibility, amounts,
        created_by, created_at, updated_at)
      VALUES (${orgId}, ${name}, ${kind}, ${target}, 'cash', ${rules.eligibility}, ${JSON.stringify(rules.amounts)}::jsonb,
        ${admin.id}, ${now}, ${now}) RETURNING id`);
    return g[0]!.id;
  };
  const cycle = async (
    programId: number,
    orgId: number,
    name: string,
    kind: string,
    start: string,
    end: string,
    budget: number,
  ) =>
    (
      await db.query<{
        id: number;
      }>(sql`INSERT INTO assist_cycles (program_id, org_id, name, kind, period_start, period_end, budget,
          computed_at, created_by, created_at, updated_at)
        VALUES (${programId}, ${orgId}, ${name}, ${kind}, ${start}, ${end}, ${budget}, ${now}, ${admin.id}, ${now}, ${now}) RETURNING id`)
    )[0]!.id;
  const warmth = await program(cityUnion.id, '送温暖', 'warmth', 'household');
  const education = await program(cityUnion.id, '金秋助学', 'education', 'student');
  const springBud = await program(women1.id, '春蕾助学', 'education', 'student');

  // 送温暖: approved, batch exported, paid (one returned and re-checked), a return visit
  const wc = await cycle(
    warmth,
    cityUnion.id,
    `${year} 春节送温暖`,
    'warmth',
    `${year}-01-01`,
    `${year}-02-28`,
    2_000_000,
  );
  const ctxAdmin = ctxOf(admin.id, '平台管理员', cityUnion.id);
  const wy = (await getCycle(db, wc))!;
  const ents: number[] = [];
  for (const h of made) {
    const self = h.members[0]!;
    const e = await insertEntitlement(db, ctxAdmin, wy, {
      caseId: h.id,
      personId: self.personId,
      name: self.name,
      mask: self.mask,
      hash: self.hash,
      householdHashes: h.members.map((m) => m.hash),
      amount: 60_000,
      label: '一般困难户',
      source: 'computed',
      orgId: cityUnion.id,
      note: null,
    });
    ents.push(e!.id);
  }
  await db.query(
    sql`UPDATE assist_entitlements SET status = 'approved', approved_by = ${admin.id} WHERE cycle_id = ${wc}`,
  );
  const total = ents.length * 60_000;
  const batch = (
    await db.query<{
      id: number;
    }>(sql`INSERT INTO assist_batches (cycle_id, org_id, mode, total, count, exported_at, exported_by, created_by, created_at)
      VALUES (${wc}, ${cityUnion.id}, 'cash', ${total}, ${ents.length}, ${now}, ${admin.id}, ${admin.id}, ${now}) RETURNING id`)
  )[0]!.id;
  for (const [i, e] of ents.entries()) {
    const visit =
      i === 0
        ? JSON.stringify({ visitedOn: `${year}-03-02`, satisfaction: 'very_satisfied', by: '平台管理员' })
        : null;
    await db.query(sql`INSERT INTO assist_payments (entitlement_id, batch_id, amount, status, paid_on, return_visit, updated_at)
      VALUES (${e}, ${batch}, 60000, 'paid', ${`${year}-02-05`}, ${visit}::jsonb, ${now})`);
  }
  for (const h of made)
    await db.query(sql`INSERT INTO assist_events (case_id, at, actor_id, actor_name, org_id, action, note)
      VALUES (${h.id}, ${now}, ${admin.id}, '平台管理员', ${cityUnion.id}, 'payment', ${`${year} 春节送温暖：已发放 600 元`})`);

  // 金秋助学: the union computes its students; the women's federation proposes one of them too
  const ec = await cycle(
    education,
    cityUnion.id,
    `${year} 金秋助学`,
    'education',
    `${year}-08-01`,
    `${year}-09-30`,
    5_000_000,
  );
  const ey = (await getCycle(db, ec))!;
  const students = made.flatMap((h) =>
    h.members.filter((m) => m.schooling === 'higher').map((m) => ({ h, m })),
  );
  for (const { h, m } of students)
    await insertEntitlement(db, ctxAdmin, ey, {
      caseId: h.id,
      personId: m.personId,
      name: m.name,
      mask: m.mask,
      hash: m.hash,
      householdHashes: h.members.map((x) => x.hash),
      amount: h.org === town1.id || h.org === town2.id ? 300_000 : 500_000,
      label: '在档家庭子女',
      source: 'computed',
      orgId: cityUnion.id,
      note: null,
    });
  const sc = await cycle(
    springBud,
    women1.id,
    `${year} 春蕾助学`,
    'education',
    `${year}-09-01`,
    `${year}-09-30`,
    500_000,
  );
  const sy = (await getCycle(db, sc))!;
  const dup = students[0]!;
  await insertEntitlement(db, ctxOf(admin.id, `${women1.name}`, women1.id), sy, {
    caseId: null,
    personId: dup.m.personId,
    name: dup.m.name,
    mask: dup.m.mask,
    hash: dup.m.hash,
    householdHashes: dup.h.members.map((x) => x.hash),
    amount: 200_000,
    label: null,
    source: 'proposed',
    orgId: women1.id,
    note: '春蕾计划推荐',
  });
  return { households: made.length + 3, cycles: 3 };
}
