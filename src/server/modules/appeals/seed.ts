import type { AppealGroup } from '../../../shared/appeals/constants.js';
import type { ActionBody, StaffAction } from '../../../shared/contracts/appeals.js';
import { ALL_PERMISSIONS } from '../../../shared/permissions.js';
import { type Ctx, SYSTEM_ACTOR } from '../../platform/actor.js';
import { type Db, sql } from '../../platform/db/index.js';
import type { Pii } from '../../platform/pii.js';
import { createActionService } from './actions.js';
import { intakeAppeal } from './intake.js';

/** A deterministic byte source (mulberry32), so demo tracking codes are the same every time. */
function bytesFrom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return (n: number) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
}

type Step = [StaffAction, Record<string, unknown>];
const DEMO: { days: number; group: AppealGroup; cat: string; text: string; to: Step[]; village?: boolean }[] =
  [
    {
      days: 20,
      group: 'worker',
      cat: 'LABOR_WAGE',
      text: '在建筑工地打工，包工头拖欠三个月工资共计两万余元，多次讨要无果。',
      to: [
        ['accept', {}],
        ['start', {}],
        ['reply', { reply: '经县总工会协调，施工单位已将拖欠工资全额支付。' }],
        ['visit', { satisfaction: 'satisfied' }],
      ],
    },
    {
      days: 18,
      group: 'worker',
      cat: 'NEW_EMPLOYMENT',
      text: '外卖骑手，平台以超时为由扣除全部当月奖励，申诉没有回应。',
      to: [
        ['accept', {}],
        ['start', {}],
        ['reply', { reply: '已与平台站点沟通，扣款已退回，并推动站点设立申诉渠道。' }],
        ['visit', { satisfaction: 'basically_satisfied' }],
      ],
    },
    {
      days: 15,
      group: 'women',
      cat: 'WOMEN_MATERNITY',
      text: '怀孕后被公司调岗降薪，要求我主动辞职。',
      to: [
        ['accept', {}],
        ['start', {}],
        ['reply', { reply: '妇联已联合人社部门约谈企业，恢复原岗位和工资。' }],
      ],
    },
    {
      days: 12,
      group: 'youth',
      cat: 'YOUTH_JOB',
      text: '应届毕业生，想了解创业担保贷款的申请条件。',
      to: [
        ['accept', {}],
        ['start', {}],
      ],
    },
    {
      days: 10,
      group: 'worker',
      cat: 'LABOR_INJURY',
      text: '在车间受伤，公司不给申报工伤，也不支付医疗费。',
      to: [
        ['accept', {}],
        ['start', {}],
        ['suspend', { reason: '等待劳动能力鉴定结论' }],
      ],
    },
    {
      days: 9,
      group: 'disabled',
      cat: 'DISABLED',
      text: '残疾人托养服务补贴迟迟没有发放。',
      to: [['accept', {}]],
    },
    { days: 8, group: 'worker', cat: 'SAFETY', text: '工厂车间粉尘很大，没有发放防护用品。', to: [] },
    {
      days: 6,
      group: 'women',
      cat: 'FAMILY_VIOLENCE',
      text: '长期遭受丈夫家暴，希望得到帮助和法律援助。',
      to: [
        ['accept', {}],
        ['start', {}],
      ],
    },
    { days: 4, group: 'other', cat: 'CONSULT', text: '想咨询本地有哪些免费的心理咨询服务。', to: [] },
    {
      days: 2,
      group: 'overseas',
      cat: 'OVERSEAS',
      text: '归侨家属，老家房屋被占用，请求侨联帮助协调。',
      to: [],
    },
    { days: 1, group: 'worker', cat: 'LABOR_CONTRACT', text: '公司不与我签订劳动合同，也不缴社保。', to: [] },
  ];

/**
 * A few appeals of the demo city in several states (for the dashboard and the queues),
 * filed by the system through the same intake and actions as real ones.
 */
export async function seedDemoAppeals(db: Db, pii: Pii, now: Date): Promise<number> {
  const town = await db.query<{ region_code: string }>(
    sql`SELECT o.region_code FROM users u JOIN orgs o ON o.id = u.org_id WHERE u.username = 'town1.union'`,
  );
  const region = town[0]?.region_code;
  if (!region) return 0;
  const actions = createActionService({ db });
  const random = bytesFrom(20261126);
  const admin: Ctx['actor'] = {
    ...SYSTEM_ACTOR,
    displayName: '演示数据',
    permissions: new Set(ALL_PERMISSIONS),
  };
  let n = 0;
  for (const d of DEMO) {
    const at = new Date(now.getTime() - d.days * 86_400_000);
    const ctx: Ctx = { actor: admin, requestId: 'seed', ip: null, now: at };
    const r = await intakeAppeal(
      { db, pii },
      { ...ctx, actor: { ...SYSTEM_ACTOR, displayName: '演示数据' } },
      {
        content: d.text,
        group: d.group,
        categoryCode: d.cat,
        regionCode: region,
        phone: `1390000${String(1000 + n).slice(-4)}`,
        name: '演示群众',
        anonymous: false,
        confidential: false,
        channel: n % 3 === 0 ? 'hotline' : 'web',
        priority: 'normal',
      },
      random,
    );
    n++;
    let step = 0;
    for (const [action, body] of d.to) {
      step++;
      const v = await db.query<{ version: number }>(sql`SELECT version FROM appeals WHERE id = ${r.id}`);
      const when = { ...ctx, now: new Date(at.getTime() + step * 6 * 3600_000) };
      await actions.act(when, r.id, action, { version: v[0]!.version, ...body } as ActionBody<typeof action>);
    }
  }
  return n;
}
