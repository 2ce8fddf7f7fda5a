/**
 * The first-run checklist of a new deployment: each item is marked done from the data (never
 * ticked by hand) and links to the page where it is done.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import type { ChecklistView } from '../../../shared/contracts/onboarding.js';
import { loadCalendar } from '../../platform/calendar.js';
import { type Queryable, sql } from '../../platform/db/index.js';

/** The message sender in use (set when the jobs are registered): 'log' means no SMS gateway. */
let senderName = 'log';
export const setSenderName = (name: string) => {
  senderName = name;
};

const BACKUP_FRESH_MS = 2 * 86_400_000;

/**
 * The newest backup in the data folder's backups/: a directory written by `niudai backup`
 * (its manifest.json), or a file of the operator's own scheduled dump.
 */
async function newestBackup(dataDir: string): Promise<Date | null> {
  const dir = join(dataDir, 'backups');
  let newest: Date | null = null;
  try {
    for (const f of await readdir(dir)) {
      let s = await stat(join(dir, f));
      if (s.isDirectory()) s = await stat(join(dir, f, 'manifest.json')).catch(() => s);
      if (s.isFile() && s.size > 0 && (!newest || s.mtime > newest)) newest = s.mtime;
    }
  } catch {
    return null;
  }
  return newest;
}

/** PostgreSQL's continuous archiving, when on: the time of the last archived WAL segment. */
async function lastArchived(q: Queryable): Promise<Date | null> {
  try {
    const [r] = await q.query<{ mode: string; at: Date | null }>(
      sql`SELECT current_setting('archive_mode') AS mode, (SELECT last_archived_time FROM pg_stat_archiver) AS at`,
    );
    return r && r.mode !== 'off' ? r.at : null;
  } catch {
    return null;
  }
}

export async function checklist(q: Queryable, opts: { dataDir: string; now: Date }): Promise<ChecklistView> {
  const [c] = await q.query<{
    orgs: number;
    below: number;
    org_imports: number;
    units: number;
    users: number;
    assigned: number;
    routing: number;
    sla: number;
  }>(sql`SELECT
      (SELECT count(*)::int FROM orgs) AS orgs,
      (SELECT count(*)::int FROM orgs WHERE depth >= 2) AS below,
      (SELECT count(*)::int FROM onboarding_imports WHERE kind = 'orgs' AND status = 'applied') AS org_imports,
      (SELECT count(*)::int FROM units) AS units,
      (SELECT count(*)::int FROM users) AS users,
      (SELECT count(DISTINCT ur.user_id)::int FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE r.key <> 'admin') AS assigned,
      (SELECT count(*)::int FROM audit_events WHERE action IN ('appeal.config.routing', 'appeal.config.category')) AS routing,
      (SELECT count(*)::int FROM audit_events WHERE action = 'appeal.config.sla') AS sla`);
  const n = c!;
  const nextYear = Number(shanghaiYmd(opts.now).slice(0, 4)) + 1;
  const calendar = await loadCalendar(q);
  const holidays = calendar.coveredYears.includes(nextYear);
  const backup = await newestBackup(opts.dataDir);
  const archived = await lastArchived(q);
  const freshBackup = [backup, archived].some((d) => d && opts.now.getTime() - d.getTime() < BACKUP_FRESH_MS);
  const last = [backup, archived].filter((d): d is Date => d !== null).sort((a, b) => +b - +a)[0];
  const items: ChecklistView['items'] = [
    {
      key: 'orgs',
      title: '导入组织架构',
      done: n.org_imports > 0 || n.below > 0,
      detail: `已有 ${n.orgs} 个组织${n.org_imports > 0 ? `，已导入 ${n.org_imports} 次` : ''}`,
      link: '/onboarding/import?kind=orgs',
    },
    {
      key: 'units',
      title: '导入基层单位',
      done: n.units > 0,
      detail: `已有 ${n.units} 个基层单位`,
      link: '/onboarding/import?kind=units',
    },
    {
      key: 'users',
      title: '开通用户并分配角色',
      done: n.users > 1 && n.assigned > 0,
      detail: `已有 ${n.users} 个用户，其中 ${n.assigned} 个分配了管理员以外的角色`,
      link: '/system/users',
    },
    {
      key: 'routing',
      title: '核对诉求分类与分派规则',
      done: n.routing > 0,
      detail: n.routing > 0 ? '已核对并保存' : '尚未保存过分类或分派规则（保存一次即视为已核对）',
      link: '/appeals/config',
    },
    {
      key: 'calendar',
      title: `核对办理时限，录入 ${nextYear} 年节假日`,
      done: n.sla > 0 && holidays,
      detail: `${n.sla > 0 ? '时限已核对' : '时限尚未保存过'}；${holidays ? `${nextYear} 年节假日已有` : `缺少 ${nextYear} 年节假日与调休安排`}`,
      link: '/appeals/config',
    },
    {
      key: 'sms',
      title: '配置短信发送',
      done: senderName !== 'log',
      detail: senderName !== 'log' ? `短信发送：${senderName}` : '当前为日志发送（短信只写入日志，不发出）',
      link: '/onboarding#operations',
    },
    {
      key: 'backups',
      title: '安排定期备份',
      done: freshBackup,
      detail: last
        ? `最近一次备份：${last.toISOString().slice(0, 16).replace('T', ' ')}（UTC）${freshBackup ? '' : '，已超过 2 天'}`
        : '未发现备份（数据目录 backups/ 中的备份文件，或 PostgreSQL 的 WAL 归档）',
      link: '/onboarding#operations',
    },
  ];
  return { items, done: items.filter((i) => i.done).length, total: items.length };
}
