import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { shanghaiYmd } from '../../../shared/calendar/ymd.js';
import { maskName } from '../../../shared/mask.js';
import { assertAccess } from '../../platform/access.js';
import type { Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Queryable, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { personBasics, personOfUser } from '../people/persons/registry.js';
import { assertHoursAccess } from './hours.js';

/**
 * 志愿服务记录证明: what the ledger says of a person over a period, frozen at issue under a
 * number; the PDF carries a QR code of the public verification page. The CJK font is the
 * Noto Sans SC TrueType of an npm package (no system font needed), subset into each PDF.
 */
const require = createRequire(import.meta.url);
export const CJK_FONT = require.resolve(
  '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
);

export interface CertContent {
  name: string;
  idMask: string;
  orgName: string;
  periodFrom: string | null;
  periodTo: string;
  total: number;
  byYear: { year: string; hours: number }[];
  activities: { title: string; servedOn: string; hours: number; orgName: string }[];
}

/** Net hours per entry in the period (revocations subtract from the entry they revoke). */
async function contentOf(
  q: Queryable,
  personId: number,
  orgName: string,
  from: string | null,
  to: string,
): Promise<Omit<CertContent, 'name' | 'idMask'>> {
  const rows = await q.query<{
    served_on: string;
    hours: number;
    title: string | null;
    org_name: string;
    kind: string;
  }>(
    sql`SELECT h.served_on::text AS served_on, (h.hours - COALESCE((SELECT sum(r.hours) FROM vol_hours r WHERE r.revokes_id = h.id), 0))::float8 AS hours,
        a.title, o.name AS org_name, h.kind
      FROM vol_hours h JOIN orgs o ON o.id = h.org_id LEFT JOIN activities a ON a.id = h.activity_id
      WHERE h.person_id = ${personId} AND h.kind <> 'revoked' AND h.served_on <= ${to}::date
        AND (${from}::date IS NULL OR h.served_on >= ${from}::date)
      ORDER BY h.served_on, h.id`,
  );
  const live = rows.filter((r) => Number(r.hours) > 0);
  const years = new Map<string, number>();
  for (const r of live)
    years.set(r.served_on.slice(0, 4), (years.get(r.served_on.slice(0, 4)) ?? 0) + Number(r.hours));
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    orgName,
    periodFrom: from,
    periodTo: to,
    total: round(live.reduce((n, r) => n + Number(r.hours), 0)),
    byYear: [...years].map(([year, hours]) => ({ year, hours: round(hours) })),
    activities: live.slice(-200).map((r) => ({
      title: r.title ?? (r.kind === 'imported' ? '导入记录' : '志愿服务'),
      servedOn: r.served_on,
      hours: round(Number(r.hours)),
      orgName: r.org_name,
    })),
  };
}

