import type {
  PersonCreate,
  PersonDetail,
  PersonListQuery,
  PersonUpdate,
} from '../../../../shared/contracts/people.js';
import { normalizeEthnicity } from '../../../../shared/people/dicts.js';
import { checkIdentity, checkPhone } from '../../../../shared/people/identity.js';
import { assertAccess } from '../../../platform/access.js';
import type { Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { type Queryable, sql } from '../../../platform/db/index.js';
import type { Deps } from '../../../platform/deps.js';
import { AppError, conflict, forbidden, invalid, notFound, staleVersion } from '../../../platform/errors.js';
import { CLAIM_MESSAGE, fileClaim } from '../claims/service.js';
import { addMembership } from '../memberships/write.js';
import { idHashOf, protect, protectPhone } from '../protect.js';
import { assertPersonAccess, personScope } from '../scope.js';
import { auditPerson, presentMembership, presentPerson } from './present.js';
import * as repo from './repo.js';

type Fields = Omit<PersonUpdate, 'version'>;

function checkFields(input: Fields) {
  let phone: string | null | undefined;
  if (input.phone === null || input.phone === '') phone = null;
  else if (input.phone !== undefined) {
    const r = checkPhone(input.phone);
    if (!r.ok) throw invalid(r.message, { field: 'phone' });
    phone = r.value;
  }
  let ethnicity: string | null | undefined = input.ethnicity;
  if (ethnicity) {
    ethnicity = normalizeEthnicity(ethnicity);
    if (!ethnicity) throw invalid('民族名称不正确', { field: 'ethnicity' });
  }
  return { phone, ethnicity };
}

/** Disability and hardship details go with their group tags, and only with them. */
function checkGroups(groups: readonly string[], disability: unknown, hardship: unknown) {
  if (groups.includes('disabled') !== !!disability)
    throw invalid('残疾人须填写残疾类别和等级，非残疾人不填', { field: 'disability' });
  if (groups.includes('hardship_worker') !== !!hardship)
    throw invalid('困难职工须填写困难程度，其他人员不填', { field: 'hardshipLevel' });
}

async function checkRefs(q: Queryable, input: Fields) {
  if (
    input.employerUnitId &&
    (await q.query(sql`SELECT 1 FROM units WHERE id = ${input.employerUnitId}`)).length === 0
  )
    throw invalid('工作单位不存在', { field: 'employerUnitId' });
  if (
    input.regionCode &&
    (await q.query(sql`SELECT 1 FROM regions WHERE code = ${input.regionCode}`)).length === 0
  )
    throw invalid('行政区划代码不存在', { field: 'regionCode' });
}

export function createPersonService(deps: Deps) {
  const { db, pii } = deps;

  async function detail(q: Queryable, ctx: Ctx, id: number): Promise<PersonDetail> {
    const row = (await repo.getPerson(q, id))!;
    const memberships = await repo.membershipsOf(q, ctx.actor, id);
    return {
      ...presentPerson(row, ctx.actor, ctx.now),
      memberships: memberships.map((m) => presentMembership(m, ctx.actor)),
    };
  }

  return {
    async list(ctx: Ctx, f: PersonListQuery) {
      if (f.orgId) await assertAccess(db, ctx.actor, 'person:read', 'org', [f.orgId]);
      if (!ctx.actor.permissions.has('person:read')) throw forbidden();
      const r = await repo.findPersons(db, repo.personFilter(ctx.actor, f), f);
      return { items: r.items.map((p) => presentPerson(p, ctx.actor, ctx.now)), total: r.total };
    },

    /**
     * The caller's own record (the person linked to the account) with all its memberships:
     * everyone may read their own data, whatever their role and scope.
     */
    async mine(ctx: Ctx): Promise<PersonDetail> {
      const rows = await db.query<{ id: number }>(
        sql`SELECT id FROM persons WHERE user_id = ${ctx.actor.userId} ORDER BY id LIMIT 1`,
      );
      if (!rows[0]) throw new AppError('NOT_FOUND', '您的账号尚未关联人员档案，请联系所在组织办理');
      const self = { ...ctx, actor: { ...ctx.actor, scope: { ...ctx.actor.scope, self: true } } };
      return detail(db, self, rows[0].id);
    },

    async get(ctx: Ctx, id: number): Promise<PersonDetail> {
      await assertPersonAccess(db, ctx.actor, 'person:read', [id]);
      return detail(db, ctx, id);
    },

    /** Finds a visible person by the full ID number (sent in a body, never in a URL). */
    async lookup(ctx: Ctx, idNumber: string): Promise<PersonDetail> {
      if (!ctx.actor.permissions.has('person:read')) throw forbidden();
      const r = checkIdentity(idNumber, {}, ctx.now);
      if (!r.ok) throw invalid(r.message, { field: 'idNumber' });
      const rows = await db.query<{ id: number }>(
        sql`SELECT p.id FROM persons p WHERE p.id_hash = ${idHashOf(pii, r.value.idNumber)} AND ${personScope(ctx.actor)}`,
      );
      if (!rows[0]) throw notFound('人员');
      return detail(db, ctx, rows[0].id);
    },

    /**
     * Registers a person, or finds the one already registered with the same ID number (one
     * person, one record across organizations). A record inside the caller's scope is answered
     * and gets the requested membership. A record outside it is neither disclosed nor attached:
     * a 关联申请 is filed for its keeping organization to decide, and the answer says only that
     * (no record, no organization, no check of the name); such attempts are counted per user.
     */
    async create(
      ctx: Ctx,
      input: PersonCreate,
    ): Promise<
      | ({ kind: 'person' } & PersonDetail & { existing: boolean })
      | { kind: 'claim'; claimId: number; status: 'pending'; message: string }
    > {
      const id = checkIdentity(input.idNumber, { birthDate: input.birthDate, gender: input.gender }, ctx.now);
      if (!id.ok) throw invalid(id.message, { field: 'idNumber' });
      const { phone, ethnicity } = checkFields(input);
      const groups = [...new Set(input.groups ?? [])];
      checkGroups(groups, input.disability, input.hardshipLevel);
      const r = await db.tx(async (tx) => {
        await assertAccess(tx, ctx.actor, 'person:write', 'org', [input.orgId]);
        if (input.membership && !ctx.actor.permissions.has('membership:write')) throw forbidden();
        await checkRefs(tx, input);
        const sec = protect(pii, id.value.idNumber, phone ?? null);
        const inserted = await tx.query<{
          id: number;
        }>(sql`INSERT INTO persons (name, gender, birth_date, id_enc, id_hash,
            id_mask, phone_enc, phone_hash, phone_mask, ethnicity, education, political_status, frontline, groups,
            disability_category, disability_grade, hardship_level, employer_unit_id, region_code, address, org_id,
            created_at, updated_at)
          VALUES (${input.name}, ${id.value.gender}, ${id.value.birthDate}, ${sec.idEnc}, ${sec.idHash}, ${sec.idMask},
            ${sec.phoneEnc}, ${sec.phoneHash}, ${sec.phoneMask}, ${ethnicity ?? null}, ${input.education ?? null},
            ${input.politicalStatus ?? null}, ${input.frontline ?? false}, ${groups}::text[],
            ${input.disability?.category ?? null}, ${input.disability?.grade ?? null}, ${input.hardshipLevel ?? null},
            ${input.employerUnitId ?? null}, ${input.regionCode ?? null}, ${input.address ?? null}, ${input.orgId},
            ${ctx.now}, ${ctx.now})
          ON CONFLICT (id_hash) DO NOTHING RETURNING id`);
        let personId = inserted[0]?.id;
        const existing = personId === undefined;
        if (existing) {
          personId = (await repo.findIdByHash(tx, sec.idHash, true))!;
          const visible = await tx.query(
            sql`SELECT 1 FROM persons p WHERE p.id = ${personId} AND ${personScope(ctx.actor)}`,
          );
          if (visible.length === 0) {
            const claim = await fileClaim(tx, ctx, deps.config.personClaimsPerHour, {
              personId: personId!,
              orgId: input.orgId,
              role: input.membership?.role,
              joinedOn: input.membership?.joinedOn,
              name: input.name,
            });
            return { kind: 'claim' as const, claim };
          }
          const found = (await repo.getPerson(tx, personId))!;
          if (found.name !== input.name)
            throw conflict('该身份证号已登记，但姓名与已登记的不一致，请核对', {
              field: 'name',
              reason: 'name',
            });
        } else {
          await audit(tx, ctx, {
            action: 'person.create',
            entityType: 'person',
            entityId: personId!,
            orgId: input.orgId,
            after: auditPerson((await repo.getPerson(tx, personId!))!),
          });
        }
        if (input.membership) {
          await addMembership(tx, ctx, {
            personId: personId!,
            orgId: input.orgId,
            role: input.membership.role,
            joinedOn: input.membership.joinedOn,
            direct: ctx.actor.permissions.has('membership:approve'),
            ifExists: existing ? 'keep' : 'fail',
          });
        }
        return { kind: 'person' as const, person: { ...(await detail(tx, ctx, personId!)), existing } };
      });
      if (r.kind === 'person') return { kind: 'person', ...r.person };
      // the count is committed with the transaction; the refusal is answered after it
      if (r.claim.limited)
        throw new AppError('RATE_LIMITED', '登记已在其他组织登记人员的尝试过于频繁，请稍后再试');
      return { kind: 'claim', claimId: r.claim.claimId, status: 'pending', message: CLAIM_MESSAGE };
    },

    async update(ctx: Ctx, personId: number, input: PersonUpdate): Promise<PersonDetail> {
      const { phone, ethnicity } = checkFields(input);
      return db.tx(async (tx) => {
        await assertPersonAccess(tx, ctx.actor, 'person:write', [personId]);
        const before = (await repo.getPerson(tx, personId, true))!;
        if (before.version !== input.version) throw staleVersion();
        await checkRefs(tx, input);
        const groups = input.groups ? [...new Set(input.groups)] : before.groups;
        const disability =
          input.disability === undefined
            ? before.disability_category
              ? { category: before.disability_category, grade: before.disability_grade }
              : null
            : input.disability;
        const hardship = input.hardshipLevel === undefined ? before.hardship_level : input.hardshipLevel;
        checkGroups(groups, disability, hardship);
        const sec = phone ? protectPhone(pii, phone) : null;
        const keep = <T>(v: T | undefined, old: T) => (v === undefined ? old : v);
        const frontline = input.frontline ?? before.frontline;
        await tx.query(sql`UPDATE persons SET name = ${input.name ?? before.name},
            phone_enc = ${phone === undefined ? sql`phone_enc` : (sec?.phoneEnc ?? null)},
            phone_hash = ${phone === undefined ? sql`phone_hash` : (sec?.phoneHash ?? null)},
            phone_mask = ${phone === undefined ? sql`phone_mask` : (sec?.phoneMask ?? null)},
            ethnicity = ${keep(ethnicity, before.ethnicity)}, education = ${keep(input.education, before.education)},
            political_status = ${keep(input.politicalStatus, before.political_status)}, frontline = ${frontline},
            groups = ${groups}::text[], disability_category = ${disability?.category ?? null},
            disability_grade = ${disability?.grade ?? null}, hardship_level = ${hardship ?? null},
            employer_unit_id = ${keep(input.employerUnitId, before.employer_unit_id)},
            region_code = ${keep(input.regionCode, before.region_code)}, address = ${keep(input.address, before.address)},
            version = version + 1, updated_at = ${ctx.now}
          WHERE id = ${personId}`);
        if (frontline !== before.frontline)
          await tx.query(sql`UPDATE memberships SET frontline = ${frontline} WHERE person_id = ${personId}`);
        const after = (await repo.getPerson(tx, personId))!;
        await audit(tx, ctx, {
          action: 'person.update',
          entityType: 'person',
          entityId: personId,
          orgId: before.org_id,
          before: auditPerson(before),
          after: auditPerson(after),
        });
        return detail(tx, ctx, personId);
      });
    },

    /** The full ID number and phone: needs pii:reveal and writes an audit event. */
    async reveal(ctx: Ctx, personId: number, reason: string | undefined) {
      return db.tx(async (tx) => {
        await assertPersonAccess(tx, ctx.actor, ['person:read', 'pii:reveal'], [personId]);
        const s = (await repo.getSecrets(tx, personId))!;
        await audit(tx, ctx, {
          action: 'person.reveal',
          entityType: 'person',
          entityId: personId,
          orgId: s.org_id,
          after: { fields: s.phone_enc ? ['idNumber', 'phone'] : ['idNumber'], reason: reason ?? null },
        });
        return { idNumber: pii.decrypt(s.id_enc), phone: s.phone_enc ? pii.decrypt(s.phone_enc) : null };
      });
    },
  };
}
export type PersonService = ReturnType<typeof createPersonService>;
