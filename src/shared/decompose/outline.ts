import { collectMarkers, type Marker, RANK, type Style } from './markers';
import type { DecomposeHeading } from './types';

export { cnNumber } from './markers';

interface Run {
  style: Style;
  items: Marker[];
  strong: boolean;
  /** Starts past 1 because the text is an excerpt that begins mid-outline (（一）（二） then 五、). */
  excerpt?: boolean;
}

const first = (r: Run) => (r.items[0] as Marker).start;
const last = (r: Run) => (r.items.at(-1) as Marker).start;

/** Group markers of one style into consecutive runs 1, 2, 3 … (strong markers first). */
function buildRuns(markers: Marker[]): Run[] {
  const runs: Run[] = [];
  const used = new Set<Marker>();
  const byStyle = new Map<Style, Marker[]>();
  for (const m of markers) {
    const list = byStyle.get(m.style);
    if (list) list.push(m);
    else byStyle.set(m.style, [m]);
  }
  const seqOrOrdinal = markers.filter((m) => m.style === 'seq' || m.ordinalToo);
  for (const strongOnly of [true, false]) {
    const passStart = runs.length;
    for (const [style, list] of byStyle) {
      if (style === 'seq') continue;
      let cur: Run | null = null;
      for (const m of list) {
        if (used.has(m) || (strongOnly && !m.strong)) continue;
        if (m.value === 1) {
          cur = { style, items: [m], strong: strongOnly };
          runs.push(cur);
        } else if (cur) {
          // tolerate one number lost inside running text (一、 三、)
          const next = (cur.items.at(-1)?.value ?? -1) + 1;
          if (m.value === next || (m.value === next + 1 && m.strong)) cur.items.push(m);
        }
      }
    }
    // sequence words; a 第N that is not part of an ordinal run may continue them (首先, 其次, 第三)
    const taken = new Set<Marker>();
    for (let i = passStart; i < runs.length; i++) {
      const r = runs[i] as Run;
      if (r.items.length >= 2) for (const m of r.items) taken.add(m);
    }
    let cur: Run | null = null;
    for (const m of seqOrOrdinal) {
      if (used.has(m) || (strongOnly && !m.strong)) continue;
      if (m.style === 'seq' && m.value === 1) {
        cur = { style: 'seq', items: [m], strong: strongOnly };
        runs.push(cur);
      } else if (cur && !taken.has(m)) {
        const prev = cur.items.at(-1)?.value ?? -1;
        if (prev !== 0 && (m.value === prev + 1 || (m.style === 'seq' && m.value === 0))) cur.items.push(m);
      }
    }
    for (let i = passStart; i < runs.length; i++) {
      const r = runs[i] as Run;
      if (r.items.length >= 2) for (const m of r.items) used.add(m);
    }
  }
  const kept = runs.filter((r) => r.items.length >= 2);
  return [...kept, ...excerptRuns(markers, kept)];
}

/**
 * An excerpt that starts mid-outline: the first senior marker (五、) is numbered past 1 and
 * lower-level items stand before it. It opens a run of its own that later numbers continue.
 */
function excerptRuns(markers: Marker[], runs: Run[]): Run[] {
  const used = new Set(runs.flatMap((r) => r.items));
  const out: Run[] = [];
  for (const style of ['part', 'cnDun'] as Style[]) {
    const mine = markers.filter((m) => m.style === style && m.strong);
    const head = mine[0];
    if (!head || used.has(head) || head.value <= 1) continue;
    const juniors = markers.filter((m) => m.strong && m.start < head.start && RANK[m.style] > RANK[style]);
    if (juniors.length === 0) continue;
    out.push(continueRun(style, mine, used));
    // the junior items before it may themselves start past 1 (（三）（四） then 四、)
    for (const js of new Set(juniors.map((m) => m.style))) {
      const list = juniors.filter((m) => m.style === js);
      if (!used.has(list[0] as Marker) && (list[0] as Marker).value > 1)
        out.push(continueRun(js, list, used));
    }
  }
  return out;
}

function continueRun(style: Style, mine: Marker[], used: Set<Marker>): Run {
  const run: Run = { style, items: [mine[0] as Marker], strong: true, excerpt: true };
  for (const m of mine.slice(1)) {
    if (used.has(m)) break;
    if (m.value === (run.items.at(-1) as Marker).value + 1) run.items.push(m);
  }
  return run;
}

