/**
 * Task tables (任务分工表) inside the extracted text. Extractors write every table row as one
 * line of tab-separated cells (merged cells repeated), so a table is a run of lines with tabs.
 * Columns are recognised by their header words (one or two header rows); every data row
 * becomes a task with its lead, co and deadline. A run without a recognisable header stays
 * text, with a notice.
 */
import type { CalendarContext } from './calendar';
import { rate } from './confidence';
import { findDeadlines } from './deadlines';
import type { Span } from './segment';
import { findTargets } from './targets';
import type { DecomposeTask } from './types';
import type { UnitItem } from './units';

type Role = 'seq' | 'task' | 'lead' | 'co' | 'deadline' | 'leader' | 'other';

interface Cell extends Span {
  text: string;
  /** Original text of a cell continued on the next line (PDF wrapping), joined. */
  orig?: string;
}

/** Header words by role; co is tested before lead (责任单位 over 牵头单位 / 配合单位). */
const HEADER: [Role, RegExp][] = [
  ['seq', /^(?:序号|编号|序|No\.?)$/i],
  ['co', /配合|协同|协助|参与|协办|共同责任/],
  ['leader', /领导|责任人|联系人|分管/],
  ['lead', /牵头|主责|责任单位|责任部门|负责单位|主办|承办|实施主体|责任主体/],
  ['deadline', /时限|时间|节点|期限|进度/],
  ['task', /任务|内容|措施|事项|举措|工作|目标|项目/],
];

/** Deadline cells that name no date: ongoing work. */
const ONGOING = /持续|长期|常态|经常|全年|每年度?持续|不定期/;

function roleOf(header: string): Role {
  const h = header.replace(/\s+/g, '');
  if (!h) return 'other';
  for (const [role, re] of HEADER) if (re.test(h)) return role;
  return 'other';
}

function cellsOf(s: string, start: number, end: number): Cell[] {
  const out: Cell[] = [];
  let a = start;
  for (let i = start; i <= end; i++) {
    if (i === end || s[i] === '\t') {
      let x = a;
      let y = i;
      while (x < y && /\s/.test(s[x] as string)) x++;
      while (y > x && /\s/.test(s[y - 1] as string)) y--;
      out.push({ start: x, end: y, text: s.slice(x, y) });
      a = i + 1;
    }
  }
  return out;
}

export interface TableBlock extends Span {
  rows: Cell[][];
}

/** Whether the next line is a row as wide as the table's widest. */
function nextIsRow(s: string, from: number, block: TableBlock): boolean {
  const nl = s.indexOf('\n', from);
  const cells = s.slice(from, nl < 0 ? s.length : nl).split('\t').length;
  return cells >= 3 && cells === Math.max(...block.rows.map((r) => r.length));
}

/** Runs of at least two lines holding two or more tabs. */
export function tableBlocks(s: string): TableBlock[] {
  const out: TableBlock[] = [];
  let cur: TableBlock | null = null;
  let pos = 0;
  while (pos <= s.length) {
    const nl = s.indexOf('\n', pos);
    const end = nl < 0 ? s.length : nl;
    let tabs = 0;
    for (let i = pos; i < end && tabs < 2; i++) if (s[i] === '\t') tabs++;
    // a row starts a table with two tabs; inside one, a row whose trailing empty cells were
    // trimmed away may hold a single tab
    if (tabs >= 2 || (cur && tabs === 1)) {
      if (!cur) {
        cur = { start: pos, end, rows: [] };
        out.push(cur);
      }
      cur.rows.push(cellsOf(s, pos, end));
      cur.end = end;
    } else if (cur && nl >= 0 && end > pos && nextIsRow(s, nl + 1, cur)) {
      // a section row (二、提升服务效能) between two table rows stays in the table
      cur.rows.push(cellsOf(s, pos, end));
      cur.end = end;
    } else cur = null;
    if (nl < 0) break;
    pos = nl + 1;
  }
  return out.filter((b) => b.rows.length >= 2);
}

/**
 * An upper header row with fewer cells than the table (merged cells not repeated, as in .doc):
 * a cell stays over a run of sub-headers below it (责任单位 over 牵头单位 | 配合单位).
 */
function spread(one: string[], two: string[] | undefined, width: number): string[] {
  if (one.length >= width || !two) return one;
  const out: string[] = [];
  let i = 0;
  for (let j = 0; j < width; j++) {
    out.push(one[i] ?? '');
    if (!(two[j] && two[j + 1])) i++;
  }
  return out;
}

interface Columns {
  roles: Role[];
  headerRows: number;
}

/** Header: one or two rows whose words name a task column and a lead column. */
function columnsOf(rows: Cell[][]): Columns | null {
  for (let r = 0; r < Math.min(rows.length, 4); r++) {
    const width = Math.max(...rows.slice(r).map((x) => x.length));
    const rawTwo = rows[r + 1]?.map((c) => c.text);
    const two = rawTwo ? [...rawTwo, ...Array(Math.max(0, width - rawTwo.length)).fill('')] : undefined;
    const one = spread(
      (rows[r] as Cell[]).map((c) => c.text),
      two,
      width,
    );
    const candidates: [string[], number][] = [];
    // two-row header: 责任单位 over 牵头单位 | 配合单位; the lower word decides
    if (two) candidates.push([one.map((h, i) => `${h}|${two[i] ?? ''}`), 2]);
    candidates.push([one, 1]);
    for (const [headers, n] of candidates) {
      const roles = headers.map((h) => {
        if (n === 1) return roleOf(h);
        const [up, low] = h.split('|') as [string, string];
        const lowRole = roleOf(low);
        return lowRole !== 'other' && low !== up ? lowRole : roleOf(up);
      });
      if (n === 2 && headers.every((h) => roleOf(h.split('|')[1] as string) === 'other')) continue;
      if (roles.includes('task') && roles.includes('lead')) return { roles, headerRows: r + n };
    }
  }
  return null;
}

