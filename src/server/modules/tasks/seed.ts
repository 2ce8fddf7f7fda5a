/**
 * Demo data of the deployment-and-supervision module: one published document of the city's
 * mass-work office with three tasks for the city mass organizations. Deterministic and fast
 * (a handful of rows); run once by the demo seed after organizations and users exist.
 */
import { workCalendar } from '../../../shared/calendar/workdays.js';
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import { nextReportDue } from '../../../shared/tasks/cadence.js';
import { type Db, sql } from '../../platform/db/index.js';

const BODY = `同志们：
一、深化产业工人队伍建设改革
（一）市总工会要牵头，市科协配合，年内建成20个劳模和工匠人才创新工作室。
二、服务青年和妇女儿童
（一）团市委要在9月底前完成青年驿站布点，市妇联配合。
（二）市妇联负责实施“巾帼家政”培训，每季度报送培训情况，全年培训不少于2000人次。`;

export async function seedDemoTasks(db: Db, now: Date): Promise<{ documents: number; tasks: number }> {
  const orgs = await db.query<{ id: number; name: string }>(
    sql`SELECT id, name FROM orgs WHERE parent_id IS NULL OR depth = 1`,
  );
  const id = (suffix: string) => orgs.find((o) => o.name.endsWith(suffix))?.id;
  const office = orgs.find((o) => o.name.includes('群团工作部') && o.name.startsWith('中共'))?.id;
  const admin = (await db.query<{ id: number }>(sql`SELECT id FROM users WHERE username = 'admin'`))[0]?.id;
  const union = id('市总工会');
  const science = id('市科学技术协会');
  const youth = orgs.find((o) => o.name.startsWith('共青团') && o.name.endsWith('市委员会'))?.id;
  const women = id('市妇女联合会');
  if (!office || !admin || !union || !science || !youth || !women) return { documents: 0, tasks: 0 };
  const year = Number(shanghaiYmd(now).slice(0, 4));
  const today = shanghaiYmd(now);
  const tasks: [string, number[], number[], string | null, string, string[]][] = [
    ['建成20个劳模和工匠人才创新工作室', [union], [science], `${year}-12-31`, 'monthly', ['20个']],
    [
      '完成青年驿站布点',
      [youth],
      [women],
      `${year}-09-30` >= today ? `${year}-09-30` : `${year}-12-31`,
      'monthly',
      [],
    ],
    ['实施“巾帼家政”培训', [women], [], `${year}-12-31`, 'quarterly', ['不少于2000人次']],
  ];
  await db.tx(async (tx) => {
    const d = await tx.query<{
      id: number;
    }>(sql`INSERT INTO task_documents (org_id, kind, title, doc_no, doc_date, body,
        status, created_by, published_at, created_at, updated_at)
      VALUES (${office}, 'notice', '关于推进群团改革重点任务的通知', ${`示群发〔${year}〕1号`}, ${today}, ${BODY},
        'published', ${admin}, ${now}, ${now}, ${now}) RETURNING id`);
    for (const [title, lead, co, due, cadence, targets] of tasks) {
      const t = await tx.query<{
        id: number;
      }>(sql`INSERT INTO tasks (document_id, owner_org_id, created_by, title, content,
          targets, due_date, cadence, next_report_due, created_at, updated_at)
        VALUES (${d[0]!.id}, ${office}, ${admin}, ${title}, ${title}, ${targets}::text[], ${due}, ${cadence},
          ${nextReportDue(workCalendar, cadence as 'monthly', today, null, due)}, ${now}, ${now}) RETURNING id`);
      const tid = t[0]!.id;
      await tx.query(sql`UPDATE tasks SET path = ${`/${tid}/`} WHERE id = ${tid}`);
      const rows = [
        sql`(${tid}, ${office}, 'owner', 0)`,
        ...lead.map((o, i) => sql`(${tid}, ${o}, 'lead', ${i})`),
        ...co.map((o, i) => sql`(${tid}, ${o}, 'co', ${i})`),
      ];
      await tx.query(sql`INSERT INTO task_orgs (task_id, org_id, role, sort) VALUES ${sql.join(rows)}`);
      await tx.query(sql`INSERT INTO task_events (task_id, at, actor_id, actor_name, org_id, action, to_status, note)
        VALUES (${tid}, ${now}, ${admin}, '平台管理员', ${office}, 'create', 'not_started', '演示数据')`);
    }
  });
  return { documents: 1, tasks: tasks.length };
}
