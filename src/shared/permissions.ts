/** Every permission the platform knows, with its label. Roles bundle them. */
export const PERMISSIONS = {
  'org:read': '查看组织',
  'org:write': '维护组织',
  'unit:read': '查看基层单位',
  'unit:write': '维护基层单位',
  'user:read': '查看用户',
  'user:write': '维护用户',
  'role:read': '查看角色',
  'role:write': '维护角色',
  'audit:read': '查看操作日志',
  'loginlog:read': '查看登录日志',
  'token:write': '管理接口令牌',
  'pii:reveal': '查看完整身份信息',
  'person:read': '查看人员',
  'person:write': '维护人员信息',
  'person:import': '批量导入人员',
  'membership:write': '办理会籍（入会申请、转接、离会）',
  'membership:approve': '审批入会与转接',
  'membership:apply': '本人申请转接',
  'appeal:intake': '受理诉求',
  'appeal:read': '查看诉求',
  'appeal:handle': '办理诉求',
  'appeal:dispatch': '派单',
  'appeal:supervise': '督办诉求',
  'appeal:config': '配置诉求分类、分派规则与时限',
  'task:read': '查看任务',
  'task:write': '部署任务',
  'task:report': '报送进展',
  'task:supervise': '督办任务',
  // onboarding (going live): the first-run checklist
  'onboarding:read': '查看上线清单',
  // statistics (统计报表) and assessment (考核)
  'stats:read': '查看统计报表与汇总',
  'stats:fill': '填报统计报表',
  'stats:review': '审核统计报表（通过、退回、解锁）',
  'stats:config': '设计统计报表',
  'assess:read': '查看考核结果',
  'assess:score': '考核自评与复核打分',
  'assess:manage': '设计考核方案、计算、定级与公示',
  // activities and volunteers (modules/volunteers)
  'activity:read': '查看活动与志愿服务记录',
  'activity:write': '发布和组织活动（审核报名、签到签退）',
  'volunteer:hours': '补录、导入、撤销志愿服务时长，出具证明',
  'volunteer:review': '评审五星志愿者，维护时长规则',
  // assistance (惠民平台 · 帮扶)
  'assist:read': '查看帮扶档案',
  'assist:write': '帮扶建档（申请、初审、入户核查、收入登记）',
  'assist:review': '审核帮扶档案（审核、公示、销档、解困）',
  'assist:program': '维护帮扶项目、批次与救助名单',
  'assist:disburse': '帮扶发放与对账',
} as const;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];
export const isPermission = (p: string): p is Permission => p in PERMISSIONS;

export const DATA_SCOPES = {
  ALL: '全部数据',
  CUSTOM: '自定义组织',
  ORG: '本组织',
  ORG_AND_BELOW: '本组织及以下',
  SELF: '仅本人',
} as const;
export type DataScope = keyof typeof DATA_SCOPES;
