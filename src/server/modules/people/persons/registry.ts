import { checkIdentity, checkPhone } from '../../../../shared/people/identity.js';
import type { Ctx } from '../../../platform/actor.js';
import { audit } from '../../../platform/audit.js';
import { type Queryable, sql } from '../../../platform/db/index.js';
import { conflict, invalid } from '../../../platform/errors.js';
import type { Pii } from '../../../platform/pii.js';
import { protect } from '../protect.js';
import { auditPerson } from './present.js';
import * as repo from './repo.js';

/**
 * The people registry as other modules use it (activities, volunteers): one person, one
 * record, found by the keyed hash of the ID number. No access check here: the caller has
 * established who is acting (a verified phone on a public page, a staff member in scope).
 */
export interface PersonBasics {
  id: number;
  name: string;
  birthDate: string;
  idMask: string;
  phoneMask: string | null;
  orgId: number;
  userId: number | null;
}

/**
 * Finds the person with this ID number, or registers them under `orgId` (audited as
 * person.create). A different name on the same ID number is refused (no silent overwrite).
 */
export async function findOrRegisterPerson(
  tx: Queryable,
  pii: Pii,
  ctx: Ctx,
  input: { name: string; idNumber: string; phone: string | null; orgId: number; regionCode?: string | null },
): Promise<PersonBasics & { existing: boolean }> {
  const id = checkIdentity(input.idNumber, {}, ctx.now);
  if (!id.ok) throw invalid(id.message, { field: 'idNumber' });
  let phone: string | null = null;
  if (input.phone) {
    const p = checkPhone(input.phone);
    if (!p.ok) throw invalid(p.message, { field: 'phone' });
    phone = p.value;
  }
  const sec = protect(pii, id.value.idNumber, phone);
  const inserted = await tx.query<{ id: number }>(sql`INSERT INTO persons (name, gender, birth_date, id_enc,
      id_hash, id_mask, phone_enc, phone_hash, phone_mask, region_code, org_id, created_at, updated_at)
    VALUES (${input.name}, ${id.value.gender}, ${id.value.birthDate}, ${sec.idEnc}, ${sec.idHash}, ${sec.idMask},
      ${sec.phoneEnc}, ${sec.phoneHash}, ${sec.phoneMask}, ${input.regionCode ?? null}, ${input.orgId},
      ${ctx.now}, ${ctx.now})
    ON CONFLICT (id_hash) DO NOTHING RETURNING id`);
  let personId = inserted[0]?.id;
  const existing = personId === undefined;
  if (existing) {
    personId = (await repo.findIdByHash(tx, sec.idHash))!;
  }
  const row = (await repo.getPerson(tx, personId!))!;
  if (existing && row.name !== input.name)
    throw conflict('该身份证号已登记，但姓名与已登记的不一致，请核对', { field: 'name', reason: 'name' });
  if (!existing)
    await audit(tx, ctx, {
      action: 'person.create',
      entityType: 'person',
      entityId: personId!,
      orgId: input.orgId,
      after: auditPerson(row),
    });
  const [basics] = await personBasics(tx, [personId!]);
  return { ...basics!, existing };
}

/** Name, masked identity and birth date of persons (for rosters, age checks, certificates). */
export async function personBasics(q: Queryable, ids: readonly number[]): Promise<PersonBasics[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<{
    id: number;
    name: string;
    birth_date: string;
    id_mask: string;
    phone_mask: string | null;
    org_id: number;
    user_id: number | null;
  }>(sql`SELECT id, name, birth_date::text AS birth_date, id_mask, phone_mask, org_id, user_id
    FROM persons WHERE id = ANY(${[...new Set(ids)]}::bigint[])`);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    birthDate: r.birth_date,
    idMask: r.id_mask,
    phoneMask: r.phone_mask,
    orgId: r.org_id,
    userId: r.user_id,
  }));
}

/** The person linked to a user account, if any. */
export async function personOfUser(q: Queryable, userId: number): Promise<PersonBasics | undefined> {
  const rows = await q.query<{ id: number }>(
    sql`SELECT id FROM persons WHERE user_id = ${userId} ORDER BY id LIMIT 1`,
  );
  if (!rows[0]) return undefined;
  return (await personBasics(q, [rows[0].id]))[0];
}

/** The phones of persons (decrypted), for messages sent by the outbox job only. */
export async function phonesOf(q: Queryable, pii: Pii, ids: readonly number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await q.query<{ id: number; phone_enc: string | null }>(
    sql`SELECT id, phone_enc FROM persons WHERE id = ANY(${[...new Set(ids)]}::bigint[]) AND phone_enc IS NOT NULL`,
  );
  return new Map(rows.map((r) => [r.id, pii.decrypt(r.phone_enc!)]));
}
