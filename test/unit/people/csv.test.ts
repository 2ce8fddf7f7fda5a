import { describe, expect, it } from 'vitest';
import { csvLine } from '../../../src/server/platform/csv.js';
import { countCsvRows, parseCsv } from '../../../src/server/platform/sheets/csv.js';

async function* chunks(parts: (string | Uint8Array)[]) {
  for (const p of parts) yield typeof p === 'string' ? new TextEncoder().encode(p) : p;
}
async function rows(parts: (string | Uint8Array)[], maxCell = 100) {
  const out: { cells: string[]; oversize: boolean }[] = [];
  for await (const r of parseCsv(chunks(parts), { maxCell })) out.push(r);
  return out;
}

describe('streaming CSV', () => {
  it('parses quotes, escaped quotes, commas and newlines in quotes, CRLF and a missing final newline', async () => {
    const r = await rows(['a,"b,1","c ""x"""\r\n', '"multi\nline",,z\n', 'last,row']);
    expect(r.map((x) => x.cells)).toEqual([
      ['a', 'b,1', 'c "x"'],
      ['multi\nline', '', 'z'],
      ['last', 'row'],
    ]);
  });

  it('handles chunk boundaries anywhere, including inside quotes and multi-byte characters', async () => {
    const text = '姓名,身份证号\r\n"张,三",130702199001011234\r\n李四,"1307""02"\r\n';
    const bytes = new TextEncoder().encode(text);
    const expected = await rows([text]);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await rows([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(expected);
    }
  });

  it('reads GB18030 (Excel on Chinese Windows) and strips a UTF-8 BOM', async () => {
    // "姓名,张三\n" in GBK
    const gbk = new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb, 0x2c, 0xd5, 0xc5, 0xc8, 0xfd, 0x0a]);
    expect((await rows([gbk])).map((x) => x.cells)).toEqual([['姓名', '张三']]);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('a,b\n')]);
    expect((await rows([bom])).map((x) => x.cells)).toEqual([['a', 'b']]);
  });

  it('cuts and flags an oversize cell without holding it: a 50-MB cell in 1-MB chunks', async () => {
    const mb = 'x'.repeat(1 << 20);
    async function* big() {
      yield new TextEncoder().encode('a,"');
      for (let i = 0; i < 50; i++) yield new TextEncoder().encode(mb);
      yield new TextEncoder().encode('",b\nc,d\n');
    }
    const out: { cells: string[]; oversize: boolean }[] = [];
    const before = process.memoryUsage().heapUsed;
    for await (const r of parseCsv(big(), { maxCell: 500 })) out.push(r);
    expect(out).toHaveLength(2);
    expect(out[0]!.oversize).toBe(true);
    expect(out[0]!.cells[1]!.length).toBe(501);
    expect(out[1]).toEqual({ cells: ['c', 'd'], oversize: false });
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(40 << 20);
  });

  it('counts records by bytes, ignoring newlines inside quotes', async () => {
    expect(await countCsvRows(chunks(['a,b\n"x\ny",z\n', 'last']))).toBe(3);
    expect(await countCsvRows(chunks(['a\n']))).toBe(1);
  });

  it('writes lines that Excel reads back, without formula injection', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', null, 3])).toBe('a,"b,c","say ""hi""",,3\r\n');
    expect(csvLine(['=1+1', '@x'])).toBe("'=1+1,'@x\r\n");
  });
});
