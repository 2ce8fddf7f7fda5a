import { Button, Drawer, Form, Input, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import type { Permission } from '../../../shared/permissions';
import { feedback, reportError } from '../../feedback';
import { fmt, useI18n } from '../../i18n';
import { useSession } from '../../session';
import { OrgPicker } from '../orgs/OrgPicker';
import { type RoleView, type UserPatch, type UserView, userApi } from './api';

interface Values {
  username: string;
  displayName: string;
  orgId: number;
  password: string;
  phone?: string;
  roleIds: number[];
}

interface Props {
  user: UserView | null;
  onClose: () => void;
  onSaved: () => void;
}

const sameIds = (a: number[], b: number[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Create or edit a user. The phone arrives masked: an empty field keeps the stored number. */
export function UserDrawer({ user: initialUser, onClose, onSaved }: Props) {
  const { m } = useI18n();
  const { me, can } = useSession();
  const [form] = Form.useForm<Values>();
  const [user, setUser] = useState(initialUser);
  const [roles, setRoles] = useState<RoleView[]>([]);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    userApi.roles().then(setRoles).catch(reportError);
  }, []);

  const wide = me?.dataScope.kinds.includes('ALL') ?? false;
  const assignable = (r: RoleView) =>
    r.permissions.every((p) => can(p as Permission)) &&
    (wide || (r.dataScope !== 'ALL' && r.dataScope !== 'CUSTOM'));

  const initialOf = (u: UserView | null): Partial<Values> =>
    u
      ? { displayName: u.displayName, orgId: u.orgId, roleIds: u.roles.map((r) => r.id), phone: '' }
      : { roleIds: [] };

  const reload = async () => {
    if (!user) return;
    const fresh = await userApi.get(user.id);
    setUser(fresh);
    form.setFieldsValue(initialOf(fresh));
  };

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const phone = v.phone?.trim() ? v.phone.trim() : undefined;
      if (!user) {
        await userApi.create({
          ...v,
          username: v.username.trim(),
          displayName: v.displayName.trim(),
          phone: phone ?? null,
        });
        feedback()?.message.success(m.common.created);
      } else {
        const patch: UserPatch = { version: user.version };
        if (v.displayName.trim() !== user.displayName) patch.displayName = v.displayName.trim();
        if (v.orgId !== user.orgId) patch.orgId = v.orgId;
        if (phone) patch.phone = phone;
        if (
          !sameIds(
            v.roleIds,
            user.roles.map((r) => r.id),
          )
        )
          patch.roleIds = v.roleIds;
        if (Object.keys(patch).length > 1) await userApi.update(user.id, patch);
        feedback()?.message.success(m.common.saved);
      }
      onSaved();
    } catch (e) {
      reportError(e, { form, rulesField: 'password', onConflict: () => void reload().catch(reportError) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open
      size={560}
      title={user ? fmt(m.user.editTitle, { name: user.displayName }) : m.user.createTitle}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      extra={
        <Space>
          <Button onClick={onClose}>{m.common.cancel}</Button>
          <Button type="primary" loading={busy} onClick={submit}>
            {m.common.save}
          </Button>
        </Space>
      }
    >
      <Form form={form} name="user" layout="vertical" initialValues={initialOf(user)} autoComplete="off">
        {!user && (
          <Form.Item
            name="username"
            label={m.user.username}
            rules={[
              { required: true, whitespace: true },
              { min: 3, max: 40 },
            ]}
          >
            <Input maxLength={40} autoComplete="off" />
          </Form.Item>
        )}
        <Form.Item
          name="displayName"
          label={m.user.displayName}
          rules={[{ required: true, whitespace: true }, { max: 50 }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item
          name="orgId"
          label={m.user.org}
          rules={[{ required: true, message: fmt(m.common.selectRequired, { label: m.user.org }) }]}
        >
          <OrgPicker allowClear={false} labels={user ? { [user.orgId]: user.orgName } : undefined} />
        </Form.Item>
        {!user && (
          <Form.Item
            name="password"
            label={m.user.password}
            rules={[{ required: true }]}
            extra={m.user.passwordPolicy}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
        <Form.Item name="phone" label={m.user.phone} rules={[{ max: 20 }]}>
          <Input
            maxLength={20}
            placeholder={user?.phone ? fmt(m.user.phoneKeep, { phone: user.phone }) : undefined}
          />
        </Form.Item>
        <Form.Item
          name="roleIds"
          label={m.user.roles}
          rules={[{ required: true, message: fmt(m.common.selectRequired, { label: m.user.roles }) }]}
        >
          <Select
            mode="multiple"
            options={roles.map((r) => ({
              value: r.id,
              label: fmt(m.common.withNote, { text: r.name, note: m.dataScope[r.dataScope] }),
              // the server refuses roles beyond the actor's own permissions and scope (as it does here)
              disabled: !assignable(r),
              title: assignable(r) ? undefined : m.user.roleBeyondOwn,
            }))}
          />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
