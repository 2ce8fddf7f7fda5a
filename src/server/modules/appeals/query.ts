import { OPEN_STATUSES } from '../../../shared/appeals/constants.js';
import { monthTokens, queryGrams, queryTerms, statusToken } from '../../../shared/appeals/search.js';
import type { AppealDetail, AppealListItem, AppealListQuery } from '../../../shared/contracts/appeals.js';
import { regionPrefix } from '../../../shared/regions/regionCode.js';
import { parsePhone } from '../../../shared/rules/phone.js';
import { normalizeTrackingCode } from '../../../shared/trackingCode.js';
import { assertAccess } from '../../platform/access.js';
import type { Actor, Ctx } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { type Db, type Queryable, type Sql, sql } from '../../platform/db/index.js';
import type { Deps } from '../../platform/deps.js';
import { forbidden, invalid, notFound } from '../../platform/errors.js';
import { likeEscape } from '../../platform/text.js';
import { appealConfig, cachedLookup } from './config.js';
import { searchable } from './intake.js';
import { presentDetail, presentListItem } from './present.js';
import {
  type AppealRow,
  addEvent,
  appealScope,
  assistsOf,
  eventsOf,
  filesOf,
  findAppeal,
  readScope,
} from './repo.js';

/** Columns of list rows (no content, no search columns), from `appeals` or a subset of it. */
const listSelect = (source: Sql = sql.raw('appeals')) => sql`SELECT a.id, a.tracking_code, a.title, a.status,
    a.group_key, a.category_code, a.channel, a.priority, a.region_code, r.name AS region_name, a.org_id,
    o.name AS org_name, a.supervision_level, a.due_at, a.warn_at, a.created_at, a.replied_at, a.satisfaction, a.version
  FROM ${source} a JOIN orgs o ON o.id = a.org_id LEFT JOIN regions r ON r.code = a.region_code`;

/** Most rows counted for a list's total; a full-text search counts fewer (its matches are read one by one). */
export const COUNT_CAP = 10_000;
export const SEARCH_COUNT_CAP = 200;

const shanghaiStart = (ymd: string) => new Date(`${ymd}T00:00:00+08:00`);

/** The WHERE of the appeal list and its exports: scope and filters. */
export function listWhere(
  actor: Actor,
  f: Omit<AppealListQuery, 'page' | 'pageSize'>,
  now: Date,
  gramFrequency: ReadonlyMap<string, number> = new Map(),
  /** false: leave out the index conditions of a search (for rows already at hand: the substring checks decide) */
  useIndex = true,
): Sql {
  const conds: Sql[] = [readScope(actor)];
  if (f.q) {
    const code = normalizeTrackingCode(f.q);
    if (code) conds.push(sql`a.tracking_code = ${code}`);
    else {
      const terms = queryTerms(searchable(f.q));
      const grams = indexedGrams(queryGrams(terms), gramFrequency);
      if (useIndex && grams.length > 0) conds.push(sql`a.search_grams @> ${grams}::text[]`);
      // the status filter as index tokens, looked up together with the bigrams
      if (useIndex && grams.length > 0 && f.status && f.status.length > 0)
        conds.push(sql`a.search_grams && ${f.status.map(statusToken)}::text[]`);
      for (const t of terms) conds.push(sql`a.search_text LIKE ${`%${likeEscape(t)}%`}`);
    }
  }
  if (f.trackingCode) conds.push(sql`a.tracking_code = ${normalizeTrackingCode(f.trackingCode) ?? ''}`);
  if (f.status && f.status.length > 0)
    conds.push(
      // in a search the status is checked on the matches, not ANDed as a bitmap of a large share of the table
      f.q ? sql`(a.status || '') = ANY(${f.status}::text[])` : sql`a.status = ANY(${f.status}::text[])`,
    );
  if (f.priority) conds.push(sql`a.priority = ${f.priority}`);
  if (f.categoryCode) conds.push(sql`a.category_code = ${f.categoryCode}`);
  if (f.group) conds.push(sql`a.group_key = ${f.group}`);
  if (f.channel) conds.push(sql`a.channel = ${f.channel}`);
  if (f.orgId) {
    conds.push(
      f.withChildren === 'true'
        ? sql`EXISTS (SELECT 1 FROM orgs so, orgs top WHERE top.id = ${f.orgId} AND so.id = a.org_id
            AND so.path LIKE top.path || '%')`
        : sql`a.org_id = ${f.orgId}`,
    );
  }
  if (f.regionCode) conds.push(sql`a.region_code LIKE ${`${regionPrefix(f.regionCode)}%`}`);
  if (f.from) conds.push(sql`a.created_at >= ${shanghaiStart(f.from)}`);
  if (f.to) conds.push(sql`a.created_at < ${new Date(shanghaiStart(f.to).getTime() + 86_400_000)}`);
  const running = sql`a.status = ANY(${OPEN_STATUSES.filter((s) => s !== 'suspended')}::text[])`;
  if (f.overdue === 'true' || f.light === 'red') conds.push(sql`${running} AND a.due_at < ${now}`);
  if (f.overdue === 'false') conds.push(sql`NOT (${running} AND a.due_at < ${now})`);
  if (f.light === 'yellow') conds.push(sql`${running} AND a.warn_at <= ${now} AND a.due_at >= ${now}`);
  if (f.light === 'green') conds.push(sql`${running} AND a.warn_at > ${now}`);
  if (f.light === 'none') conds.push(sql`NOT (${running})`);
  if (f.supervision) conds.push(sql`a.supervision_level >= ${f.supervision}`);
  return sql.and(conds);
}