export async function renderCertificate(
  number: string,
  c: CertContent,
  issuedAt: string,
  verifyUrl: string,
): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 56, info: { Title: `志愿服务记录证明 ${number}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.registerFont('cjk', CJK_FONT);
  doc.font('cjk');
  doc.fontSize(22).text('志愿服务记录证明', { align: 'center' });
  doc.moveDown(0.5).fontSize(10).text(`证明编号：${number}`, { align: 'center' });
  doc.moveDown(1.2).fontSize(12);
  const period = c.periodFrom ? `${c.periodFrom} 至 ${c.periodTo}` : `截至 ${c.periodTo}`;
  doc.text(
    `兹证明 ${c.name}（身份证号 ${c.idMask}）${period}在本平台记录的志愿服务时长累计 ${c.total} 小时。`,
    { lineGap: 6 },
  );
  doc.moveDown(0.8).fontSize(13).text('分年度时长');
  doc.fontSize(11);
  for (const y of c.byYear) doc.text(`${y.year} 年：${y.hours} 小时`);
  doc.moveDown(0.8).fontSize(13).text('服务记录');
  doc.fontSize(10);
  for (const a of c.activities.slice(-40))
    doc.text(`${a.servedOn}  ${a.title}（${a.orgName}）  ${a.hours} 小时`);
  if (c.activities.length > 40) doc.text(`……共 ${c.activities.length} 条，此处列出最近 40 条`);
  doc.moveDown(1.5).fontSize(12).text(`出具单位：${c.orgName}`, { align: 'right' });
  doc.text(`出具日期：${issuedAt.slice(0, 10)}`, { align: 'right' });
  // the QR code of the verification page, drawn as squares
  const qr = QRCode.create(verifyUrl, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = 2.4;
  const x0 = 56;
  const y0 = Math.min(doc.y + 10, 841 - 56 - n * cell - 30);
  for (let r = 0; r < n; r++)
    for (let col = 0; col < n; col++)
      if (qr.modules.get(r, col)) doc.rect(x0 + col * cell, y0 + r * cell, cell, cell);
  doc.fill('#000');
  doc.fontSize(8).text(`扫码或访问 ${verifyUrl} 核验真伪`, x0, y0 + n * cell + 6, { width: 400 });
  doc.end();
  return done;
}

const newNumber = (now: Date) =>
  `ZYZM${shanghaiYmd(now).replaceAll('-', '')}${randomBytes(5).toString('hex').toUpperCase()}`;

export function createCertificateService(deps: Deps) {
  const { db } = deps;

  async function issue(ctx: Ctx, personId: number, orgId: number, from: string | null, to: string) {
    if (from && from > to) throw invalid('起始日期不能晚于截止日期', { field: 'from' });
    return db.tx(async (tx) => {
      const [p] = await personBasics(tx, [personId]);
      if (!p) throw notFound('人员');
      const org = await tx.query<{ name: string }>(sql`SELECT name FROM orgs WHERE id = ${orgId}`);
      const body = await contentOf(tx, personId, org[0]!.name, from, to);
      if (body.total <= 0) throw invalid('该期间没有可证明的志愿服务时长');
      const content: CertContent = { name: p.name, idMask: p.idMask, ...body };
      const number = newNumber(ctx.now);
      await tx.query(sql`INSERT INTO vol_certificates (number, person_id, org_id, period_from, period_to, hours, content, issued_by, issued_at)
        VALUES (${number}, ${personId}, ${orgId}, ${from}, ${to}, ${content.total}, ${JSON.stringify(content)}::jsonb,
          ${ctx.actor.userId || null}, ${ctx.now})`);
      await audit(tx, ctx, {
        action: 'volunteer.certificate',
        entityType: 'vol_certificate',
        entityId: null,
        orgId,
        after: { number, personId, hours: content.total, from, to },
      });
      return {
        number,
        hours: content.total,
        issuedAt: ctx.now.toISOString(),
        orgName: content.orgName,
        pdfUrl: `/api/volunteer-certificates/${number}/pdf`,
      };
    });
  }

  async function load(number: string) {
    const rows = await db.query<{
      number: string;
      person_id: number;
      org_id: number;
      content: CertContent;
      issued_at: Date;
    }>(
      sql`SELECT number, person_id, org_id, content, issued_at FROM vol_certificates WHERE number = ${number}`,
    );
    return rows[0];
  }

  return {
    /** Staff issue for a person in scope, as their own organization (or one in scope). */
    async issueFor(ctx: Ctx, personId: number, input: { orgId?: number; from?: string; to?: string }) {
      await assertHoursAccess(db, ctx, personId, 'volunteer:hours');
      const orgId = input.orgId ?? ctx.actor.orgId;
      await assertAccess(db, ctx.actor, 'volunteer:hours', 'org', [orgId]);
      return issue(ctx, personId, orgId, input.from ?? null, input.to ?? shanghaiYmd(ctx.now));
    },

    /** The volunteer's own certificate, issued by the organization keeping their record. */
    async issueMine(ctx: Ctx, input: { from?: string; to?: string }) {
      const p = await personOfUser(db, ctx.actor.userId);
      if (!p) throw new AppError('NOT_FOUND', '您的账号尚未关联人员档案，请联系所在组织办理');
      return issue(ctx, p.id, p.orgId, input.from ?? null, input.to ?? shanghaiYmd(ctx.now));
    },

    async pdf(ctx: Ctx, number: string, origin: string) {
      const c = await load(number);
      if (!c) throw notFound('证明');
      const own = await db.query(
        sql`SELECT 1 FROM persons WHERE id = ${c.person_id} AND user_id = ${ctx.actor.userId}`,
      );
      if (own.length === 0) await assertHoursAccess(db, ctx, c.person_id, 'activity:read');
      const url = `${origin}/volunteer/cert/${encodeURIComponent(c.number)}`;
      return renderCertificate(c.number, c.content, c.issued_at.toISOString(), url);
    },

    /** Public verification: genuine with what it certifies, or 404 for a number never issued. */
    async verify(number: string) {
      const c = await load(number.trim().toUpperCase());
      if (!c) throw new AppError('NOT_FOUND', '证明编号不存在：该证明不是本平台出具的，或编号有误');
      return {
        genuine: true as const,
        number: c.number,
        name: maskName(c.content.name),
        idMask: c.content.idMask,
        hours: c.content.total,
        periodFrom: c.content.periodFrom,
        periodTo: c.content.periodTo,
        orgName: c.content.orgName,
        issuedAt: c.issued_at.toISOString(),
      };
    },
  };
}
