import { PlusOutlined, ReloadOutlined, UnlockOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Form,
  Input,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  type TableColumnsType,
  Tag,
} from 'antd';
import { useState } from 'react';
import { ExportButton } from '../../components/ExportButton';
import { SearchBar } from '../../components/SearchBar';
import { usePaged } from '../../components/usePaged';
import { feedback, reportError } from '../../feedback';
import { formatTime } from '../../format';
import { fmt, useI18n } from '../../i18n';
import { useSession } from '../../session';
import { OrgPicker } from '../orgs/OrgPicker';
import { type UserView, userApi } from './api';
import { ResetPasswordModal } from './ResetPasswordModal';
import { UserDrawer } from './UserDrawer';

/** 用户管理: accounts within the data scope; phones are masked by the server. */
export default function UserPage() {
  const { m } = useI18n();
  const { can, me } = useSession();
  const [form] = Form.useForm();
  const list = usePaged<UserView>('/api/users');
  const [editing, setEditing] = useState<UserView | 'new' | null>(null);
  const [resetting, setResetting] = useState<UserView | null>(null);
  const writable = can('user:write');

  const act = async (fn: () => Promise<unknown>, ok: string) => {
    try {
      await fn();
      feedback()?.message.success(ok);
    } catch (e) {
      reportError(e, { onConflict: () => void list.reload() });
    }
    await list.reload();
  };

  const columns: TableColumnsType<UserView> = [
    { title: m.user.username, dataIndex: 'username', width: 120, ellipsis: true },
    { title: m.user.displayName, dataIndex: 'displayName', width: 140, ellipsis: true },
    { title: m.user.org, dataIndex: 'orgName', width: 170, ellipsis: true },
    { title: m.user.phone, dataIndex: 'phone', width: 110, render: (p: string | null) => p ?? '-' },
    {
      title: m.user.roles,
      dataIndex: 'roles',
      render: (roles: UserView['roles']) => roles.map((r) => <Tag key={r.id}>{r.name}</Tag>),
    },
    {
      title: m.common.status,
      dataIndex: 'status',
      width: 140,
      render: (_, u) => (
        <Space size={4}>
          {writable && u.id !== me?.user.id ? (
            <Popconfirm
              title={fmt(u.status === 'active' ? m.user.confirmDisable : m.user.confirmEnable, {
                name: u.displayName,
              })}
              onConfirm={() =>
                act(
                  () =>
                    userApi.update(u.id, {
                      version: u.version,
                      status: u.status === 'active' ? 'disabled' : 'active',
                    }),
                  m.common.saved,
                )
              }
            >
              <Switch size="small" checked={u.status === 'active'} />
            </Popconfirm>
          ) : null}
          {u.status === 'active' ? (
            <Tag color="green">{m.common.active}</Tag>
          ) : (
            <Tag>{m.common.disabled}</Tag>
          )}
          {u.locked && <Tag color="orange">{m.user.locked}</Tag>}
        </Space>
      ),
    },
    {
      title: m.user.lastLogin,
      dataIndex: 'lastLoginAt',
      width: 160,
      render: (t: string | null) => formatTime(t),
    },
    ...(writable
      ? [
          {
            title: m.common.actions,
            key: 'actions',
            width: 190,
            fixed: 'right' as const,
            render: (_: unknown, u: UserView) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => setEditing(u)}>
                  {m.common.edit}
                </Button>
                <Button type="link" size="small" onClick={() => setResetting(u)}>
                  {m.user.resetPassword}
                </Button>
                {u.locked && (
                  <Button
                    type="link"
                    size="small"
                    icon={<UnlockOutlined />}
                    onClick={() => act(() => userApi.unlock(u.id), m.user.unlocked)}
                  >
                    {m.user.unlock}
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <SearchBar form={form} onSearch={list.search}>
        <Form.Item name="q" label={m.common.keyword}>
          <Input placeholder={m.user.qPlaceholder} allowClear style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="orgId" label={m.user.org}>
          <OrgPicker style={{ width: 260 }} />
        </Form.Item>
        <Form.Item name="status" label={m.common.status}>
          <Select
            allowClear
            style={{ width: 110 }}
            placeholder={m.common.all}
            options={[
              { value: 'active', label: m.common.active },
              { value: 'disabled', label: m.common.disabled },
            ]}
          />
        </Form.Item>
      </SearchBar>
      <Card size="small">
        <Space style={{ marginBottom: 12 }}>
          {writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {m.common.add}
            </Button>
          )}
          <Button icon={<ReloadOutlined />} onClick={() => void list.reload()}>
            {m.common.refresh}
          </Button>
          <ExportButton
            path="/api/users/export"
            filters={list.filters}
            empty={list.data.total === 0}
            testId="user-export"
          />
        </Space>
        <Table<UserView>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data.items}
          loading={list.loading}
          pagination={list.pagination}
          scroll={{ x: 1150 }}
        />
      </Card>
      {editing && (
        <UserDrawer
          user={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void list.reload();
          }}
        />
      )}
      {resetting && (
        <ResetPasswordModal
          user={resetting}
          onClose={() => setResetting(null)}
          onDone={() => {
            setResetting(null);
            void list.reload();
          }}
        />
      )}
    </>
  );
}
