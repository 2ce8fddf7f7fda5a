/** A notice (通报) as a Word document and as an Excel workbook. */
import {
  AlignmentType,
  Document,
  HeadingLevel,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import ExcelJS from 'exceljs';
import type { NoticeView } from '../../../../shared/contracts/tasks.js';
import { ESCALATION_LEVELS, type EscalationLevel } from '../../../../shared/tasks/constants.js';

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);
const RANK_HEAD = ['名次', '责任单位', '到期任务', '按期完成', '逾期完成', '逾期', '督办/挂牌', '按期完成率'];
const rankCells = (r: NoticeView['ranking'][number]) => [
  String(r.rank),
  r.orgName,
  String(r.due),
  String(r.onTime),
  String(r.late),
  String(r.overdue),
  String(r.escalated),
  pct(r.rate),
];
const OVERDUE_HEAD = ['任务', '责任单位', '完成时限', '督办级别'];
const overdueCells = (o: NoticeView['overdue'][number]) => [
  o.title,
  o.orgName,
  o.dueDate,
  ESCALATION_LEVELS[o.escalation as EscalationLevel] ?? '',
];

export function table(head: string[], rows: string[][]): Table {
  const row = (cells: string[], bold = false) =>
    new TableRow({
      children: cells.map(
        (c) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: c, bold })] })] }),
      ),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [row(head, true), ...rows.map((r) => row(r))],
  });
}

export async function noticeDocx(n: NoticeView): Promise<Buffer> {
  const p = (text: string, opts: { bold?: boolean; center?: boolean } = {}) =>
    new Paragraph({
      alignment: opts.center ? AlignmentType.CENTER : undefined,
      children: [new TextRun({ text, bold: opts.bold, font: '仿宋' })],
    });
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
          p(`${n.org.name}　统计期间：${n.from} 至 ${n.to}`, { center: true }),
          p(''),
          p('一、领导批示', { bold: true }),
          ...(n.comment ? n.comment.split('\n') : ['（无）']).map((line) => p(line)),
          p(''),
          p('二、各单位任务完成情况排名', { bold: true }),
          table(RANK_HEAD, n.ranking.map(rankCells)),
          p(''),
          p(`三、逾期未完成任务（${n.overdue.length} 项）`, { bold: true }),
          n.overdue.length ? table(OVERDUE_HEAD, n.overdue.map(overdueCells)) : p('本期无逾期任务。'),
          p(''),
          p(`${n.org.name}　${n.createdAt.slice(0, 10)}`, { center: false }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

export async function noticeXlsx(n: NoticeView): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Niudai 纽带';
  const a = wb.addWorksheet('排名');
  a.addRow([n.title]);
  a.addRow([`${n.org.name}　统计期间：${n.from} 至 ${n.to}`]);
  a.addRow([`领导批示：${n.comment || '（无）'}`]);
  a.addRow([]);
  a.addRow(RANK_HEAD).font = { bold: true };
  for (const r of n.ranking)
    a.addRow([r.rank, r.orgName, r.due, r.onTime, r.late, r.overdue, r.escalated, r.rate ?? null]);
  a.getColumn(2).width = 30;
  a.getColumn(8).numFmt = '0.0%';
  const b = wb.addWorksheet('逾期任务');
  b.addRow(OVERDUE_HEAD).font = { bold: true };
  for (const o of n.overdue) b.addRow(overdueCells(o));
  b.getColumn(1).width = 60;
  b.getColumn(2).width = 30;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
