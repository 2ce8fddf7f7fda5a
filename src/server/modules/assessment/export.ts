/** The period's ranking and 通报 as .docx and .xlsx (the tables are drawn as the tasks module's notices are). */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import ExcelJS from 'exceljs';
import { table } from '../tasks/notices/export.js';

export interface RankingNotice {
  title: string;
  ownerName: string;
  period: string;
  status: string;
  grades: { grade: string; label: string }[];
  rows: {
    rank: number | null;
    orgName: string;
    score: number;
    grade: string | null;
    vetoed: boolean;
    vetoes: string[];
  }[];
}

const gradeLabel = (n: RankingNotice, g: string | null, vetoed: boolean) =>
  vetoed ? '整顿（一票否决）' : (n.grades.find((x) => x.grade === g)?.label ?? '—');
const HEAD = ['名次', '单位', '得分', '等级', '否决事项'];
const cells = (n: RankingNotice, r: RankingNotice['rows'][number]) => [
  r.rank === null ? '—' : String(r.rank),
  r.orgName,
  r.score.toFixed(2),
  gradeLabel(n, r.grade, r.vetoed),
  r.vetoes.join('；'),
];

export async function rankingDocx(n: RankingNotice): Promise<Buffer> {
  const p = (text: string, bold = false) =>
    new Paragraph({ children: [new TextRun({ text, bold, font: '仿宋' })] });
  const counts = n.grades
    .map((g) => `${g.label} ${n.rows.filter((r) => !r.vetoed && r.grade === g.grade).length} 个`)
    .join('，');
  const vetoed = n.rows.filter((r) => r.vetoed);
  const doc = new Document({
    creator: 'Niudai 纽带',
    title: n.title,
    sections: [
      {
        children: [
          new Paragraph({
            heading: HeadingLevel.TITLE,
            alignment: AlignmentType.CENTER,
            children: [new TextRun(n.title)],
          }),
          p(`${n.ownerName}　考核期：${n.period}`),
          p(''),
          p('一、总体情况', true),
          p(`参加考核单位 ${n.rows.length} 个：${counts}；一票否决 ${vetoed.length} 个。`),
          p(''),
          p('二、考核排名', true),
          table(
            HEAD,
            n.rows.map((r) => cells(n, r)),
          ),
          p(''),
          p('三、一票否决单位', true),
          ...(vetoed.length
            ? vetoed.map((r) => p(`${r.orgName}：${r.vetoes.join('；')}`))
            : [p('本期无一票否决单位。')]),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export async function rankingXlsx(n: RankingNotice): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Niudai 纽带';
  const ws = wb.addWorksheet('考核排名');
  ws.addRow([n.title]);
  ws.mergeCells(1, 1, 1, HEAD.length);
  ws.addRow([`${n.ownerName}　考核期：${n.period}`]);
  ws.addRow(HEAD).font = { bold: true };
  for (const r of n.rows)
    ws.addRow([r.rank, r.orgName, r.score, gradeLabel(n, r.grade, r.vetoed), r.vetoes.join('；')]);
  ws.getColumn(2).width = 36;
  ws.getColumn(5).width = 40;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