/** The orders of the list (`sort`); a full-text search always pages newest first. */
const ORDERS = {
  created: sql.raw('a.created_at DESC, a.id DESC'),
  priority: sql.raw(`(a.priority = 'urgent') DESC, a.created_at DESC, a.id DESC`),
  due: sql.raw('a.due_at ASC NULLS LAST, a.id DESC'),
} as const;

export async function listRows(
  q: Queryable,
  where: Sql,
  limit: number,
  offset: number,
  sort: keyof typeof ORDERS = 'created',
) {
  return q.query<AppealRow>(
    sql`${listSelect()} WHERE ${where} ORDER BY ${ORDERS[sort]} LIMIT ${limit} OFFSET ${offset}`,
  );
}

/** Bigrams in more than this share of appeals are left to the substring recheck when rarer ones exist. */
const COMMON_GRAM = 0.5;

/**
 * The bigrams to look up in the index. The index intersects posting lists cheaply, so every
 * bigram helps except near-ubiquitous ones (我在, 工作), which would only make it read
 * lists as long as the table; the substring recheck applies them anyway.
 */
export function indexedGrams(grams: readonly string[], freq: ReadonlyMap<string, number>): string[] {
  if (grams.length <= 1 || freq.size === 0) return [...grams];
  const f = (g: string) => freq.get(g) ?? 0;
  const rare = grams.filter((g) => f(g) <= COMMON_GRAM);
  if (rare.length > 0) return rare;
  return [[...grams].sort((a, b) => f(a) - f(b))[0]!];
}

/**
 * How common each bigram is, from the planner's statistics of `search_grams`
 * (most_common_elems, gathered by ANALYZE; the same on both engines), cached per process.
 */
export function gramFrequencies(db: Db): Promise<ReadonlyMap<string, number>> {
  return cachedLookup(db, 'gram-frequencies', async () => {
    const r = await db.query<{
      elems: string | null;
      freqs: number[] | null;
    }>(sql`SELECT most_common_elems::text AS elems,
        most_common_elem_freqs AS freqs FROM pg_stats WHERE tablename = 'appeals' AND attname = 'search_grams' LIMIT 1`);
    const m = new Map<string, number>();
    const row = r[0];
    if (!row?.elems || !row.freqs) return m;
    const elems = row.elems
      .replace(/^\{|\}$/g, '')
      .split(',')
      .map((e) => e.replace(/^"|"$/g, ''));
    for (const [i, e] of elems.entries()) m.set(e, Number(row.freqs[i] ?? 0));
    return m;
  });
}

