import { APPEAL_ACTIONS } from '../../../shared/appeals/machine';
import { TRANSFER_ACTIONS } from '../../../shared/people/transfers';
import { TASK_ACTIONS } from '../../../shared/tasks/machine';
import type { Lang } from '../../i18n';
import type { Messages } from '../../locales/zh';

/**
 * Readable names of the audit actions and object types of every module. The foundation's
 * own actions come from the locale; the workflow actions (appeal.*, task.*, transfer.*) are
 * built from the shared state machines, so a new action gets a Chinese label without an
 * edit here. Anything still unknown is shown as its code.
 */
const ZH_ACTIONS: Record<string, string> = {
  ...prefixed('appeal', '诉求', APPEAL_ACTIONS),
  ...prefixed('task', '任务', TASK_ACTIONS),
  ...prefixed('transfer', '转接', TRANSFER_ACTIONS),
  'appeal.create': '登记诉求',
  'appeal.export': '导出诉求',
  'appeal.file': '诉求附件',
  'appeal.message': '诉求消息',
  'appeal.reveal': '查看诉求人信息',
  'appeal.config.category': '配置诉求分类',
  'appeal.config.routing': '配置分派规则',
  'appeal.config.sla': '配置办理时限',
  'appeal.config.calendar': '配置工作日历',
  'task.create': '新建任务',
  'task.update': '修改任务',
  'task.split': '分解任务',
  'task.file': '任务附件',
  'task_document.create': '上传部署文档',
  'task_document.publish': '发布部署文档',
  'task_notice.create': '生成通报',
  'task_meeting.create': '登记联席会议',
  'person.create': '登记人员',
  'person.update': '修改人员信息',
  'person.import': '批量导入人员',
  'person.export': '导出人员',
  'person.reveal': '查看完整身份信息',
  'membership.create': '办理入会',
  'membership.apply': '申请入会',
  'membership.approve': '批准入会',
  'membership.reject': '驳回入会',
  'membership.leave': '办理离会',
  'membership.age_out': '超龄离团',
  'token.create': '新建接口令牌',
  'token.revoke': '吊销接口令牌',
};

const ZH_ENTITIES: Record<string, string> = {
  appeal: '诉求',
  appeal_config: '诉求配置',
  task: '任务',
  task_document: '部署文档',
  task_notice: '通报',
  task_meeting: '联席会议',
  person: '人员',
  membership: '会籍',
  transfer: '组织关系转接',
  import_job: '导入任务',
  api_token: '接口令牌',
};

function prefixed(prefix: string, noun: string, actions: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(actions).map(([k, v]) => [`${prefix}.${k}`, `${noun}${v}`]));
}

export interface AuditLabels {
  action: (code: string) => string;
  entity: (code: string) => string;
  actionOptions: { value: string; label: string }[];
  entityOptions: { value: string; label: string }[];
}

/** The locale's labels first (English included), then the module labels, then the code. */
export function auditLabels(m: Messages, lang: Lang): AuditLabels {
  // English has no labels for the workflow modules yet: a Chinese label beats a bare code
  const actions = { ...ZH_ACTIONS, ...m.audit.actions };
  const entities = { ...ZH_ENTITIES, ...m.audit.entities };
  const order = (a: { label: string }, b: { label: string }) =>
    a.label.localeCompare(b.label, lang === 'zh' ? 'zh-Hans-CN' : 'en');
  return {
    action: (c) => actions[c] ?? c,
    entity: (c) => entities[c] ?? c,
    actionOptions: Object.entries(actions)
      .map(([value, label]) => ({
        value,
        label: lang === 'zh' ? `${label}（${value}）` : `${label} (${value})`,
      }))
      .sort((a, b) => a.value.localeCompare(b.value)),
    entityOptions: Object.entries(entities)
      .map(([value, label]) => ({ value, label }))
      .sort(order),
  };
}
