/**
 * Generates src/shared/calendar/holidays.json from the installed `chinese-days` package.
 * Usage: npx tsx scripts/gen-holidays.ts
 * Output shape: { "holidays": ["YYYY-MM-DD", ...], "workdays": ["YYYY-MM-DD", ...] }
 * where workdays are the 调休 weekend days that are working days.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIRST_YEAR = 2020;
const LAST_YEAR = 2027;

const require = createRequire(import.meta.url);
const source = join(dirname(require.resolve('chinese-days/package.json')), 'dist', 'chinese-days.json');
const raw = JSON.parse(readFileSync(source, 'utf8')) as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

function pick(map: Record<string, string>): string[] {
  return Object.keys(map)
    .filter((d) => {
      const y = Number(d.slice(0, 4));
      return /^\d{4}-\d{2}-\d{2}$/.test(d) && y >= FIRST_YEAR && y <= LAST_YEAR;
    })
    .sort();
}

const holidays = pick(raw.holidays);
const workdays = pick(raw.workdays);
const overlap = holidays.filter((d) => workdays.includes(d));
if (overlap.length > 0) throw new Error(`dates both holiday and workday: ${overlap.join(', ')}`);
const years = [...new Set(holidays.map((d) => Number(d.slice(0, 4))))].sort((a, b) => a - b);

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'shared', 'calendar', 'holidays.json');
// One date per line: diff-friendly and stable under `biome format`.
writeFileSync(out, `${JSON.stringify({ holidays, workdays }, null, 2)}\n`);
console.log(
  `wrote ${out}: years ${years.join(',')}, ${holidays.length} holidays, ${workdays.length} workdays`,
);
