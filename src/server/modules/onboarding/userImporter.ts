import { splitList } from '../../../shared/onboarding/columns.js';
import { validatePhone } from '../../../shared/rules/phone.js';
import { scopeWhere } from '../../platform/access.js';
import type { Actor } from '../../platform/actor.js';
import { sql } from '../../platform/db/index.js';
import { type Col, rowsOf } from '../../platform/db/rows.js';
import { enqueue } from '../../platform/jobs.js';
import type { Pii } from '../../platform/pii.js';
import { assignIds, previewByOrg } from './grouped.js';
import { existingOrgs } from './orgImport.js';
import { OrgRefs } from './orgRefs.js';
import type { PlanError } from './orgTree.js';
import type { Importer } from './service.js';

export const OTP_TOPIC = 'onboarding.otp';

interface UserInput {
  no: number;
  username: string;
  displayName: string;
  phone: string;
  orgId: number;
  roleIds: number[];
  status: 'active' | 'disabled';
}

interface ExistingUser {
  id: number;
  username: string;
  display_name: string;
  phone_hash: string | null;
  org_id: number;
  status: string;
  roles: number[] | null;
}

interface State {
  pii: Pii;
  orgs: OrgRefs;
  users: Map<string, ExistingUser>;
  roles: Map<string, { id: number; assignable: boolean }>;
}

interface Plan {
  items: { row: UserInput; action: 'create' | 'update' | 'unchanged'; id: number | null }[];
  errors: PlanError[];
}

const USERNAME = /^[a-z][a-z0-9._-]{2,39}$/;

/** A role the actor may hand out: no permission beyond theirs, no wider scope kind. */
function assignable(actor: Actor, r: { permissions: string[]; data_scope: string }) {
  return (
    r.permissions.every((p) => actor.permissions.has(p as never)) &&
    (actor.scope.all || (r.data_scope !== 'ALL' && r.data_scope !== 'CUSTOM'))
  );
}

const COLS: Col[] = [
  ['id', 'bigint'],
  ['username', 'text'],
  ['display_name', 'text'],
  ['org_id', 'bigint'],
  ['phone_enc', 'text'],
  ['phone_hash', 'text'],
  ['status', 'text'],
];

