/**
 * Text of a .docx read from its XML (mammoth's raw text loses tables): paragraphs become
 * lines; a table row becomes one line of tab-separated cells, a horizontally merged cell
 * (gridSpan) repeated over its columns and a vertically merged one (vMerge) repeated down.
 */
import JSZip from 'jszip';

const ENTITY: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return ENTITY[e] ?? m;
  });
}

interface CellState {
  paras: string[];
  span: number;
  vMerge: 'restart' | 'continue' | null;
}

interface TableState {
  rows: { cells: CellState[] }[];
  row: { cells: CellState[] } | null;
  cell: CellState | null;
}

/** Cell text without tabs or line breaks (several paragraphs joined by ；). */
const cellText = (c: CellState) =>
  c.paras
    .map((p) => p.replace(/[\t\n]+/g, ' ').trim())
    .filter(Boolean)
    .join('；');

function tableLines(t: TableState): string[] {
  const grid: string[][] = [];
  for (const r of t.rows) {
    const line: string[] = [];
    for (const c of r.cells) {
      const col = line.length;
      const above = grid.at(-1)?.[col] ?? '';
      const text = c.vMerge === 'continue' ? above : cellText(c);
      for (let k = 0; k < Math.max(1, c.span); k++) line.push(text);
    }
    grid.push(line);
  }
  return grid.map((cells) => {
    const filled = cells.filter(Boolean);
    // a row that is one merged cell (a title or a section row) is a line of text
    if (new Set(filled).size <= 1) return filled[0] ?? '';
    return cells.join('\t');
  });
}

const TOKEN =
  /<w:(p|tbl|tr|tc|t|tab|br|cr|gridSpan|vMerge|instrText|delText)\b([^>]*?)(\/?)>|<\/w:(p|tbl|tr|tc|t|instrText|delText)>/g;

/** Lines of a WordprocessingML body. */
export function documentLines(xml: string): string[] {
  const out: string[] = [];
  const tables: TableState[] = [];
  let para: string[] | null = null;
  let inText = false;
  let skip = false;
  let last = 0;
  const emitPara = (text: string) => {
    const t = tables.at(-1);
    if (t?.cell) t.cell.paras.push(text);
    else out.push(text);
  };
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(xml); m; m = TOKEN.exec(xml)) {
    if (inText && para && !skip) para.push(decode(xml.slice(last, m.index)));
    last = TOKEN.lastIndex;
    const open = m[1];
    const close = m[4];
    const attrs = m[2] ?? '';
    const selfClosing = m[3] === '/';
    if (open === 't') inText = !selfClosing;
    else if (open === 'instrText' || open === 'delText') {
      inText = !selfClosing;
      skip = true;
    } else if (close === 't' || close === 'instrText' || close === 'delText') {
      inText = false;
      skip = false;
    } else if (open === 'p' && !selfClosing) para = [];
    else if (open === 'p') emitPara('');
    else if (close === 'p') {
      if (para) emitPara(para.join(''));
      para = null;
    } else if ((open === 'tab' || open === 'br' || open === 'cr') && para)
      para.push(open === 'tab' ? ' ' : '\n');
    else if (open === 'tbl') tables.push({ rows: [], row: null, cell: null });
    else if (close === 'tbl') {
      const t = tables.pop();
      if (t) for (const line of tableLines(t)) emitPara(line);
    } else if (open === 'tr') {
      const t = tables.at(-1);
      if (t) {
        t.row = { cells: [] };
        t.rows.push(t.row);
      }
    } else if (open === 'tc' && !selfClosing) {
      const t = tables.at(-1);
      if (t?.row) {
        t.cell = { paras: [], span: 1, vMerge: null };
        t.row.cells.push(t.cell);
      }
    } else if (close === 'tc') {
      const t = tables.at(-1);
      if (t) t.cell = null;
    } else if (open === 'gridSpan') {
      const t = tables.at(-1);
      const v = /w:val="(\d+)"/.exec(attrs);
      if (t?.cell && v) t.cell.span = Math.min(64, Number(v[1]));
    } else if (open === 'vMerge') {
      const t = tables.at(-1);
      if (t?.cell) t.cell.vMerge = /w:val="restart"/.test(attrs) ? 'restart' : 'continue';
    }
  }
  return out;
}

export async function readDocx(bytes: Uint8Array): Promise<string> {
  const zip = await JSZip.loadAsync(bytes);
  const file = zip.file('word/document.xml');
  if (!file) throw new Error('no word/document.xml');
  const xml = await file.async('string');
  return documentLines(xml).join('\n');
}
