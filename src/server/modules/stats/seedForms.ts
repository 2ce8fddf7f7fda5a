/** The three forms the demo city ships with (editable seed data). */
import type { FormInput } from '../../../shared/contracts/stats.js';

const GENDER = {
  key: 'gender',
  label: '性别',
  options: [
    { code: 'M', label: '男' },
    { code: 'F', label: '女' },
  ],
};
const cell = (
  code: string,
  label: string,
  section: string,
  extra: Partial<FormInput['definition']['cells'][number]> = {},
) => ({
  code,
  label,
  unit: '个',
  type: 'integer' as const,
  required: true,
  section,
  disaggregation: null,
  prefill: null,
  ...extra,
});

export const UNION_ANNUAL: FormInput = {
  code: 'GH-01',
  name: '基层工会组织和会员情况',
  periodType: 'year',
  orgTypes: ['union'],
  orgLevels: ['county', 'township'],
  window: { openDays: -10, dueDays: 45, graceDays: 5, lockDays: 120 },
  definition: {
    disaggregations: [GENDER],
    cells: [
      cell('B1', '基层工会组织数', '组织情况'),
      cell('B2', '其中：本年新建', '组织情况'),
      cell('B3', '女职工委员会数', '组织情况'),
      cell('B4', '会员人数', '会员情况', {
        unit: '人',
        disaggregation: 'gender',
        prefill: 'members.by_gender',
      }),
      cell('B5', '其中：农民工会员', '会员情况', { unit: '人', disaggregation: 'gender' }),
      cell('B6', '一线职工会员', '会员情况', { unit: '人', prefill: 'members.frontline' }),
      cell('B7', '填报说明', '', { unit: '', type: 'text', required: false }),
    ],
    rules: [
      { code: 'R1', label: '本年新建不能多于基层工会组织数', expr: 'B2 <= B1', severity: 'error' },
      { code: 'R2', label: '女职工委员会数不能多于基层工会组织数', expr: 'B3 <= B1', severity: 'error' },
      { code: 'R3', label: '农民工会员不能多于会员人数', expr: 'B5 <= B4', severity: 'error' },
      { code: 'R4', label: '一线职工会员不能多于会员人数', expr: 'B6 <= B4', severity: 'error' },
      {
        code: 'R5',
        label: '会员人数与上年相比变动超过20%',
        expr: 'abs(B4 - last_year(B4)) / last_year(B4) <= 0.2',
        severity: 'warning',
      },
    ],
  },
};

const AGE = {
  key: 'age',
  label: '年龄段',
  options: [
    { code: 'A1', label: '14–18岁' },
    { code: 'A2', label: '18–28岁' },
    { code: 'A3', label: '28岁以上' },
  ],
};
const BRANCH = {
  key: 'branch',
  label: '团支部类别',
  options: [
    { code: 'E', label: '企业' },
    { code: 'V', label: '农村' },
    { code: 'C', label: '社区' },
    { code: 'S', label: '学校' },
  ],
};

export const LEAGUE_ANNUAL: FormInput = {
  code: 'TW-01',
  name: '团组织和团员情况',
  periodType: 'year',
  orgTypes: ['youth_league'],
  orgLevels: ['county', 'township'],
  window: { openDays: -10, dueDays: 45, graceDays: 5, lockDays: 120 },
  definition: {
    disaggregations: [AGE, BRANCH],
    cells: [
      cell('C1', '团员人数', '团员', { unit: '人', disaggregation: 'age' }),
      cell('C2', '团支部数', '团组织', { disaggregation: 'branch' }),
      cell('C3', '专职团干部人数', '团干部', { unit: '人' }),
    ],
    rules: [
      { code: 'R1', label: '专职团干部不能多于团员人数', expr: 'C3 <= C1', severity: 'error' },
      {
        code: 'R2',
        label: '团员人数与上年相比变动超过20%',
        expr: 'abs(C1 - last_year(C1)) / last_year(C1) <= 0.2',
        severity: 'warning',
      },
    ],
  },
};

const CATEGORY = {
  key: 'category',
  label: '诉求类别',
  options: [
    { code: 'W', label: '劳动报酬' },
    { code: 'R', label: '劳动关系' },
    { code: 'S', label: '社会保障' },
    { code: 'O', label: '其他' },
  ],
};

export const APPEALS_MONTHLY: FormInput = {
  code: 'WQ-01',
  name: '维权服务月报',
  periodType: 'month',
  orgTypes: ['union'],
  orgLevels: ['county', 'township'],
  window: { openDays: -3, dueDays: 5, graceDays: 2, lockDays: 45 },
  definition: {
    disaggregations: [CATEGORY],
    cells: [
      cell('D1', '受理诉求', '诉求办理', { unit: '件', prefill: 'appeals.received' }),
      cell('D2', '按时答复', '诉求办理', { unit: '件', prefill: 'appeals.answered_on_time' }),
      cell('D3', '满意率', '群众评价', {
        unit: '%',
        type: 'percent',
        required: false,
        prefill: 'appeals.satisfaction_rate',
      }),
      cell('D4', '受理诉求（按类别）', '诉求类别', {
        unit: '件',
        required: false,
        disaggregation: 'category',
      }),
    ],
    rules: [
      { code: 'R1', label: '按时答复不能多于受理诉求', expr: 'D2 <= D1', severity: 'error' },
      { code: 'R2', label: '分类别合计应等于受理诉求', expr: 'D4 = D1', severity: 'warning' },
      { code: 'R3', label: '满意率低于60%', expr: 'D3 >= 60', severity: 'warning' },
    ],
  },
};