/** Unit names in a cell: split at 、，； spaces and slashes. */
function unitsIn(cell: Cell | undefined, text: string): UnitItem[] {
  if (!cell?.text) return [];
  const out: UnitItem[] = [];
  const re = /[^、，,；;\s/]+/g;
  const own = cell.orig ?? text.slice(cell.start, cell.end);
  for (let m = re.exec(own); m; m = re.exec(own)) {
    let name = m[0].replace(/等$/, '').replace(/[（(].*$/, '');
    if (/^[（(]/.test(m[0])) continue;
    if (name.length < 2 || name.length > 30) continue;
    if (/^(?:无|\/|—|-)$/.test(name)) continue;
    name = name.trim();
    // 各乡镇, 有关单位: a collective, not a unit
    if (/^(?:各|有关|相关|其他|其它|全体|所有)/.test(name)) continue;
    const start = cell.orig ? cell.start : cell.start + m.index;
    out.push({ name, start, end: start + name.length, kind: 'unit' });
  }
  return out;
}

/**
 * Rows continued on the next line (a PDF cell wrapped: 「压缩企业开办时」 then 「间至1个工作日」):
 * a row with an empty 序号 after a numbered row is joined into it, column by column.
 */
function joinWrapped(rows: Cell[][], seqCol: number | undefined, text: string): Cell[][] {
  if (seqCol === undefined) return rows;
  const out: Cell[][] = [];
  let prevNumbered = false;
  for (const row of rows) {
    const prev = out.at(-1);
    const seq = row[seqCol]?.text ?? '';
    const filled = row.some((c) => c.text);
    if (prev && prevNumbered && seq === '' && filled) {
      row.forEach((c, i) => {
        if (!c.text) return;
        const p = prev[i];
        if (!p?.text) prev[i] = { ...c };
        else
          prev[i] = {
            start: p.start,
            end: c.end,
            text: p.text + c.text,
            orig: (p.orig ?? text.slice(p.start, p.end)) + text.slice(c.start, c.end),
          };
      });
      continue;
    }
    prevNumbered = /^\d{1,3}\.?$|^[一二三四五六七八九十]{1,3}$/.test(seq);
    out.push([...row]);
  }
  return out;
}

export interface TableReading {
  tasks: DecomposeTask[];
  /** Spans read as tables (the prose rules skip them). */
  spans: Span[];
  notices: string[];
}

/** Reads every task table of the text (Simplified copy `s`, original `text`). */
export function readTables(
  text: string,
  s: string,
  date: string | undefined,
  cal: CalendarContext,
): TableReading {
  const out: TableReading = { tasks: [], spans: [], notices: [] };
  for (const [bi, b] of tableBlocks(s).entries()) {
    const cols = columnsOf(b.rows);
    if (!cols) {
      out.notices.push(`第 ${bi + 1} 个表格没有可识别的表头（如「工作任务」「牵头单位」），已按正文处理`);
      continue;
    }
    out.spans.push({ start: b.start, end: b.end });
    const idx = (role: Role) => cols.roles.flatMap((r, i) => (r === role ? [i] : []));
    const taskCols = idx('task');
    const [leadCol] = idx('lead');
    const coCols = idx('co');
    const [dlCol] = idx('deadline');
    let lastLead: UnitItem[] = [];
    for (const row of joinWrapped(b.rows.slice(cols.headerRows), idx('seq')[0], text)) {
      const taskCells = taskCols.map((i) => row[i]).filter((c): c is Cell => !!c && c.text.length > 0);
      // a row whose cells all repeat one text is a section row (一、就业服务) spanning the table
      if (taskCells.length === 0 || new Set(row.map((c) => c.text).filter(Boolean)).size <= 1) continue;
      const first = taskCells[0] as Cell;
      const last = taskCells.at(-1) as Cell;
      let lead = unitsIn(leadCol === undefined ? undefined : row[leadCol], text);
      const why: string[] = [];
      if (lead.length === 0 && lastLead.length > 0) {
        lead = lastLead;
        why.push('牵头单位栏为空，沿用上一行');
      }
      lastLead = lead;
      const co = coCols
        .flatMap((i) => unitsIn(row[i], text))
        .filter((u) => !lead.some((l) => l.name === u.name));
      const dlCell = dlCol === undefined ? undefined : row[dlCol];
      const hit = dlCell?.text ? (findDeadlines(s, dlCell.start, dlCell.end, date, cal)[0] ?? null) : null;
      if (!hit && dlCell && ONGOING.test(dlCell.text))
        why.push(`时限栏为「${text.slice(dlCell.start, dlCell.end)}」：长期任务，无截止日期`);
      else if (!hit && dlCell?.text) why.push(`时限栏「${text.slice(dlCell.start, dlCell.end)}」未能识别`);
      const names = (xs: UnitItem[]) => [...new Set(xs.map((u) => u.name))];
      const conf = rate('table', lead, hit, 0, lead.length === 0 ? ['表格行没有牵头单位'] : []);
      out.tasks.push({
        text: taskCells.map((c) => c.orig ?? text.slice(c.start, c.end)).join(' '),
        start: first.start,
        end: last.end,
        lead: names(lead),
        co: names(co),
        deadline: hit
          ? { text: text.slice(hit.start, hit.end), date: hit.date, recurrence: hit.recurrence }
          : null,
        targets: findTargets(s, first.start, last.end).map((h) => text.slice(h.start, h.end)),
        confidence: conf.confidence,
        rule: 'table',
        why: [...conf.why, ...why],
      });
    }
  }
  return out;
}