function upperBound(xs: number[], v: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((xs[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Runs that do not lie between two consecutive items of another run; O(n log n). */
function freeRuns(pool: Run[]): Run[] {
  const gaps: [number, number][] = [];
  for (const r of pool)
    for (let i = 0; i + 1 < r.items.length; i++)
      gaps.push([(r.items[i] as Marker).start, (r.items[i + 1] as Marker).start]);
  gaps.sort((a, b) => a[0] - b[0]);
  const xs = gaps.map((g) => g[0]);
  const maxY: number[] = [];
  for (const [, y] of gaps) maxY.push(Math.max(y, maxY.at(-1) ?? -1));
  return pool.filter((b) => {
    const k = upperBound(xs, first(b) - 1); // gaps with x < first(b)
    return !(k > 0 && (maxY[k - 1] as number) > last(b));
  });
}

/** For each run: does some other run lie inside one of its gaps? Sparse-table range minimum. */
function parentTest(pool: Run[]): (r: Run) => boolean {
  const byFirst = [...pool].sort((a, b) => first(a) - first(b));
  const firsts = byFirst.map(first);
  const table: number[][] = [byFirst.map(last)];
  for (let w = 1; 2 * w <= byFirst.length; w *= 2) {
    const prev = table.at(-1) as number[];
    table.push(prev.slice(0, prev.length - w).map((v, i) => Math.min(v, prev[i + w] as number)));
  }
  const minLast = (lo: number, hi: number): number => {
    const k = 31 - Math.clz32(hi - lo);
    const row = table[k] as number[];
    return Math.min(row[lo] as number, row[hi - (1 << k)] as number);
  };
  return (r: Run) => {
    for (let i = 0; i + 1 < r.items.length; i++) {
      const x = (r.items[i] as Marker).start;
      const y = (r.items[i + 1] as Marker).start;
      const lo = upperBound(firsts, x);
      const hi = upperBound(firsts, y - 1);
      if (hi > lo && minLast(lo, hi) < y) return true;
    }
    return false;
  };
}

/** Choose the runs forming the top level among `runs` (all inside one section). */
function topRuns(runs: Run[], level: number): Run[] {
  let pool = runs.filter((r) => r.items.length >= 2 || r.excerpt || level > 1);
  if (level === 1 && pool.some((r) => r.strong)) pool = pool.filter((r) => r.strong);
  const free = freeRuns(pool);
  if (free.length === 0) return [];
  if (level > 1) {
    // sub-levels: every free run of the most senior style (sibling lists stay siblings)
    const best = free.reduce((m, r) => Math.min(m, RANK[r.style]), Number.POSITIVE_INFINITY);
    return free.filter((r) => RANK[r.style] === best);
  }
  // top level: a run with numbered parts inside it wins over a flat list (an intro
  // enumeration), then the most senior style, then the earliest
  const isParent = parentTest(pool);
  const parents = new Set(free.filter(isParent));
  const best = [...free].sort(
    (x, y) =>
      Number(parents.has(y)) - Number(parents.has(x)) || RANK[x.style] - RANK[y.style] || first(x) - first(y),
  )[0] as Run;
  // numbering that restarts in the same style (一、二、 then 一、二、三、 under 二、) nests under
  // the last item: the top level is one run of the style, parents first, then the earliest
  const same = free.filter((r) => r.style === best.style);
  if (same.length <= 1) return same;
  const keep = same.find((r) => parents.has(r)) ?? (same.sort((x, y) => first(x) - first(y))[0] as Run);
  return [keep];
}

/** Level `level` inside one section, then recurse into each item's section. */
function assign(runs: Run[], level: number, maxLevel: number, out: Marker[][]) {
  if (level > maxLevel || runs.length === 0) return;
  const top = topRuns(runs, level);
  const items = top.flatMap((r) => r.items).sort((a, b) => a.start - b.start);
  if (items.length === 0) return;
  const bucket = out[level - 1] ?? [];
  out[level - 1] = bucket;
  for (const m of items) bucket.push(m);
  // distribute the other runs' items over the sections opened by these items
  const starts = items.map((m) => m.start);
  const sections: Run[][] = items.map(() => []);
  const topSet = new Set(top);
  // an excerpt's items before its first senior heading belong to the section before it
  const pre: Run[] = [];
  const excerpt = level === 1 && top.some((r) => r.excerpt);
  for (const r of runs) {
    if (topSet.has(r)) continue;
    let cur: Run | null = null;
    let curSec = -1;
    for (const m of r.items) {
      const sec = upperBound(starts, m.start) - 1;
      if (sec < 0) {
        if (excerpt && !pre.includes(r)) pre.push(r);
        continue; // before the first item: intro text
      }
      if (sec !== curSec) {
        cur = { ...r, items: [] };
        (sections[sec] as Run[]).push(cur);
        curSec = sec;
      }
      cur?.items.push(m);
    }
  }
  if (pre.length > 0)
    assign(
      pre.map((r) => ({ ...r, items: r.items.filter((m) => m.start < (starts[0] as number)) })),
      level + 1,
      maxLevel,
      out,
    );
  for (const sec of sections) assign(sec, level + 1, maxLevel, out);
}

/** The outline as the speaker numbers it. */
export function findHeadings(simplified: string, original: string, maxLevel = 3): DecomposeHeading[] {
  const runs = buildRuns(collectMarkers(simplified));
  const levels: Marker[][] = [];
  assign(runs, 1, maxLevel, levels);
  const out: DecomposeHeading[] = [];
  levels.forEach((ms, idx) => {
    for (const m of ms)
      out.push({ level: idx + 1, text: original.slice(m.start, m.end), start: m.start, end: m.end });
  });
  return out.sort((a, b) => a.start - b.start || a.level - b.level);
}
