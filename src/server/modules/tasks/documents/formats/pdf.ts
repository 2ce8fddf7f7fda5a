/**
 * Text of a text PDF (unpdf): items grouped into lines by their baseline; a wide gap between
 * items on one line is a column break (a tab), so ruled tables come out as tabbed rows.
 */
import { extractTextItems, getDocumentProxy } from 'unpdf';

export class PdfError extends Error {
  constructor(readonly reason: 'encrypted' | 'scanned' | 'corrupt') {
    super(reason);
  }
}

interface Item {
  str: string;
  x: number;
  y: number;
  width: number;
  fontSize: number;
}

interface Segment {
  x: number;
  text: string;
}

/** Items of one baseline, split into segments where a wide gap separates them. */
function segmentsOf(line: Item[]): Segment[] {
  line.sort((a, b) => a.x - b.x);
  const out: Segment[] = [];
  let end = Number.NEGATIVE_INFINITY;
  for (const it of line) {
    const gap = it.x - end;
    const last = out.at(-1);
    if (last && gap <= Math.max(6, it.fontSize * 1.5)) last.text += it.str;
    else out.push({ x: it.x, text: it.str });
    end = it.x + it.width;
  }
  return out;
}

/**
 * Lines of a page. Between the first and the last line holding several segments (a table),
 * every line is laid out on the columns of the widest row, so a cell wrapped onto the next
 * line keeps its column (an empty cell elsewhere) and a section row stays inside the table.
 */
function pageLines(items: Item[]): string[] {
  const sorted = items.filter((i) => i.str.trim() !== '').sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: Item[][] = [];
  for (const it of sorted) {
    const line = lines.at(-1);
    const tol = Math.max(2, it.fontSize * 0.4);
    if (line && Math.abs((line[0] as Item).y - it.y) <= tol) line.push(it);
    else lines.push([it]);
  }
  const segs = lines.map(segmentsOf);
  const multi = segs.flatMap((s, i) => (s.length >= 2 ? [i] : []));
  if (multi.length < 2) return segs.map((s) => s.map((x) => x.text).join(''));
  const widest = segs.reduce((a, b) => (b.length > a.length ? b : a));
  const anchors = widest.map((x) => x.x);
  const [from, to] = [multi[0] as number, multi.at(-1) as number];
  return segs.map((line, i) => {
    if (i < from || i > to) return line.map((x) => x.text).join('');
    const cells = anchors.map(() => '');
    for (const seg of line) {
      let col = 0;
      for (let k = 0; k < anchors.length; k++) if ((anchors[k] as number) <= seg.x + 3) col = k;
      cells[col] += seg.text;
    }
    return cells.join('\t');
  });
}

export async function readPdf(bytes: Uint8Array): Promise<{ text: string; pages: number }> {
  let pdf: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    pdf = await getDocumentProxy(new Uint8Array(bytes));
  } catch (e) {
    const name = (e as { name?: string }).name ?? '';
    throw new PdfError(name === 'PasswordException' ? 'encrypted' : 'corrupt');
  }
  const { items, totalPages } = await extractTextItems(pdf);
  const lines = items.flatMap((page) => pageLines(page as Item[]));
  const text = lines.join('\n');
  if (text.replace(/\s/g, '').length < 10) throw new PdfError('scanned');
  return { text, pages: totalPages };
}
