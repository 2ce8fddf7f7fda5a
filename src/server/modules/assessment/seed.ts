/** The demo city's assessment scheme (市总工会 年度考核 of the county and township unions), computed for last year and closed. */

import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import type { SchemeInput } from '../../../shared/contracts/assessment.js';
import { type Ctx, SYSTEM_ACTOR } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Db, sql } from '../../platform/db/index.js';
import * as repo from './repo.js';
import { computeRun, insertScheme } from './service.js';

export const UNION_SCHEME: SchemeInput = {
  name: '工会工作年度考核',
  periodType: 'year',
  orgTypes: ['union'],
  orgLevels: ['county', 'township'],
  definition: {
    groups: [
      { code: 'G1', name: '维权服务', weight: 40 },
      { code: 'G2', name: '任务落实', weight: 25 },
      { code: 'G3', name: '统计工作', weight: 15 },
      { code: 'G4', name: '组织建设', weight: 20 },
    ],
    items: [
      {
        code: 'I1',
        group: 'G1',
        name: '诉求满意率',
        kind: 'computed',
        weight: 40,
        indicator: 'appeals.satisfaction_rate',
        curve: { zero: 60, full: 100 },
        noData: 'full',
      },
      {
        code: 'I2',
        group: 'G1',
        name: '按时办结率',
        kind: 'computed',
        weight: 35,
        indicator: 'appeals.on_time_rate',
        curve: { zero: 50, full: 100 },
        noData: 'full',
      },
      {
        code: 'I3',
        group: 'G1',
        name: '响应率',
        kind: 'computed',
        weight: 25,
        indicator: 'appeals.response_rate',
        curve: { zero: 50, full: 100 },
        noData: 'full',
      },
      {
        code: 'I4',
        group: 'G2',
        name: '任务按期完成率',
        kind: 'computed',
        weight: 100,
        indicator: 'tasks.on_time_rate',
        curve: { zero: 40, full: 100 },
        noData: 'full',
      },
      {
        code: 'I5',
        group: 'G3',
        name: '统计报表按时报送率',
        kind: 'computed',
        weight: 100,
        indicator: 'reports.on_time_rate',
        curve: { zero: 50, full: 100 },
        noData: 'full',
      },
      {
        code: 'I6',
        group: 'G4',
        name: '组织覆盖率',
        kind: 'computed',
        weight: 60,
        indicator: 'coverage.rate',
        curve: { zero: 20, full: 80 },
        noData: 'zero',
      },
      {
        code: 'I7',
        group: 'G4',
        name: '组织建设工作（自评、复核）',
        kind: 'manual',
        weight: 40,
        indicator: null,
        curve: null,
        noData: 'zero',
      },
    ],
    adjustments: [
      {
        code: 'D1',
        name: '逾期任务扣分（每项1分）',
        kind: 'deduction',
        indicator: 'tasks.overdue',
        perUnit: 1,
        max: 10,
      },
      {
        code: 'D2',
        name: '报表被退回扣分（每次0.5分）',
        kind: 'deduction',
        indicator: 'reports.returned',
        perUnit: 0.5,
        max: 3,
      },
      { code: 'B1', name: '创新工作加分', kind: 'bonus', indicator: null, perUnit: 1, max: 5 },
    ],
    bonusCap: 5,
    deductionCap: 15,
    vetoes: [
      { code: 'V1', name: '挂牌督办事项期末未办结', indicator: 'tasks.listed_open', above: 0 },
      { code: 'V2', name: '统计数据弄虚作假', indicator: null, above: 0 },
    ],
    grades: [
      { grade: '5', label: '五星', min: 90 },
      { grade: '4', label: '四星', min: 80 },
      { grade: '3', label: '三星', min: 70 },
      { grade: '2', label: '二星', min: 60 },
      { grade: 'rectify', label: '整顿', min: 0 },
    ],
    quotas: { '5': 20, '4': 60 },
    publicityDays: 5,
  },
};

export async function seedDemoAssessment(db: Db, now: Date): Promise<{ schemes: number; units: number }> {
  const ctx: Ctx = { actor: SYSTEM_ACTOR, requestId: 'seed', ip: null, now };
  const owner = (
    await db.query<{ id: number }>(
      sql`SELECT id FROM orgs WHERE type = 'union' AND level = 'city' ORDER BY id LIMIT 1`,
    )
  )[0];
  if (!owner) return { schemes: 0, units: 0 };
  const lastYear = String(Number(shanghaiYmd(now).slice(0, 4)) - 1);
  return db.tx(async (tx) => {
    const id = await insertScheme(tx, ctx, UNION_SCHEME, owner.id);
    const scheme = await repo.findScheme(tx, id);
    const runId = await computeRun(tx, ctx, scheme, lastYear);
    // the county unions reviewed their organisation-building work; then the result was closed
    await tx.query(sql`UPDATE assess_results r SET self_scores = '{"I7": {"score": 85, "evidence": "年度工作总结", "reason": ""}}'::jsonb,
        review_scores = '{"I7": {"score": 80, "evidence": "", "reason": "台账不完整"}}'::jsonb
      WHERE r.run_id = ${runId}`);
    const run = await repo.findRun(tx, runId);
    await repo.rescore(tx, run);
    await tx.query(
      sql`UPDATE assess_runs SET status = 'result', closed_at = ${now}, version = version + 1 WHERE id = ${runId}`,
    );
    const n = await tx.query<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM assess_results WHERE run_id = ${runId}`,
    );
    await audit(tx, ctx, {
      action: 'assess.seed',
      entityType: 'system',
      entityId: null,
      after: { schemeId: id, runId, units: n[0]!.n },
    });
    return { schemes: 1, units: n[0]!.n };
  });
}
