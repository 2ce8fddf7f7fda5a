/**
 * Builds the task-table fixtures in test/fixtures/tables (committed; rerun after a change):
 *   npx tsx scripts/gen-table-fixtures.ts
 * plan.docx (Word: prose + a 任务分工表 with a two-row header, a lead merged over rows and a
 * section row), plan.xlsx (the same in Excel with merged cells), no-header.docx (a table
 * without header words). plan.doc and plan.pdf are converted from plan.docx with LibreOffice
 * (`soffice --headless --convert-to doc|pdf`) when it is installed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalMergeType,
  WidthType,
} from 'docx';
import ExcelJS from 'exceljs';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/tables');

export const TITLE = '某县2026年营商环境优化重点任务分工方案';
export const PROSE = [
  '为持续优化营商环境，现将重点任务分工如下。',
  '县政务服务中心要在6月底前完成“一窗通办”改造。县发改局牵头，每季度末通报各单位进展。',
];
/** [序号, 重点任务, 牵头单位, 配合单位, 完成时限]; null lead = merged with the row above. */
export const ROWS: [string, string, string | null, string, string][] = [
  ['1', '压缩企业开办时间至1个工作日', '县市场监管局', '县税务局、县公安局', '2026年4月底前'],
  ['2', '推行工程建设项目联合验收', '县住建局', '县自然资源局', '2026年第三季度'],
  ['3', '开展涉企收费专项检查', null, '县财政局', '持续推进'],
  ['4', '建立惠企政策免申即享清单', '县发改局', '县财政局、县工信局', '每季度'],
  ['5', '办结企业诉求事项', '县政务服务中心', '各乡镇', '20个工作日内'],
];
const SECTION = '二、提升服务效能';

const cell = (text: string, opts: Partial<ConstructorParameters<typeof TableCell>[0]> = {}) =>
  new TableCell({ children: [new Paragraph(text)], ...opts });

async function docx(): Promise<void> {
  const header1 = new TableRow({
    children: [
      cell('序号', { verticalMerge: VerticalMergeType.RESTART }),
      cell('重点任务', { verticalMerge: VerticalMergeType.RESTART }),
      cell('责任单位', { columnSpan: 2 }),
      cell('完成时限', { verticalMerge: VerticalMergeType.RESTART }),
    ],
  });
  const header2 = new TableRow({
    children: [
      cell('', { verticalMerge: VerticalMergeType.CONTINUE }),
      cell('', { verticalMerge: VerticalMergeType.CONTINUE }),
      cell('牵头单位'),
      cell('配合单位'),
      cell('', { verticalMerge: VerticalMergeType.CONTINUE }),
    ],
  });
  const rows = ROWS.map(
    ([n, task, lead, co, dl], i) =>
      new TableRow({
        children: [
          cell(n),
          cell(task),
          lead === null
            ? cell('', { verticalMerge: VerticalMergeType.CONTINUE })
            : cell(lead, {
                verticalMerge: ROWS[i + 1]?.[2] === null ? VerticalMergeType.RESTART : undefined,
              }),
          cell(co),
          cell(dl),
        ],
      }),
  );
  const section = new TableRow({ children: [cell(SECTION, { columnSpan: 5 })] });
  const table = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [header1, header2, ...rows.slice(0, 3), section, ...rows.slice(3)],
  });
  const doc = new Document({
    sections: [
      {
        children: [
          new Paragraph({ children: [new TextRun({ text: TITLE, bold: true })] }),
          ...PROSE.map((p) => new Paragraph(p)),
          table,
          new Paragraph('某县人民政府办公室'),
          new Paragraph('2026年3月10日'),
        ],
      },
    ],
  });
  writeFileSync(path.join(dir, 'plan.docx'), await Packer.toBuffer(doc));
  const bare = new Document({
    sections: [
      {
        children: [
          new Paragraph('县财政局要在5月底前完成预算公开。'),
          new Table({
            rows: [
              new TableRow({ children: [cell('甲'), cell('乙'), cell('丙')] }),
              new TableRow({ children: [cell('一'), cell('二'), cell('三')] }),
            ],
          }),
        ],
      },
    ],
  });
  writeFileSync(path.join(dir, 'no-header.docx'), await Packer.toBuffer(bare));
}

async function xlsx(): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('任务分工');
  ws.addRow([TITLE]);
  ws.mergeCells('A1:E1');
  ws.addRow(['序号', '重点任务', '责任单位', '', '完成时限']);
  ws.addRow(['', '', '牵头单位', '配合单位', '']);
  ws.mergeCells('A2:A3');
  ws.mergeCells('B2:B3');
  ws.mergeCells('C2:D2');
  ws.mergeCells('E2:E3');
  let r = 4;
  for (const [i, [n, task, lead, co, dl]] of ROWS.entries()) {
    if (i === 3) {
      ws.addRow([SECTION]);
      ws.mergeCells(`A${r}:E${r}`);
      r++;
    }
    ws.addRow([Number(n), task, lead ?? '', co, dl]);
    if (lead === null) ws.mergeCells(`C${r - 1}:C${r}`);
    r++;
  }
  await wb.xlsx.writeFile(path.join(dir, 'plan.xlsx'));
}

async function main(): Promise<void> {
  await docx();
  await xlsx();
  writeFileSync(path.join(dir, 'fake.doc'), '这不是 Word 文档，只是改了扩展名的文本。\n');
  const soffice = ['/usr/bin/soffice', '/usr/local/bin/soffice'].find((p) => existsSync(p));
  if (!soffice) {
    console.log('soffice not found: plan.doc and plan.pdf kept as they are');
    return;
  }
  for (const to of ['doc', 'pdf'])
    execFileSync(soffice, ['--headless', '--convert-to', to, '--outdir', dir, path.join(dir, 'plan.docx')], {
      stdio: 'inherit',
    });
}

await main();
