import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Space, Table, type TableColumnsType, Tag, Tooltip } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, type Query } from '../../api';
import { SearchBar } from '../../components/SearchBar';
import { reportError } from '../../feedback';
import { fmt, useI18n } from '../../i18n';
import { useSession } from '../../session';
import type { RoleView } from '../users/api';
import { RoleDrawer } from './RoleDrawer';

/** 角色管理: permission bundles with a data scope. */
export default function RolePage() {
  const { m } = useI18n();
  const { can, me } = useSession();
  const [form] = Form.useForm();
  const [roles, setRoles] = useState<RoleView[]>([]);
  const [loading, setLoading] = useState(false);
  const [filter, setFilter] = useState<Query>({});
  const [editing, setEditing] = useState<RoleView | 'new' | null>(null);
  // the server lets only a user with the whole tree in scope change roles
  const writable = can('role:write') && !!me?.dataScope.kinds.includes('ALL');

  const load = useCallback(async () => {
    setLoading(true);
    try {
      setRoles((await api.get<{ items: RoleView[] }>('/api/roles')).items);
    } catch (e) {
      reportError(e);
    } finally {
      setLoading(false);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const shown = useMemo(() => {
    const q = String(filter.q ?? '').toLowerCase();
    return q ? roles.filter((r) => r.name.toLowerCase().includes(q) || r.key.includes(q)) : roles;
  }, [roles, filter]);

  const columns: TableColumnsType<RoleView> = [
    { title: m.role.name, dataIndex: 'name', width: 180 },
    { title: m.role.key, dataIndex: 'key', width: 150 },
    {
      title: m.role.dataScope,
      dataIndex: 'dataScope',
      width: 160,
      render: (s: RoleView['dataScope']) => <Tag color="blue">{m.dataScope[s]}</Tag>,
    },
    {
      title: m.role.permissions,
      dataIndex: 'permissions',
      render: (p: string[]) => {
        const label = (x: string) => m.permission[x as keyof typeof m.permission] ?? x;
        return (
          <Tooltip title={p.map(label).join('、')}>
            <Space size={[0, 4]} wrap>
              {p.slice(0, 5).map((x) => (
                <Tag key={x}>{label(x)}</Tag>
              ))}
              {p.length > 5 && <Tag>{fmt(m.role.more, { n: p.length - 5 })}</Tag>}
            </Space>
          </Tooltip>
        );
      },
    },
    {
      title: m.role.builtin,
      dataIndex: 'builtin',
      width: 80,
      render: (b: boolean) => (b ? <Tag>{m.role.builtin}</Tag> : null),
    },
    ...(writable
      ? [
          {
            title: m.common.actions,
            key: 'actions',
            width: 100,
            render: (_: unknown, r: RoleView) =>
              r.builtin && r.key === 'admin' ? (
                <Tooltip title={m.role.builtinAdmin}>
                  <Button type="link" size="small" icon={<EditOutlined />} disabled>
                    {m.common.edit}
                  </Button>
                </Tooltip>
              ) : (
                <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(r)}>
                  {m.common.edit}
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <SearchBar form={form} onSearch={setFilter}>
        <Form.Item name="q" label={m.role.name}>
          <Input allowClear style={{ width: 200 }} />
        </Form.Item>
      </SearchBar>
      <Card size="small">
        <Space style={{ marginBottom: 12 }}>
          {writable && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {m.common.add}
            </Button>
          )}
          <Button icon={<ReloadOutlined />} onClick={() => void load()}>
            {m.common.refresh}
          </Button>
        </Space>
        <Table<RoleView>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={shown}
          loading={loading}
          pagination={{ showTotal: (total) => fmt(m.common.total, { total }) }}
        />
      </Card>
      {editing && (
        <RoleDrawer
          role={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void load();
          }}
        />
      )}
    </>
  );
}
