import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL for an appeals benchmark: DATABASE_URL when set, else a throw-away server
 * (scripts/pg.sh, needs the postgresql package) on its own port, removed afterwards.
 */
export function startPostgres(name: string, port: number): { url: string; stop(): void } {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: () => {} };
  const dir = join(process.cwd(), '.tmp', `pg-bench-${name}`);
  const url = execFileSync('bash', ['scripts/pg.sh', 'start', dir, String(port)], {
    encoding: 'utf8',
  }).trim();
  return { url, stop: () => execFileSync('bash', ['scripts/pg.sh', 'stop', dir]) };
}

/**
 * A new, empty database on the server of `url` (dropped first if left over), so a
 * benchmark always builds its tables fresh, even on a reused server; `drop()` removes it.
 */
export async function freshDatabase(
  url: string,
  name: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = async (text: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const f1 = (x: number) => x.toFixed(1);

/** Demo-like appeal texts: a few hundred distinct sentences from parts. */
const WHO = ['我在', '本人在', '我丈夫在', '我们班组在', '我女儿在', '我父亲在', '我们几个老乡在'];
const WHERE = [
  '建筑工地',
  '物流公司',
  '服装厂',
  '电子厂',
  '餐饮店',
  '外卖平台',
  '快递站点',
  '家政公司',
  '煤矿',
  '学校食堂',
  '养殖场',
  '超市',
];
const WHAT = [
  '打工，老板拖欠三个月工资不发',
  '上班，公司不签劳动合同也不交社保',
  '工作时受伤，单位不给申报工伤',
  '工作，每天加班到深夜却没有加班费',
  '干活，被无故辞退且不给经济补偿',
  '工作，怀孕后被调岗降薪',
  '实习，被扣押身份证和毕业证',
  '上班，车间粉尘噪声很大没有防护用品',
  '送餐，平台超时罚款过重申诉无门',
  '工作，遭受上司言语骚扰',
];
const ASK = [
  '，请求工会帮助讨薪。',
  '，希望有关部门尽快处理。',
  '，请帮忙维护合法权益。',
  '，想咨询如何申请劳动仲裁。',
  '，请求法律援助。',
  '。',
];
export function appealText(i: number): string {
  const r = (n: number, k: number) => Math.floor((Math.sin(i * 9301 + k * 49297) * 0.5 + 0.5) * n) % n;
  return `${WHO[r(WHO.length, 1)]}${WHERE[r(WHERE.length, 2)]}${WHAT[r(WHAT.length, 3)]}${ASK[r(ASK.length, 4)]}（${i}）`;
}
