import { describe, expect, it } from 'vitest';
import { decompose } from '../../src/shared/decompose/index';

const DATE = '2026-03-10';
const rows = (r: ReturnType<typeof decompose>) =>
  r.tasks
    .filter((t) => t.rule === 'table')
    .map((t) => [t.lead, t.co, t.deadline?.date ?? null, t.deadline?.recurrence ?? null]);

describe('task tables (tab-separated rows)', () => {
  it('reads a two-row header whose upper row has fewer cells (as .doc gives it), in Traditional', () => {
    const text = [
      '序號\t主要任務\t責任單位\t時間節點',
      '\t\t牽頭單位\t協同單位',
      '1\t開展消防安全大排查\t市消防救援支隊\t市應急管理局、各區縣\t2026年5月底前',
      '2\t完善應急物資儲備\t\t市發改委\t長期堅持',
      '二、強化保障',
      '3\t組織應急演練\t市應急管理局\t市公安局\t每半年',
    ].join('\n');
    const r = decompose(text, { date: DATE });
    expect(rows(r)).toEqual([
      [['市消防救援支隊'], ['市應急管理局'], '2026-05-31', null],
      [['市消防救援支隊'], ['市發改委'], null, null],
      [['市應急管理局'], ['市公安局'], null, 'semiannual'],
    ]);
    const ongoing = r.tasks[1];
    expect(ongoing?.why.join()).toContain('長期堅持');
    for (const t of r.tasks) expect(text.slice(t.start, t.end)).toBe(t.text);
  });

  it('joins a row wrapped onto the next line (PDF) and leaves a headerless table to the prose rules', () => {
    const text = [
      '序号\t工作内容\t牵头部门\t配合部门\t完成时间',
      '1\t建设智慧\t县数据局\t县财政局、县\t9月30日前',
      '\t停车平台\t\t公安局',
      '附表：',
      '甲\t乙\t丙',
      '丁\t戊\t己',
      '县民政局要在半年内完成养老机构评估。',
    ].join('\n');
    const r = decompose(text, { date: DATE });
    expect(rows(r)).toEqual([[['县数据局'], ['县财政局', '县公安局'], '2026-09-30', null]]);
    expect(r.tasks.find((t) => t.rule === 'table')?.text).toBe('建设智慧停车平台');
    expect(r.notices?.[0]).toContain('没有可识别的表头');
    expect(r.tasks.filter((t) => t.rule !== 'table').map((t) => [t.lead, t.deadline?.date])).toEqual([
      [['县民政局'], '2026-09-10'],
    ]);
  });

  it('gives every task a confidence, its rule and reasons', () => {
    const r = decompose('市审计局要加强审计。督促市燃气公司完成管网改造。财政、税务部门要加强内控。', {
      date: DATE,
    });
    expect(r.tasks.map((t) => t.rule)).toEqual(['modal', 'directive-object', 'modal']);
    const [a, b, c] = r.tasks;
    expect(a?.confidence).toBeGreaterThan(b?.confidence ?? 1);
    expect(c?.why.join()).toContain('简称');
  });

  it('takes the date from the 落款, not from a date under 附件', () => {
    expect(
      decompose('市财政局要在20个工作日内拨付资金。\n某市人民政府\n2026年3月10日', { date: '2026-01-05' })
        .tasks[0]?.deadline?.date,
    ).toBe('2026-04-08');
    expect(
      decompose('市财政局要在20个工作日内拨付资金。\n附件：进度表\n2026年3月10日', { date: '2026-02-20' })
        .date,
    ).toBe('2026-02-20');
  });
});
