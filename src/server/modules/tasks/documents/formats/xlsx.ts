/**
 * Text of an .xlsx: every sheet, one line per row with tab-separated cells; a merged cell's
 * value repeated over the cells it covers; a row with a single value is a line of text.
 */
import ExcelJS from 'exceljs';

const MAX_ROWS = 20_000;
const MAX_COLS = 64;

function cellText(c: ExcelJS.Cell): string {
  const master = c.isMerged ? c.master : c;
  const v = master.value;
  let t: string;
  if (v instanceof Date) t = v.toISOString().slice(0, 10);
  else t = master.text ?? '';
  return t.replace(/[\t\r\n]+/g, ' ').trim();
}

export async function readXlsx(bytes: Uint8Array): Promise<{ text: string; sheets: number }> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const lines: string[] = [];
  let sheets = 0;
  wb.eachSheet((ws) => {
    if (ws.state !== 'visible') return;
    sheets++;
    const cols = Math.min(MAX_COLS, ws.columnCount);
    const rows = Math.min(MAX_ROWS, ws.rowCount);
    for (let r = 1; r <= rows; r++) {
      const row = ws.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= cols; c++) cells.push(cellText(row.getCell(c)));
      while (cells.length > 0 && cells.at(-1) === '') cells.pop();
      const filled = cells.filter(Boolean);
      if (filled.length === 0) continue;
      lines.push(new Set(filled).size <= 1 ? (filled[0] as string) : cells.join('\t'));
    }
    lines.push('');
  });
  return { text: lines.join('\n'), sheets };
}
