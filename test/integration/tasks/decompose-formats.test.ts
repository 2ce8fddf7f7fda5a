/**
 * `niudai decompose <file>` reads each of the five formats (fixtures built by
 * scripts/gen-table-fixtures.ts: plan.docx → plan.doc / plan.pdf with LibreOffice) and turns
 * bad input into a clear error, never a crash or an empty result.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDecompose } from '../../../src/server/cli/decompose';
import type { DecomposeResult } from '../../../src/shared/decompose/index';

const dir = path.resolve(__dirname, '../../fixtures/tables');

interface CliOut extends DecomposeResult {
  format: string;
  notices: string[];
  text: string;
}

async function run(file: string, date?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err += String(s);
    return true;
  });
  try {
    const code = await runDecompose(file, date);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

const ROWS = [
  {
    task: '压缩企业开办时间',
    lead: '县市场监管局',
    co: ['县税务局', '县公安局'],
    date: '2026-04-30',
    rec: null,
  },
  { task: '推行工程建设项目联合验收', lead: '县住建局', co: ['县自然资源局'], date: '2026-09-30', rec: null },
  // lead merged with the row above; 持续推进: no deadline
  { task: '开展涉企收费专项检查', lead: '县住建局', co: ['县财政局'], date: null, rec: null },
  {
    task: '建立惠企政策免申即享清单',
    lead: '县发改局',
    co: ['县财政局', '县工信局'],
    date: null,
    rec: 'quarterly',
  },
  // 20 working days from the 落款 date 2026-03-10 on the work calendar
  { task: '办结企业诉求事', lead: '县政务服务中心', co: [], date: '2026-04-08', rec: null },
];

function expectPlan(r: CliOut) {
  const table = r.tasks.filter((t) => t.rule === 'table');
  expect(table.map((t) => t.lead)).toEqual(ROWS.map((x) => [x.lead]));
  table.forEach((t, i) => {
    const want = ROWS[i] as (typeof ROWS)[number];
    expect(t.text.replace(/\s/g, '')).toContain(want.task);
    expect(t.co).toEqual(want.co);
    expect(t.deadline?.date ?? null).toBe(want.date);
    expect(t.deadline?.recurrence ?? null).toBe(want.rec);
    expect(t.confidence).toBeGreaterThan(0.5);
    expect(r.text.slice(t.start, t.end).length).toBeGreaterThan(0);
  });
}

afterEach(() => vi.restoreAllMocks());

describe('niudai decompose <file>', () => {
  it('prints the same JSON through the npm script (.docx: prose and a merged-cell table)', async () => {
    const { stdout } = await promisify(execFile)(
      'npx',
      ['tsx', 'src/server/cli/main.ts', 'decompose', path.join(dir, 'plan.docx')],
      { cwd: path.resolve(__dirname, '../../..'), maxBuffer: 8 << 20 },
    );
    const r = JSON.parse(stdout) as CliOut;
    expect(r.format).toBe('docx');
    expect(r.date).toBe('2026-03-10');
    expect(r.tasks.filter((t) => t.rule !== 'table').map((t) => t.lead)).toEqual([
      ['县政务服务中心'],
      ['县发改局'],
    ]);
    expectPlan(r);
    for (const t of r.tasks.filter((x) => x.rule !== 'table'))
      expect(r.text.slice(t.start, t.end)).toBe(t.text);
  });

  it.each(['plan.xlsx', 'plan.doc', 'plan.pdf'])('reads the task table of %s', async (name) => {
    const { code, out } = await run(path.join(dir, name), '2026-03-10');
    expect(code).toBe(0);
    const r = JSON.parse(out) as CliOut;
    expect(r.format).toBe(name.split('.')[1]);
    expectPlan(r);
  });

  it('reads plain text with a tab-separated table pasted from Word (Traditional)', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'niudai-'));
    const file = path.join(tmp, 'plan.txt');
    writeFileSync(
      file,
      '縣財政局要在5月底前完成預算公開。\n序號\t工作任務\t牽頭單位\t配合單位\t完成時限\n1\t清理拖欠企業賬款\t縣財政局\t縣工信局\t2026年6月30日前\n',
    );
    const { code, out } = await run(file, '2026-03-10');
    expect(code).toBe(0);
    const r = JSON.parse(out) as CliOut;
    expect(r.tasks.map((t) => [t.rule, t.lead, t.co, t.deadline?.date])).toEqual([
      ['modal', ['縣財政局'], [], '2026-05-31'],
      ['table', ['縣財政局'], ['縣工信局'], '2026-06-30'],
    ]);
  });

  it('turns a table without a header into text with a notice', async () => {
    const { code, out } = await run(path.join(dir, 'no-header.docx'), '2026-03-10');
    expect(code).toBe(0);
    const r = JSON.parse(out) as CliOut;
    expect(r.notices.join()).toContain('没有可识别的表头');
    expect(r.tasks.map((t) => t.lead)).toEqual([['县财政局']]);
  });

  it('refuses a .doc that is plain text, a scanned PDF and a PDF with a broken body with a clear error', async () => {
    const fake = await run(path.join(dir, 'fake.doc'));
    expect(fake.code).toBe(1);
    expect(fake.err).toContain('不是旧版 Word');
    const tmp = mkdtempSync(path.join(tmpdir(), 'niudai-'));
    // a one-page PDF with no text at all (what a scanner gives, minus the image)
    const objs = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>',
      '<< /Length 0 >>\nstream\n\nendstream',
    ];
    let pdf = '%PDF-1.4\n';
    const offsets: number[] = [];
    objs.forEach((o, i) => {
      offsets.push(pdf.length);
      pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
    });
    const xref = pdf.length;
    pdf += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
    for (const o of offsets) pdf += `${String(o).padStart(10, '0')} 00000 n \n`;
    pdf += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    writeFileSync(path.join(tmp, 'scan.pdf'), pdf);
    const scan = await run(path.join(tmp, 'scan.pdf'));
    expect(scan.code).toBe(1);
    expect(scan.err).toContain('扫描件');
    writeFileSync(path.join(tmp, 'broken.pdf'), `%PDF-1.4\n${'x'.repeat(100)}`);
    const broken = await run(path.join(tmp, 'broken.pdf'));
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/PDF/);
    const docx = readFileSync(path.join(dir, 'plan.docx'));
    writeFileSync(path.join(tmp, 'renamed.doc'), docx);
    const renamed = await run(path.join(tmp, 'renamed.doc'), '2026-03-10');
    expect(renamed.code).toBe(0);
    expect((JSON.parse(renamed.out) as CliOut).notices.join()).toContain('实际是 .docx');
  });
});