/** How many of the newest appeals a search reads first, in time order. */
const RECENT_ROWS = 5_000;
/** How many of the newest months a search with many matches reads next, from the index. */
const RECENT_MONTHS = 3;

/**
 * A page of a search and its total (capped at SEARCH_COUNT_CAP), newest first, the same as
 * one query over everything would give, without reading every match to sort them by time:
 * 1. the newest appeals, in time order, checked by the cheap conditions (`scanWhere`:
 *    status, substrings): a common term fills the page and the capped count right there;
 * 2. else the index matches, up to the cap: their number is the total, and when that is all
 *    of them, the page is taken from them;
 * 3. else (many matches, few of them recent) the matches of the newest months, from the
 *    index (month tokens), and only if those are too few, every match.
 */
async function searchPage(q: Queryable, where: Sql, scanWhere: Sql, limit: number, offset: number) {
  const need = limit + offset;
  const recent = sql`(SELECT * FROM appeals ORDER BY created_at DESC, id DESC LIMIT ${RECENT_ROWS})`;
  const first = await q.query<AppealRow>(
    sql`${listSelect(recent)} WHERE ${scanWhere} ORDER BY a.created_at DESC, a.id DESC
      LIMIT ${Math.max(need, SEARCH_COUNT_CAP + 1)}`,
  );
  if (first.length > SEARCH_COUNT_CAP) {
    // more matches than the count's cap: a page past the cap is empty, as in a list
    if (SEARCH_COUNT_CAP <= offset) return { rows: [], total: SEARCH_COUNT_CAP };
    if (need <= first.length) return { rows: first.slice(offset, need), total: SEARCH_COUNT_CAP };
  }
  const matches = await q.query<{ id: number; created_at: Date }>(
    sql`SELECT a.id, a.created_at FROM appeals a WHERE ${where} LIMIT ${SEARCH_COUNT_CAP + 1}`,
  );
  const total = Math.min(matches.length, SEARCH_COUNT_CAP);
  if (total <= offset) return { rows: [], total };
  if (matches.length <= SEARCH_COUNT_CAP) {
    const page = matches
      .sort((a, b) => b.created_at.getTime() - a.created_at.getTime() || b.id - a.id)
      .slice(offset, need);
    return {
      rows: await rowsByIds(
        q,
        page.map((m) => m.id),
      ),
      total,
    };
  }
  if (first.length >= need) return { rows: first.slice(offset, need), total };
  const newest = await q.query<{ at: Date | null }>(sql`SELECT max(created_at) AS at FROM appeals`);
  if (newest[0]?.at) {
    const months = monthTokens(newest[0].at, RECENT_MONTHS);
    const rows = await listRows(q, sql`${where} AND a.search_grams && ${months}::text[]`, limit, offset);
    // rows of other months are older than every row of these: the page is complete
    if (rows.length >= limit) return { rows, total };
  }
  return { rows: await listRows(q, where, limit, offset), total };
}

/** List rows of appeals by id, newest first. */
async function rowsByIds(q: Queryable, ids: readonly number[]) {
  if (ids.length === 0) return [];
  return q.query<AppealRow>(
    sql`${listSelect()} WHERE a.id = ANY(${[...ids]}::bigint[]) ORDER BY a.created_at DESC, a.id DESC`,
  );
}

