import { EditOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Form,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { regionPrefix } from '../../../shared/regions/regionCode';
import { ExportButton } from '../../components/ExportButton';
import { RegionPicker } from '../../components/RegionPicker';
import { SearchBar } from '../../components/SearchBar';
import { usePaged } from '../../components/usePaged';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import type { UnitView } from './api';
import { UnitDrawer } from './UnitDrawer';

/** 基层单位: where the masses work and live, and whether a mass organization covers them. */
export default function UnitPage() {
  const { m } = useI18n();
  const { can } = useSession();
  const [params] = useSearchParams();
  const initialCovered = params.get('covered') === 'no' ? 'no' : undefined;
  const [form] = Form.useForm();
  const list = usePaged<UnitView>('/api/units', initialCovered ? { covered: initialCovered } : {});
  const [editing, setEditing] = useState<UnitView | 'new' | null>(null);
  const writable = can('unit:write');
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the address the page was opened with
  useEffect(() => form.setFieldsValue({ covered: initialCovered }), []);

  const columns: TableColumnsType<UnitView> = [
    {
      title: m.unit.name,
      dataIndex: 'name',
      width: 220,
      render: (_, u) => (
        <div>
          <div>{u.name}</div>
          {u.creditCode && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {u.creditCode}
            </Typography.Text>
          )}
        </div>
      ),
    },
    { title: m.unit.kind, dataIndex: 'kind', width: 90, render: (k: UnitView['kind']) => m.unitKind[k] },
    {
      title: m.unit.ownership,
      dataIndex: 'ownership',
      width: 100,
      render: (k: UnitView['ownership']) => m.unitOwnership[k],
    },
    { title: m.unit.region, dataIndex: 'regionName', width: 120, ellipsis: true },
    { title: m.unit.org, dataIndex: 'orgName', width: 140, ellipsis: true },
    { title: m.unit.headcount, dataIndex: 'headcount', width: 90, align: 'right' },
    {
      title: m.unit.covering,
      dataIndex: 'coveringOrgs',
      render: (orgs: UnitView['coveringOrgs']) =>
        orgs.length === 0 ? (
          <Tag color="red">{m.unit.uncovered}</Tag>
        ) : (
          <Space size={[0, 4]} wrap>
            {orgs.map((o) => (
              <Tooltip key={o.id} title={m.orgType[o.type as keyof typeof m.orgType] ?? o.type}>
                <Tag color="geekblue">{o.name}</Tag>
              </Tooltip>
            ))}
          </Space>
        ),
    },
    {
      title: m.common.status,
      dataIndex: 'status',
      width: 70,
      render: (s: string) =>
        s === 'active' ? <Tag color="green">{m.common.active}</Tag> : <Tag>{m.common.inactive}</Tag>,
    },
    ...(writable
      ? [
          {
            title: m.common.actions,
            key: 'actions',
            width: 80,
            fixed: 'right' as const,
            render: (_: unknown, u: UnitView) => (
              <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(u)}>
                {m.common.edit}
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <SearchBar
        form={form}
        onSearch={list.search}
        transform={(v) => ({
          ...v,
          regionCode: typeof v.regionCode === 'string' ? regionPrefix(v.regionCode) : undefined,
        })}
      >
        <Form.Item name="q" label={m.common.keyword}>
          <Input placeholder={m.unit.qPlaceholder} allowClear style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="kind" label={m.unit.kind}>
          <Select
            allowClear
            style={{ width: 140 }}
            placeholder={m.common.all}
            options={Object.entries(m.unitKind).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="ownership" label={m.unit.ownership}>
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={m.common.all}
            options={Object.entries(m.unitOwnership).map(([value, label]) => ({ value, label }))}
          />
        </Form.Item>
        <Form.Item name="regionCode" label={m.unit.region}>
          <RegionPicker style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="covered" label={m.unit.covered}>
          <Select
            allowClear
            style={{ width: 110 }}
            placeholder={m.common.all}
            options={[
              { value: 'yes', label: m.unit.coveredYes },
              { value: 'no', label: m.unit.coveredNo },
            ]}
          />
        </Form.Item>
      </SearchBar>
      <Card size="small">
        <Space style={{ marginBottom: 12, width: '100%', justifyContent: 'space-between' }}>
          <Space>
            {writable && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
                {m.common.add}
              </Button>
            )}
            <Button icon={<ReloadOutlined />} onClick={() => void list.reload()}>
              {m.common.refresh}
            </Button>
            <ExportButton
              path="/api/units/export"
              filters={list.filters}
              empty={list.data.total === 0}
              testId="unit-export"
            />
          </Space>
          <Typography.Text type="secondary">{m.unit.legend}</Typography.Text>
        </Space>
        <Table<UnitView>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data.items}
          loading={list.loading}
          pagination={list.pagination}
          rowClassName={(u) => (u.coveringOrgs.length === 0 ? 'row-uncovered' : '')}
          scroll={{ x: 1100 }}
        />
      </Card>
      {editing && (
        <UnitDrawer
          unit={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void list.reload();
          }}
        />
      )}
    </>
  );
}
