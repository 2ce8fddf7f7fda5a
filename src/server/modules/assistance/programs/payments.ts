import { SATISFACTION } from '../../../../shared/appeals/constants.js';
import { PAYMENT_STATUSES } from '../../../../shared/assistance/constants.js';
import { fenToYuan } from '../../../../shared/assistance/rules.js';
import { shanghaiYmd } from '../../../../shared/calendar/ymd.js';
import { assertAccess } from '../../../platform/access.js';
import type { Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { csvDocument } from '../../../platform/csv.js';
import { type Queryable, sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { conflict, forbidden, invalid, staleVersion } from '../../../platform/errors.js';
import { addEvent } from '../cases/events.js';
import { entitlementScope, getCycle, getEntitlement } from './repo.js';

async function newBatch(
  q: Queryable,
  ctx: Ctx,
  cycleId: number,
  orgId: number,
  mode: string,
  total: number,
  count: number,
) {
  const r = await q.query<{
    id: number;
  }>(sql`INSERT INTO assist_batches (cycle_id, org_id, mode, total, count, created_by, created_at)
    VALUES (${cycleId}, ${orgId}, ${mode}, ${total}, ${count}, ${ctx.actor.userId}, ${ctx.now}) RETURNING id`);
  return r[0]!.id;
}

async function paymentEvent(
  q: Queryable,
  ctx: Ctx,
  entitlementId: number,
  action: string,
  note: string,
  data: Record<string, unknown>,
) {
  const e = (await getEntitlement(q, entitlementId))!;
  if (e.case_id)
    await addEvent(q, ctx, {
      caseId: e.case_id,
      action,
      orgId: e.org_id,
      note: `${e.beneficiary_name}：${note}`,
      data: { entitlementId, ...data },
    });
}

export function createPaymentService(deps: Deps) {
  const { db, pii } = deps;
  return {
    /** A disbursement batch of a cycle: every approved entitlement in scope without a payment yet. */
    async createBatch(ctx: Ctx, cycleId: number) {
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'assist:disburse', 'assist_cycle', [cycleId]);
        const y = (await getCycle(tx, cycleId, true))!;
        const rows = await tx.query<{
          id: number;
          amount: number;
          case_id: number | null;
          has_bank: boolean;
          status: string;
        }>(sql`
          SELECT e.id, e.amount::float8 AS amount, e.case_id, e.status, (c.bank_enc IS NOT NULL) AS has_bank
          FROM assist_entitlements e LEFT JOIN assist_cases c ON c.id = e.case_id
          WHERE e.cycle_id = ${cycleId} AND e.status = 'approved' AND ${entitlementScope(ctx.actor)}
            AND NOT EXISTS (SELECT 1 FROM assist_payments p WHERE p.entitlement_id = e.id) ORDER BY e.id FOR UPDATE OF e`);
        if (rows.length === 0)
          throw conflict('没有已审批且未发放的救助，不能生成发放批次', { reason: 'empty' });
        if (y.mode === 'cash') {
          const missing = rows.filter((r) => !r.has_bank).length;
          if (missing > 0)
            throw conflict(`${missing} 名救助对象没有登记银行账号，不能纳入现金发放批次`, { reason: 'bank' });
        }
        const total = rows.reduce((s, r) => s + r.amount, 0);
        const batchId = await newBatch(
          tx,
          ctx,
          cycleId,
          ctx.actor.scope.all ? y.org_id : ctx.actor.orgId,
          y.mode,
          total,
          rows.length,
        );
        for (const r of rows)
          await tx.query(sql`INSERT INTO assist_payments (entitlement_id, batch_id, amount, status, updated_at)
            VALUES (${r.id}, ${batchId}, ${r.amount}, 'pending', ${ctx.now})`);
        await audit(tx, ctx, {
          action: 'assist.batch.create',
          entityType: 'assist_batch',
          entityId: batchId,
          orgId: y.org_id,
          after: { cycleId, count: rows.length, total },
        });
        return { id: batchId, count: rows.length, total: fenToYuan(total) };
      });
    },

    /** The reconciliation of a batch: counts and sums by payment status against the batch total. */
    async batch(ctx: Ctx, batchId: number) {
      await assertAccess(db, ctx.actor, 'assist:read', 'assist_batch', [batchId]);
      const b = (
        await db.query<{
          id: number;
          cycle_id: number;
          mode: string;
          total: number;
          count: number;
          exported_at: Date | null;
        }>(
          sql`SELECT id, cycle_id, mode, total::float8 AS total, count, exported_at FROM assist_batches WHERE id = ${batchId}`,
        )
      )[0]!;
      const by = await db.query<{
        status: string;
        n: number;
        sum: number;
      }>(sql`SELECT status, count(*)::int AS n,
          coalesce(sum(amount), 0)::float8 AS sum FROM assist_payments WHERE batch_id = ${batchId} GROUP BY status`);
      const sum = by.reduce((s, r) => s + r.sum, 0);
      return {
        id: b.id,
        cycleId: b.cycle_id,
        mode: b.mode,
        total: fenToYuan(b.total),
        count: b.count,
        exported: b.exported_at !== null,
        byStatus: Object.keys(PAYMENT_STATUSES).map((s) => {
          const r = by.find((x) => x.status === s);
          return {
            status: s,
            label: (PAYMENT_STATUSES as Record<string, string>)[s]!,
            count: r?.n ?? 0,
            amount: fenToYuan(r?.sum ?? 0),
          };
        }),
        balanced: sum === b.total && by.reduce((s, r) => s + r.n, 0) === b.count,
      };
    },

    /**
     * The bank file of a cash batch (户名, 账号, 金额): exported once per batch; a second export is
     * refused. The full account number leaves the system here, so it needs pii:reveal and is audited.
     */
    async exportBankFile(ctx: Ctx, batchId: number) {
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'assist:disburse', 'assist_batch', [batchId]);
        if (!ctx.actor.permissions.has('pii:reveal'))
          throw forbidden('导出银行文件需要查看完整身份信息的权限');
        const b = (
          await tx.query<{ id: number; mode: string; org_id: number; cycle_id: number }>(
            sql`UPDATE assist_batches SET exported_at = ${ctx.now}, exported_by = ${ctx.actor.userId}
              WHERE id = ${batchId} AND exported_at IS NULL RETURNING id, mode, org_id, cycle_id`,
          )
        )[0];
        if (!b) throw conflict('该批次的银行文件已导出，不能重复导出', { reason: 'exported' });
        if (b.mode !== 'cash') throw conflict('实物发放批次没有银行文件');
        const rows = await tx.query<{
          beneficiary_name: string;
          applicant_name: string;
          bank_name: string;
          bank_enc: string;
          amount: number;
          cycle_name: string;
        }>(sql`
          SELECT e.beneficiary_name, c.applicant_name, c.bank_name, c.bank_enc, p.amount::float8 AS amount, y.name AS cycle_name
          FROM assist_payments p JOIN assist_entitlements e ON e.id = p.entitlement_id JOIN assist_cases c ON c.id = e.case_id
          JOIN assist_cycles y ON y.id = e.cycle_id WHERE p.batch_id = ${batchId} ORDER BY p.id`);
        const csv = csvDocument(
          ['序号', '户名', '账号', '开户行', '金额（元）', '用途'],
          rows.map((r, i) => [
            String(i + 1),
            r.applicant_name,
            pii.decrypt(r.bank_enc),
            r.bank_name,
            fenToYuan(r.amount).toFixed(2),
            `${r.cycle_name}（${r.beneficiary_name}）`,
          ]),
        );
        await audit(tx, ctx, {
          action: 'assist.batch.export',
          entityType: 'assist_batch',
          entityId: batchId,
          orgId: b.org_id,
          after: { rows: rows.length, fields: ['bankAccount'] },
        });
        return { name: `发放批次${batchId}-银行文件-${shanghaiYmd(ctx.now)}.csv`, csv };
      });
    },

    /** Records a payment's outcome: 已发放 or 退回 (a cash batch only after its bank file went out). */
    async mark(
      ctx: Ctx,
      paymentId: number,
      body: { version: number; status: 'paid' | 'returned'; paidOn?: string; note?: string },
    ) {
      return db.tx(async (tx) => {
        const p = (
          await tx.query<{
            id: number;
            entitlement_id: number;
            status: string;
            version: number;
            batch_id: number;
            exported: boolean;
            mode: string;
            org_id: number;
          }>(sql`
            SELECT p.id, p.entitlement_id, p.status, p.version, p.batch_id, (b.exported_at IS NOT NULL) AS exported, b.mode, e.org_id
            FROM assist_payments p JOIN assist_batches b ON b.id = p.batch_id JOIN assist_entitlements e ON e.id = p.entitlement_id
            WHERE p.id = ${paymentId}`)
        )[0];
        await assertAccess(tx, ctx.actor, 'assist:disburse', 'assist_entitlement', [p?.entitlement_id ?? 0]);
        await tx.query(sql`SELECT id FROM assist_payments WHERE id = ${paymentId} FOR UPDATE`);
        if (p!.version !== body.version) throw staleVersion();
        if (p!.status !== 'pending') throw conflict('只有待发放的记录可以登记发放结果', { reason: 'state' });
        if (p!.mode === 'cash' && !p!.exported) throw conflict('银行文件尚未导出，不能登记发放结果');
        const paidOn = body.paidOn ?? shanghaiYmd(ctx.now);
        await tx.query(sql`UPDATE assist_payments SET status = ${body.status}, paid_on = ${body.status === 'paid' ? paidOn : null},
          note = ${body.note ?? null}, version = version + 1, updated_at = ${ctx.now} WHERE id = ${paymentId}`);
        await paymentEvent(
          tx,
          ctx,
          p!.entitlement_id,
          'payment',
          `${PAYMENT_STATUSES[body.status]}${body.note ? `（${body.note}）` : ''}`,
          { paymentId, status: body.status, paidOn },
        );
        await audit(tx, ctx, {
          action: `assist.payment.${body.status}`,
          entityType: 'assist_payment',
          entityId: paymentId,
          orgId: p!.org_id,
          before: { status: p!.status },
          after: { status: body.status, paidOn, note: body.note ?? null },
        });
        return { id: paymentId, status: body.status, version: p!.version + 1 };
      });
    },

    /** In-kind relief handed over directly: an approved entitlement only. */
    async disburse(
      ctx: Ctx,
      entitlementId: number,
      body: { version: number; paidOn?: string; note?: string },
    ) {
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'assist:disburse', 'assist_entitlement', [entitlementId]);
        const e = (await getEntitlement(tx, entitlementId, true))!;
        if (e.version !== body.version) throw staleVersion();
        if (e.status !== 'approved') throw conflict('救助尚未审批，不能发放', { reason: 'unapproved' });
        if (e.payment_id) throw conflict('该救助已纳入发放', { reason: 'paid' });
        const y = (await getCycle(tx, e.cycle_id))!;
        if (y.mode === 'cash') throw conflict('现金救助须通过发放批次和银行文件发放');
        const batchId = await newBatch(tx, ctx, y.id, e.org_id, 'in_kind', e.amount, 1);
        const paidOn = body.paidOn ?? shanghaiYmd(ctx.now);
        const r = await tx.query<{
          id: number;
        }>(sql`INSERT INTO assist_payments (entitlement_id, batch_id, amount, status, paid_on, note, updated_at)
          VALUES (${entitlementId}, ${batchId}, ${e.amount}, 'paid', ${paidOn}, ${body.note ?? null}, ${ctx.now}) RETURNING id`);
        await tx.query(
          sql`UPDATE assist_entitlements SET version = version + 1, updated_at = ${ctx.now} WHERE id = ${entitlementId}`,
        );
        await paymentEvent(
          tx,
          ctx,
          entitlementId,
          'payment',
          `实物已发放${body.note ? `（${body.note}）` : ''}`,
          { paymentId: r[0]!.id, status: 'paid', paidOn },
        );
        await audit(tx, ctx, {
          action: 'assist.payment.in_kind',
          entityType: 'assist_payment',
          entityId: r[0]!.id,
          orgId: e.org_id,
          after: { entitlementId, paidOn },
        });
        return { id: r[0]!.id, status: 'paid', version: 1 };
      });
    },

    /** The return visit after assistance, with the appeals' satisfaction levels. */
    async returnVisit(
      ctx: Ctx,
      paymentId: number,
      body: { visitedOn: string; satisfaction: string; note?: string },
    ) {
      if (body.visitedOn > shanghaiYmd(ctx.now))
        throw invalid('回访日期不能晚于今天', { field: 'visitedOn' });
      return db.tx(async (tx) => {
        const p = (
          await tx.query<{
            entitlement_id: number;
            status: string;
            org_id: number;
          }>(sql`SELECT p.entitlement_id, p.status, e.org_id
            FROM assist_payments p JOIN assist_entitlements e ON e.id = p.entitlement_id WHERE p.id = ${paymentId}`)
        )[0];
        await assertAccess(tx, ctx.actor, 'assist:disburse', 'assist_entitlement', [p?.entitlement_id ?? 0]);
        if (p!.status !== 'paid') throw conflict('发放完成后才能回访');
        const visit = { ...body, by: ctx.actor.displayName, at: ctx.now.toISOString() };
        await tx.query(sql`UPDATE assist_payments SET return_visit = ${JSON.stringify(visit)}::jsonb, version = version + 1,
          updated_at = ${ctx.now} WHERE id = ${paymentId}`);
        const label = SATISFACTION[body.satisfaction as keyof typeof SATISFACTION];
        await paymentEvent(
          tx,
          ctx,
          p!.entitlement_id,
          'return_visit',
          `回访：${label}${body.note ? `，${body.note}` : ''}`,
          { paymentId, satisfaction: body.satisfaction },
        );
        await audit(tx, ctx, {
          action: 'assist.payment.return_visit',
          entityType: 'assist_payment',
          entityId: paymentId,
          orgId: p!.org_id,
          after: { satisfaction: body.satisfaction },
        });
        return { id: paymentId, satisfaction: body.satisfaction };
      });
    },
  };
}
