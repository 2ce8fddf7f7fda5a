import type { PersonListQuery } from '../../../../shared/contracts/people.js';
import {
  EDUCATION,
  type Education,
  GENDERS,
  PERSON_GROUPS,
  type PersonGroup,
  POLITICAL_STATUS,
  type PoliticalStatus,
} from '../../../../shared/people/dicts.js';
import { assertAccess } from '../../../platform/access.js';
import type { Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { forbidden } from '../../../platform/errors.js';
import type { Cell, SheetSpec } from '../../../platform/sheets/sheets.js';
import { personFilter } from '../persons/repo.js';

/** Most rows one export may have. */
export const MAX_EXPORT_ROWS = 1_000_000;

/**
 * Export of a filtered person list: masked identity data, or (with pii:reveal and reveal=true)
 * the full values; one audit event per export with its filter and row count.
 */
export async function exportPersons(
  deps: Deps,
  ctx: Ctx,
  f: Omit<PersonListQuery, 'page' | 'pageSize'>,
  reveal: boolean,
): Promise<SheetSpec> {
  if (f.orgId) await assertAccess(deps.db, ctx.actor, 'person:read', 'org', [f.orgId]);
  if (!ctx.actor.permissions.has('person:read')) throw forbidden();
  if (reveal && !ctx.actor.permissions.has('pii:reveal'))
    throw forbidden('没有查看完整身份信息的权限，不能导出明文');
  const where = personFilter(ctx.actor, f);
  const n =
    (await deps.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM persons p WHERE ${where}`))[0]
      ?.n ?? 0;
  await deps.db.tx((tx) =>
    audit(tx, ctx, {
      action: 'person.export',
      entityType: 'person',
      entityId: null,
      orgId: f.orgId ?? null,
      after: { filter: { ...f }, rows: Math.min(n, MAX_EXPORT_ROWS), revealed: reveal },
    }),
  );
  const { pii, db } = deps;
  async function* rows(): AsyncGenerator<Cell[]> {
    let after = Number.MAX_SAFE_INTEGER;
    let sent = 0;
    while (sent < MAX_EXPORT_ROWS) {
      const page = await db.query<{
        id: number;
        name: string;
        gender: 'M' | 'F';
        birth_date: string;
        id_mask: string;
        id_enc: string;
        phone_mask: string | null;
        phone_enc: string | null;
        ethnicity: string | null;
        education: string | null;
        political_status: string | null;
        frontline: boolean;
        groups: string[];
        employer_name: string | null;
        org_name: string;
      }>(sql`SELECT p.id, p.name, p.gender, p.birth_date, p.id_mask, ${reveal ? sql`p.id_enc` : sql`NULL`} AS id_enc,
          p.phone_mask, ${reveal ? sql`p.phone_enc` : sql`NULL`} AS phone_enc, p.ethnicity, p.education,
          p.political_status, p.frontline, p.groups, un.name AS employer_name, o.name AS org_name
        FROM persons p JOIN orgs o ON o.id = p.org_id LEFT JOIN units un ON un.id = p.employer_unit_id
        WHERE ${where} AND p.id < ${after} ORDER BY p.id DESC LIMIT 2000`);
      for (const r of page) {
        yield [
          r.name,
          GENDERS[r.gender],
          r.birth_date,
          reveal ? pii.decrypt(r.id_enc) : r.id_mask,
          reveal && r.phone_enc ? pii.decrypt(r.phone_enc) : r.phone_mask,
          r.ethnicity,
          r.education ? EDUCATION[r.education as Education] : null,
          r.political_status ? POLITICAL_STATUS[r.political_status as PoliticalStatus] : null,
          r.frontline ? '是' : '否',
          r.groups.map((g) => PERSON_GROUPS[g as PersonGroup] ?? g).join('、'),
          r.employer_name,
          r.org_name,
        ];
      }
      sent += page.length;
      if (page.length < 2000) return;
      after = page[page.length - 1]!.id;
    }
  }
  const h = (header: string, width?: number) => ({ header, width, text: true });
  return {
    name: '人员名单',
    columns: [
      h('姓名'),
      h('性别', 6),
      h('出生日期', 12),
      h('身份证号', 22),
      h('手机号码', 16),
      h('民族'),
      h('学历'),
      h('政治面貌'),
      h('一线职工', 10),
      h('人员类别', 20),
      h('工作单位', 30),
      h('登记组织', 30),
    ],
    rows: rows(),
  };
}
