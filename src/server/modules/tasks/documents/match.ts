/**
 * Unit names found in a document → organizations of the registry. A name is compared in
 * Simplified characters, with the usual short forms of mass organizations expanded
 * (市妇联 → 市妇女联合会, 团县委 → 共青团…县委员会), by exact name, by suffix (示范市妇女联合会
 * ends with 市妇女联合会), by full pinyin (homophone typos), by pinyin initials, and by
 * trigram similarity. Confident matches get an orgId; the others come back as suggestions.
 */
import { pinyin } from 'pinyin-pro';
import type { UnitMatch } from '../../../../shared/contracts/tasks.js';
import type { OrgLevel, OrgType } from '../../../../shared/orgs.js';
import { scopeWhere } from '../../../platform/access.js';
import type { Actor } from '../../../platform/actor.js';
import { type Queryable, sql } from '../../../platform/db/index.js';
import { initials, likeEscape, toSimplified } from '../../../platform/text.js';

const SHORT: [RegExp, string, OrgType][] = [
  [/总工会$|工会$/, '总工会', 'union'],
  [/妇联$/, '妇女联合会', 'women'],
  [/科协$/, '科学技术协会', 'science'],
  [/侨联$/, '归国华侨联合会', 'overseas'],
  [/残联$/, '残疾人联合会', 'disabled'],
  [/文联$/, '文学艺术界联合会', 'literary'],
  [/工商联$/, '工商业联合会', 'commerce'],
  [/红十字会$/, '红十字会', 'red_cross'],
  [/群团工作部$|群工部$/, '群团工作部', 'party_mass_office'],
];

const LEVEL: [RegExp, OrgLevel][] = [
  [/^市/, 'city'],
  [/^(县|区)/, 'county'],
  [/^(镇|乡|街道)/, 'township'],
];

/** The longer forms a short name may stand for, with the organization type they imply. */
export function expand(name: string): { forms: string[]; type?: OrgType; level?: OrgLevel } {
  const s = toSimplified(name)
    .replace(/\s+/g, '')
    .replace(/等(部门|单位)?$/, '');
  const forms = new Set([s]);
  let type: OrgType | undefined;
  // 团市委 / 团县委 / 团区委 / 团委 → 共青团…委员会
  const league = /^(.*?)团(市|县|区|镇|乡)?委(员会)?$/.exec(s);
  if (league && !s.endsWith('党委')) {
    const place = league[1] ?? '';
    const lvl = league[2] ?? '';
    forms.add(`共青团${place}${lvl}委员会`);
    // 团市委 → …市委员会 of the youth league (the place name is the city's, left out in speech)
    if (lvl) forms.add(`${place}${lvl}委员会`);
    type = 'youth_league';
  }
  for (const [re, full, t] of SHORT) {
    if (re.test(s)) {
      forms.add(s.replace(re, full));
      type = t;
      break;
    }
  }
  const level =
    LEVEL.find(([re]) => re.test(s))?.[1] ??
    (league?.[2] === '市' ? 'city' : league?.[2] ? 'county' : undefined);
  return { forms: [...forms], type, level };
}

const py = (s: string) => pinyin(s, { toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('');

interface Cand {
  id: number;
  name: string;
  type: string;
  level: string;
  sim: number;
}

function score(_name: string, e: ReturnType<typeof expand>, c: Cand): { score: number; how: string } {
  const cn = toSimplified(c.name);
  const typeOk = !e.type || e.type === c.type;
  const levelOk = !e.level || e.level === c.level;
  if (e.forms.includes(cn)) return { score: 1, how: '名称一致' };
  if (e.forms.some((f) => f.length >= 3 && cn.endsWith(f)) && typeOk && levelOk)
    return { score: 0.92, how: '简称' };
  const pys = e.forms.map(py);
  if (pys.includes(py(cn))) return { score: 0.88, how: '拼音相同' };
  if (e.forms.some((f) => f.length >= 3 && cn.includes(f)) && typeOk) return { score: 0.75, how: '名称包含' };
  const ini = e.forms.map((f) => initials(f));
  if (ini.some((i) => i.length >= 3 && initials(cn).endsWith(i)) && typeOk && levelOk)
    return { score: 0.7, how: '拼音首字母' };
  return { score: Math.min(0.6, c.sim), how: '相似' };
}

/** Matches unit names to organizations the actor can see. */
export async function matchUnits(q: Queryable, actor: Actor, names: readonly string[]): Promise<UnitMatch[]> {
  const scope = scopeWhere(actor, { orgId: sql.raw('o.id'), path: sql.raw('o.path') });
  const out: UnitMatch[] = [];
  for (const name of [...new Set(names)]) {
    const e = expand(name);
    const main = e.forms[e.forms.length - 1]!;
    const likes = e.forms.filter((f) => f.length >= 2).map((f) => `%${likeEscape(f)}`);
    const ini = initials(main);
    const rows = await q.query<Cand>(sql`SELECT o.id, o.name, o.type, o.level,
        greatest(${sql.join(e.forms.map((f) => sql`similarity(o.name, ${f})`))}) AS sim
      FROM orgs o WHERE o.status = 'active' AND ${scope} AND (
        o.name LIKE ANY(${likes}::text[])
        OR (${ini.length >= 3} AND o.name_initials LIKE ${`%${ini}`})
        OR o.name % ${main}
        ${e.type ? sql`OR (o.type = ${e.type} AND o.level = ${e.level ?? 'city'})` : sql``})
      ORDER BY sim DESC, o.depth, o.id LIMIT 30`);
    const scored = rows
      .map((c) => ({ id: c.id, name: c.name, ...score(name, e, c) }))
      .filter((c) => c.score >= 0.3)
      .sort((a, b) => b.score - a.score || a.id - b.id)
      .slice(0, 5);
    const best = scored[0];
    const confident = best && best.score >= 0.85 && (scored[1]?.score ?? 0) < best.score;
    out.push({
      name,
      orgId: confident ? best.id : null,
      candidates: scored.map((c) => ({ ...c, score: Math.round(c.score * 100) / 100 })),
    });
  }
  return out;
}
