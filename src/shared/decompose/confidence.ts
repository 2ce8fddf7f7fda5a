/** How sure the engine is of a task, and why, for the reviewer (low confidence is reviewed first). */
import type { Rule } from './assignments';
import type { DeadlineHit } from './deadlines';
import type { UnitItem } from './units';

export type TaskRule = Rule | 'table';

/** Base confidence of each rule and what it means, in the reviewer's words. */
export const RULES: Record<TaskRule, { base: number; label: string }> = {
  table: { base: 0.95, label: '任务分工表的一行（按表头识别牵头、配合、时限列）' },
  label: { base: 0.95, label: '条目后标注了「牵头单位／责任单位」' },
  modal: { base: 0.9, label: '单位后接「要／必须／负责／牵头」等交办用语' },
  intro: { base: 0.85, label: '「由／请／责成／委托」某单位' },
  swap: { base: 0.85, label: '「甲配合乙」：乙牵头、甲配合' },
  responsibility: { base: 0.85, label: '「责任主体／负总责／负有…责任」' },
  passive: { base: 0.75, label: '句中「由某单位负责／实施」' },
  'subject-alone': { base: 0.75, label: '单位单独成句首，后一分句有「要」' },
  action: { base: 0.7, label: '党委、政府后接「成立／制定／安排」等' },
  'plain-verb': { base: 0.7, label: '单位后直接接动词（无「要」），凭机构层级或时间状语判断' },
  'assist-object': { base: 0.7, label: '「配合某单位开展…」：被配合的单位牵头' },
  'directive-object': { base: 0.6, label: '「督促／推动／发挥某单位…作用」：单位是宾语' },
};

export interface Confidence {
  confidence: number;
  rule: TaskRule;
  why: string[];
}

const LEVELLED = /^(?:国家|省|市(?![场民区面值容])|县|区(?![域间])|州|乡|镇)/;

/** Confidence of a task from its rule, its units and its deadline. */
export function rate(
  rule: TaskRule,
  lead: UnitItem[],
  deadline: DeadlineHit | null,
  textLength: number,
  extra: string[] = [],
): Confidence {
  const r = RULES[rule];
  let c = r.base;
  const why = [r.label];
  if (lead.some((u) => u.kind === 'bare')) {
    c -= 0.1;
    why.push('单位是简称（如「财政、税务」），请核对具体单位');
  }
  if (lead.every((u) => !LEVELLED.test(u.name)) && rule !== 'table' && rule !== 'label') {
    c -= 0.05;
    why.push('单位名称未带层级（省／市／县）');
  }
  if (deadline && deadline.date === null && deadline.recurrence === null) {
    c -= 0.1;
    why.push(`时限「${deadline.text}」无法换算为日期`);
  }
  if (textLength > 300) {
    c -= 0.05;
    why.push('任务原文较长，可能包含多项工作');
  }
  for (const e of extra) {
    c -= 0.05;
    why.push(e);
  }
  return { confidence: Math.max(0.05, Math.round(c * 100) / 100), rule, why };
}
