/**
 * Joint meetings (联席会议) and work-report meetings: the record, attendees and minutes. The
 * decisions (议定事项) become a document of kind 'minutes' that goes through the same
 * decomposition and review as a speech.
 */
import type { MeetingCreate, MeetingView } from '../../../../shared/contracts/tasks.js';
import { MEETING_KINDS, type MeetingKind } from '../../../../shared/tasks/constants.js';
import { assertAccess, scopeWhere } from '../../../platform/access.js';
import type { Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { forbidden, invalid, notFound } from '../../../platform/errors.js';
import { insertDocument } from '../documents/service.js';

interface MeetingRow {
  id: number;
  org_id: number;
  org_name: string;
  kind: string;
  title: string;
  held_on: string;
  place: string | null;
  attendees: { name: string; orgId?: number | null; title?: string | null }[];
  minutes: string;
  decisions: string;
  document_id: number | null;
  created_at: Date;
  version: number;
}

const SELECT = sql`SELECT m.*, o.name AS org_name,
    (SELECT d.id FROM task_documents d WHERE d.meeting_id = m.id ORDER BY d.id LIMIT 1) AS document_id
  FROM task_meetings m JOIN orgs o ON o.id = m.org_id`;

const present = (r: MeetingRow): MeetingView => ({
  id: r.id,
  org: { id: r.org_id, name: r.org_name },
  kind: r.kind as MeetingKind,
  kindLabel: MEETING_KINDS[r.kind as MeetingKind] ?? r.kind,
  title: r.title,
  heldOn: r.held_on,
  place: r.place,
  attendees: r.attendees.map((a) => ({ name: a.name, orgId: a.orgId ?? null, title: a.title ?? null })),
  minutes: r.minutes,
  decisions: r.decisions,
  documentId: r.document_id,
  createdAt: r.created_at.toISOString(),
  version: r.version,
});

export function createMeetingService(deps: Deps) {
  const { db } = deps;
  const scope = (ctx: Ctx) =>
    scopeWhere(ctx.actor, { orgId: sql.raw('m.org_id'), owner: sql.raw('m.created_by') });

  async function get(ctx: Ctx, id: number): Promise<MeetingView> {
    const row = (await db.query<MeetingRow>(sql`${SELECT} WHERE m.id = ${id} AND ${scope(ctx)}`))[0];
    if (!row) throw notFound('会议');
    if (!ctx.actor.permissions.has('task:read')) throw forbidden();
    return present(row);
  }

  return {
    get,
    async list(ctx: Ctx, f: { page: number; pageSize: number }) {
      if (!ctx.actor.permissions.has('task:read')) throw forbidden();
      const rows = await db.query<MeetingRow>(
        sql`${SELECT} WHERE ${scope(ctx)} ORDER BY m.held_on DESC, m.id DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
      );
      const n = await db.query<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM task_meetings m WHERE ${scope(ctx)}`,
      );
      return { items: rows.map(present), total: n[0]?.n ?? 0 };
    },

    /** Records a meeting; its decisions (if any) become a document ready for decomposition. */
    async create(ctx: Ctx, input: MeetingCreate): Promise<MeetingView> {
      const id = await db.tx(async (tx) => {
        const orgIds = input.attendees.flatMap((a) => (a.orgId ? [a.orgId] : []));
        await assertAccess(tx, ctx.actor, 'task:write', 'org', [input.orgId]);
        if (orgIds.length) {
          const found = await tx.query(
            sql`SELECT id FROM orgs WHERE id = ANY(${[...new Set(orgIds)]}::bigint[])`,
          );
          if (found.length !== new Set(orgIds).size) throw invalid('参会单位不存在', { field: 'attendees' });
        }
        const r = await tx.query<{
          id: number;
        }>(sql`INSERT INTO task_meetings (org_id, kind, title, held_on, place, attendees,
            minutes, decisions, created_by, created_at, updated_at)
          VALUES (${input.orgId}, ${input.kind}, ${input.title}, ${input.heldOn}, ${input.place ?? null},
            ${JSON.stringify(input.attendees)}::jsonb, ${input.minutes}, ${input.decisions}, ${ctx.actor.userId}, ${ctx.now}, ${ctx.now})
          RETURNING id`);
        const mid = r[0]!.id;
        await audit(tx, ctx, {
          action: 'task_meeting.create',
          entityType: 'task_meeting',
          entityId: mid,
          orgId: input.orgId,
          after: {
            title: input.title,
            kind: input.kind,
            heldOn: input.heldOn,
            attendees: input.attendees.length,
          },
        });
        const text = input.decisions.trim() || input.minutes.trim();
        if (text)
          await insertDocument(tx, ctx, {
            orgId: input.orgId,
            kind: 'minutes',
            title: `${input.title}议定事项`,
            docNo: null,
            docDate: input.heldOn,
            body: text,
            meetingId: mid,
          });
        return mid;
      });
      return get(ctx, id);
    },
  };
}