export const userImporter: Importer<UserInput, State, Plan> = {
  permission: 'user:write',
  async load(q, ctx, deps) {
    const users =
      await q.query<ExistingUser>(sql`SELECT u.id, u.username, u.display_name, u.phone_hash, u.org_id, u.status,
        (SELECT array_agg(ur.role_id ORDER BY ur.role_id) FROM user_roles ur WHERE ur.user_id = u.id) AS roles
      FROM users u WHERE ${scopeWhere(ctx.actor, { orgId: sql.raw('u.org_id'), owner: sql.raw('u.id') })}`);
    const roles = await q.query<{
      id: number;
      name: string;
      key: string;
      permissions: string[];
      data_scope: string;
    }>(sql`SELECT id, name, key, permissions, data_scope FROM roles`);
    const roleMap = new Map<string, { id: number; assignable: boolean }>();
    for (const r of roles) {
      const v = { id: Number(r.id), assignable: assignable(ctx.actor, r) };
      roleMap.set(r.name, v);
      roleMap.set(r.key, v);
    }
    return {
      pii: deps.pii,
      orgs: new OrgRefs(await existingOrgs(q, ctx.actor)),
      users: new Map(
        users.map((u) => [
          u.username,
          { ...u, id: Number(u.id), org_id: Number(u.org_id), roles: (u.roles ?? []).map(Number) },
        ]),
      ),
      roles: roleMap,
    };
  },
  parse(r, s) {
    const errors: PlanError[] = [];
    const err = (column: string, message: string) => errors.push({ row: r.no, column, message });
    if (r.oversize)
      return { ok: false, errors: [{ row: r.no, column: null, message: '单元格内容过长（超过500字）' }] };
    const username = r.get('username').toLowerCase();
    if (!USERNAME.test(username)) err('用户名', '用户名应为3–40位小写字母、数字和 . _ -，以字母开头');
    const displayName = r.get('displayName');
    if (!displayName || displayName.length > 50) err('姓名', '姓名不能为空，最长50字');
    const phone = validatePhone(r.get('phone'));
    if (!phone.ok || phone.kind !== 'mobile')
      err('手机号码', '手机号码格式不正确（一次性密码以短信发送，须为手机）');
    const org = s.orgs.find(r.get('org'));
    if ('message' in org) err('所属组织', org.message);
    const roleIds: number[] = [];
    const names = splitList(r.get('roles'));
    if (names.length === 0) err('角色', '请填写角色');
    for (const n of names) {
      const role = s.roles.get(n);
      if (!role) err('角色', `角色「${n}」不存在`);
      else if (!role.assignable) err('角色', `不能分配超出本人权限的角色：${n}`);
      else roleIds.push(role.id);
    }
    const st = r.get('status');
    if (st && st !== '正常' && st !== '停用') err('状态', '状态应为“正常”或“停用”');
    if (errors.length > 0) return { ok: false, errors };
    return {
      ok: true,
      row: {
        no: r.no,
        username,
        displayName,
        phone: (phone as { value: string }).value,
        orgId: (org as { id: number }).id,
        roleIds: [...new Set(roleIds)].sort((a, b) => a - b),
        status: st === '停用' ? 'disabled' : 'active',
      },
    };
  },
  async plan(q, rows, s, ctx) {
    const errors: PlanError[] = [];
    const seen = new Map<string, number>();
    const taken = new Set(
      (
        await q.query<{ username: string }>(
          sql`SELECT username FROM users WHERE username = ANY(${rows.map((r) => r.username)}::text[])`,
        )
      ).map((r) => r.username),
    );
    const pii = s.pii;
    const items: Plan['items'] = [];
    for (const r of rows) {
      const first = seen.get(r.username);
      if (first !== undefined) {
        errors.push({ row: r.no, column: '用户名', message: `用户名与第 ${first} 行重复` });
        continue;
      }
      seen.set(r.username, r.no);
      const before = s.users.get(r.username);
      if (!before) {
        if (taken.has(r.username)) errors.push({ row: r.no, column: '用户名', message: '用户名已被占用' });
        else items.push({ row: r, action: 'create', id: null });
        continue;
      }
      if (before.id === ctx.actor.userId) {
        errors.push({ row: r.no, column: '用户名', message: '不能通过导入修改自己的账号' });
        continue;
      }
      const same =
        before.display_name === r.displayName &&
        before.phone_hash === pii.hash(r.phone) &&
        before.org_id === r.orgId &&
        before.status === r.status &&
        JSON.stringify(before.roles) === JSON.stringify(r.roleIds);
      items.push({ row: r, action: same ? 'unchanged' : 'update', id: before.id });
    }
    return { items, errors };
  },
  counts: (p) => ({
    created: p.items.filter((i) => i.action === 'create').length,
    updated: p.items.filter((i) => i.action === 'update').length,
    unchanged: p.items.filter((i) => i.action === 'unchanged').length,
  }),
  preview(p, s) {
    return previewByOrg(
      p.items,
      (id) => s.orgs.byId.get(id)?.name ?? '',
      (i) => `${i.row.displayName}（${i.row.username}）`,
    );
  },
  async apply(tx, p, s, ctx) {
    const pii = s.pii;
    const creates = p.items.filter((i) => i.action === 'create');
    const ids = await assignIds(tx, 'users', creates);
    const rowOf = (i: Plan['items'][number]) => {
      const r = i.row;
      return [i.id, r.username, r.displayName, r.orgId, pii.encrypt(r.phone), pii.hash(r.phone), r.status];
    };
    // no usable password until the one-time password job sets one ('!' is no argon2 hash)
    for (let k = 0; k < creates.length; k += 2000)
      await tx.query(sql`INSERT INTO users (id, username, display_name, org_id, phone_enc, phone_hash, status,
          password_hash, must_change_password, created_by, created_at, updated_at)
        SELECT x.*, '!', true, ${ctx.actor.userId || null}::bigint, ${ctx.now}::timestamptz, ${ctx.now}::timestamptz
        FROM ${rowsOf(COLS, creates.slice(k, k + 2000).map(rowOf))} AS x`);
    const updates = p.items.filter((i) => i.action === 'update');
    for (let k = 0; k < updates.length; k += 2000)
      await tx.query(sql`UPDATE users u SET display_name = x.display_name, org_id = x.org_id, phone_enc = x.phone_enc,
          phone_hash = x.phone_hash, status = x.status, version = u.version + 1, updated_at = ${ctx.now}
        FROM ${rowsOf(COLS, updates.slice(k, k + 2000).map(rowOf))} AS x WHERE u.id = x.id`);
    const touched = [...creates, ...updates];
    if (touched.length > 0) {
      await tx.query(sql`DELETE FROM user_roles WHERE user_id = ANY(${touched.map((i) => i.id)}::bigint[])`);
      const pairs = touched.flatMap((i) => i.row.roleIds.map((r) => [i.id, r]));
      for (let k = 0; k < pairs.length; k += 5000)
        await tx.query(
          sql`INSERT INTO user_roles (user_id, role_id) SELECT x.user_id, x.role_id FROM ${rowsOf(
            [
              ['user_id', 'bigint'],
              ['role_id', 'bigint'],
            ],
            pairs.slice(k, k + 5000),
          )} AS x`,
        );
    }
    // sessions of users disabled by the import end now
    const disabled = updates.filter((i) => i.row.status === 'disabled').map((i) => i.id);
    if (disabled.length > 0)
      await tx.query(sql`DELETE FROM sessions WHERE user_id = ANY(${disabled}::bigint[])`);
    for (const c of creates) await enqueue(tx, ctx, OTP_TOPIC, { userId: c.id });
    return { userIds: ids.length > 200 ? `${ids[0]}…${ids[ids.length - 1]}` : ids };
  },
};
