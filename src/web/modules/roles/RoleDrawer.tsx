import { Button, Checkbox, Divider, Drawer, Form, Input, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { ALL_PERMISSIONS, type DataScope, type Permission } from '../../../shared/permissions';
import { api } from '../../api';
import { feedback, reportError } from '../../feedback';
import { fmt, useI18n } from '../../i18n';
import { OrgPicker } from '../orgs/OrgPicker';
import type { RoleView } from '../users/api';

interface Values {
  key: string;
  name: string;
  permissions: Permission[];
  dataScope: DataScope;
  customOrgIds: number[];
}

interface Props {
  role: RoleView | null;
  onClose: () => void;
  onSaved: () => void;
}

/** Permissions grouped by their domain prefix (org:read, org:write → 组织). */
const GROUPS = ALL_PERMISSIONS.reduce<Record<string, Permission[]>>((acc, p) => {
  const g = p.split(':')[0]!;
  acc[g] = [...(acc[g] ?? []), p];
  return acc;
}, {});

/** Create or edit a role: permission checkboxes, data scope, custom organizations. */
export function RoleDrawer({ role: initialRole, onClose, onSaved }: Props) {
  const { m } = useI18n();
  const [form] = Form.useForm<Values>();
  const [role, setRole] = useState(initialRole);
  const [busy, setBusy] = useState(false);
  const scope = Form.useWatch('dataScope', form);

  const initialOf = (r: RoleView | null): Partial<Values> =>
    r
      ? {
          name: r.name,
          permissions: r.permissions as Permission[],
          dataScope: r.dataScope,
          customOrgIds: r.customOrgIds,
        }
      : { permissions: [], dataScope: 'ORG', customOrgIds: [] };

  const reload = async () => {
    if (!role) return;
    const fresh = (await api.get<{ items: RoleView[] }>('/api/roles')).items.find((r) => r.id === role.id);
    if (fresh) {
      setRole(fresh);
      form.setFieldsValue(initialOf(fresh));
    }
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
      const body = {
        ...v,
        name: v.name.trim(),
        customOrgIds: v.dataScope === 'CUSTOM' ? (v.customOrgIds ?? []) : [],
      };
      if (!role) await api.post<RoleView>('/api/roles', body);
      else {
        const { key: _k, ...rest } = body;
        await api.patch<RoleView>(`/api/roles/${role.id}`, { ...rest, version: role.version });
      }
      feedback()?.message.success(role ? m.common.saved : m.common.created);
      onSaved();
    } catch (e) {
      reportError(e, { form, onConflict: () => void reload().catch(reportError) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Drawer
      open
      size={640}
      title={role ? fmt(m.role.editTitle, { name: role.name }) : m.role.createTitle}
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
      <Form form={form} name="role" layout="vertical" initialValues={initialOf(role)}>
        {!role && (
          <Form.Item
            name="key"
            label={m.role.key}
            rules={[{ required: true }, { pattern: /^[a-z][a-z0-9_]{1,39}$/ }]}
          >
            <Input maxLength={40} />
          </Form.Item>
        )}
        <Form.Item
          name="name"
          label={m.role.name}
          rules={[{ required: true, whitespace: true }, { max: 50 }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="dataScope" label={m.role.dataScope} rules={[{ required: true }]}>
          <Select options={Object.entries(m.dataScope).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        {scope === 'CUSTOM' && (
          <Form.Item name="customOrgIds" label={m.role.customOrgs} rules={[{ required: true }]}>
            <OrgPicker multiple />
          </Form.Item>
        )}
        <Divider titlePlacement="start" plain>
          {m.role.permissions}
        </Divider>
        <Form.Item name="permissions">
          <Checkbox.Group style={{ width: '100%', display: 'block' }}>
            {Object.entries(GROUPS).map(([group, perms]) => (
              <div
                key={group}
                style={{ display: 'flex', gap: 12, padding: '6px 0', borderBottom: '1px dashed #f0f0f0' }}
              >
                <Typography.Text strong style={{ width: 90, flex: 'none' }}>
                  {m.role.groups[group] ?? group}
                </Typography.Text>
                <Space wrap size={[16, 4]}>
                  {perms.map((p) => (
                    <Checkbox key={p} value={p}>
                      {m.permission[p]}
                    </Checkbox>
                  ))}
                </Space>
              </div>
            ))}
          </Checkbox.Group>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