export function createQueryService(deps: Deps) {
  const { db, pii } = deps;
  return {
    async list(ctx: Ctx, f: AppealListQuery): Promise<{ items: AppealListItem[]; total: number }> {
      if (!ctx.actor.permissions.has('appeal:read')) throw forbidden();
      const cfg = await appealConfig(db);
      const where = listWhere(ctx.actor, f, ctx.now, f.q ? await gramFrequencies(db) : undefined);
      const offset = (f.page - 1) * f.pageSize;
      const count = (q: Queryable) =>
        q.query<{ n: number }>(
          sql`SELECT count(*)::int AS n FROM (SELECT 1 FROM appeals a WHERE ${where}
            LIMIT ${f.q ? SEARCH_COUNT_CAP : COUNT_CAP}) t`,
        );
      if (!f.q) {
        const [rows, n] = await Promise.all([listRows(db, where, f.pageSize, offset, f.sort), count(db)]);
        return { items: rows.map((r) => presentListItem(r, cfg, ctx.now)), total: n[0]?.n ?? 0 };
      }
      // a search: enough memory for exact (not lossy) bitmaps of common terms
      return db.tx(async (tx) => {
        await tx.query(sql`SET LOCAL work_mem = '32MB'`);
        const scanWhere = listWhere(ctx.actor, f, ctx.now, undefined, false);
        const { rows, total } = await searchPage(tx, where, scanWhere, f.pageSize, offset);
        return { items: rows.map((r) => presentListItem(r, cfg, ctx.now)), total };
      });
    },

    async get(ctx: Ctx, id: number): Promise<AppealDetail> {
      const row = await findAppeal(db, ctx.actor, id);
      if (!row) throw notFound('诉求');
      if (!ctx.actor.permissions.has('appeal:read')) throw forbidden();
      const cfg = await appealConfig(db);
      const [events, assists, files, owns] = await Promise.all([
        eventsOf(db, id),
        assistsOf(db, id),
        filesOf(db, id),
        db.query<{ owns: boolean }>(
          sql`SELECT ${appealScope(ctx.actor)} AS owns FROM appeals a WHERE a.id = ${id}`,
        ),
      ]);
      return presentDetail(
        row,
        { events, assists, files, ownsAppeal: owns[0]?.owns ?? false },
        ctx.actor,
        cfg,
        pii,
        ctx.now,
      );
    },

    /** The hotline seat: a caller's earlier appeals, by phone number. */
    async byPhone(ctx: Ctx, phone: string): Promise<{ items: AppealListItem[]; total: number }> {
      if (!ctx.actor.permissions.has('appeal:intake')) throw forbidden();
      const p = parsePhone(phone);
      if (!p.ok) throw invalid('联系电话格式不正确', { field: 'phone' });
      const cfg = await appealConfig(db);
      const where = sql`a.phone_hash = ${pii.hash(p.value)} AND ${readScope(ctx.actor)}`;
      const rows = await listRows(db, where, 50, 0);
      return { items: rows.map((r) => presentListItem(r, cfg, ctx.now)), total: rows.length };
    },

    /** The full name and phone of the submitter: a permission and an audit event. */
    async reveal(ctx: Ctx, id: number): Promise<{ name: string | null; phone: string }> {
      return db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'pii:reveal', 'appeal', [id]);
        const a = (await findAppeal(tx, ctx.actor, id))!;
        if ((a.anonymous || a.confidential) && !ctx.actor.permissions.has('appeal:intake'))
          throw forbidden('该诉求申请保密，办理人员不能查看诉求人身份');
        await addEvent(tx, {
          appealId: id,
          at: ctx.now,
          actorId: ctx.actor.userId,
          actorName: ctx.actor.displayName,
          action: 'reveal',
          fromStatus: null,
          toStatus: null,
          orgId: ctx.actor.orgId,
        });
        await audit(tx, ctx, {
          action: 'appeal.reveal',
          entityType: 'appeal',
          entityId: id,
          orgId: a.org_id,
          after: { trackingCode: a.tracking_code, fields: ['name', 'phone'] },
        });
        return { name: a.name_enc ? pii.decrypt(a.name_enc) : null, phone: pii.decrypt(a.phone_enc) };
      });
    },
  };
}
