import { ReloadOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Select,
  Space,
  Table,
  type TableColumnsType,
  Tag,
} from 'antd';
import { useMemo, useState } from 'react';
import { ExportButton } from '../../components/ExportButton';
import { SearchBar } from '../../components/SearchBar';
import { usePaged } from '../../components/usePaged';
import { formatTime } from '../../format';
import { useI18n } from '../../i18n';
import { AuditDetailDrawer, type AuditEvent } from './AuditDetailDrawer';
import { rangeToQuery } from './dates';
import { auditLabels } from './labels';

/** 操作日志: the audit trail, newest first, within the data scope. */
export default function AuditLogPage() {
  const { m, lang } = useI18n();
  const labels = useMemo(() => auditLabels(m, lang), [m, lang]);
  const [form] = Form.useForm();
  const list = usePaged<AuditEvent>('/api/audit-events');
  const [shown, setShown] = useState<AuditEvent | null>(null);

  const columns: TableColumnsType<AuditEvent> = [
    { title: '#', dataIndex: 'id', width: 70 },
    { title: m.audit.at, dataIndex: 'at', width: 170, render: (t: string) => formatTime(t) },
    {
      title: m.audit.actor,
      dataIndex: 'actorName',
      width: 140,
      ellipsis: true,
      // the sweeps and the seed act as 'system'
      render: (a: string) => (a === 'system' ? labels.entity('system') : a),
    },
    {
      title: m.audit.action,
      dataIndex: 'action',
      width: 160,
      render: (a: string) => (
        <Tag color={a.endsWith('create') ? 'green' : a.includes('deactivate') ? 'red' : 'blue'}>
          {labels.action(a)}
        </Tag>
      ),
    },
    {
      title: m.audit.entityType,
      dataIndex: 'entityType',
      width: 110,
      render: (e: string) => labels.entity(e),
    },
    { title: m.audit.entityId, dataIndex: 'entityId', width: 100, render: (e: string | null) => e ?? '-' },
    { title: m.audit.ip, dataIndex: 'ip', width: 130, render: (e: string | null) => e ?? '-' },
    { title: m.audit.requestId, dataIndex: 'requestId', ellipsis: true },
    {
      title: m.common.actions,
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_, e) => (
        <Button type="link" size="small" onClick={() => setShown(e)}>
          {m.common.detail}
        </Button>
      ),
    },
  ];

  return (
    <>
      <SearchBar form={form} onSearch={list.search} transform={rangeToQuery}>
        <Form.Item name="actor" label={m.audit.actor}>
          <Input allowClear style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="action" label={m.audit.action}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            style={{ width: 220 }}
            popupMatchSelectWidth={false}
            placeholder={m.common.all}
            options={labels.actionOptions}
          />
        </Form.Item>
        <Form.Item name="entityType" label={m.audit.entityType}>
          <Select
            allowClear
            style={{ width: 130 }}
            placeholder={m.common.all}
            options={labels.entityOptions}
          />
        </Form.Item>
        <Form.Item name="entityId" label={m.audit.entityId}>
          <Input allowClear style={{ width: 100 }} />
        </Form.Item>
        <Form.Item name="range" label={m.audit.timeRange}>
          <DatePicker.RangePicker style={{ width: 240 }} />
        </Form.Item>
      </SearchBar>
      <Card size="small">
        <Space style={{ marginBottom: 12 }}>
          <Button icon={<ReloadOutlined />} onClick={() => void list.reload()}>
            {m.common.refresh}
          </Button>
          <ExportButton
            path="/api/audit-events/export"
            filters={list.filters}
            empty={list.data.total === 0}
            testId="audit-export"
          />
        </Space>
        <Table<AuditEvent>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data.items}
          loading={list.loading}
          pagination={list.pagination}
          scroll={{ x: 1100 }}
          onRow={(e) => ({ onDoubleClick: () => setShown(e) })}
        />
      </Card>
      {shown && <AuditDetailDrawer event={shown} onClose={() => setShown(null)} />}
    </>
  );
}
