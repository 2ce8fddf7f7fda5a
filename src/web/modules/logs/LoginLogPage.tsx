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
import { ExportButton } from '../../components/ExportButton';
import { SearchBar } from '../../components/SearchBar';
import { usePaged } from '../../components/usePaged';
import { formatTime } from '../../format';
import { useI18n } from '../../i18n';
import { rangeToQuery } from './dates';

interface LoginEntry {
  id: number;
  at: string;
  username: string;
  success: boolean;
  reason: string | null;
  ip: string | null;
  userAgent: string | null;
}

/** 登录日志: every sign-in attempt, successful or not. */
export default function LoginLogPage() {
  const { m } = useI18n();
  const [form] = Form.useForm();
  const list = usePaged<LoginEntry>('/api/login-log');

  const columns: TableColumnsType<LoginEntry> = [
    { title: '#', dataIndex: 'id', width: 70 },
    {
      title: m.loginLog.at,
      dataIndex: 'at',
      width: 170,
      render: (t: string) => formatTime(t),
    },
    { title: m.loginLog.username, dataIndex: 'username', width: 150 },
    {
      title: m.loginLog.success,
      dataIndex: 'success',
      width: 90,
      render: (s: boolean) =>
        s ? <Tag color="green">{m.loginLog.ok}</Tag> : <Tag color="red">{m.loginLog.fail}</Tag>,
    },
    {
      title: m.loginLog.reason,
      dataIndex: 'reason',
      width: 200,
      render: (r: string | null) => (r ? (m.loginLog.reasons[r] ?? r) : '-'),
    },
    { title: m.loginLog.ip, dataIndex: 'ip', width: 140, render: (e: string | null) => e ?? '-' },
    {
      title: m.loginLog.userAgent,
      dataIndex: 'userAgent',
      ellipsis: true,
      render: (e: string | null) => e ?? '-',
    },
  ];

  return (
    <>
      <SearchBar form={form} onSearch={list.search} transform={rangeToQuery}>
        <Form.Item name="username" label={m.loginLog.username}>
          <Input allowClear style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="success" label={m.loginLog.success}>
          <Select
            allowClear
            style={{ width: 110 }}
            placeholder={m.common.all}
            options={[
              { value: 'true', label: m.loginLog.ok },
              { value: 'false', label: m.loginLog.fail },
            ]}
          />
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
            path="/api/login-log/export"
            filters={list.filters}
            empty={list.data.total === 0}
            testId="login-log-export"
          />
        </Space>
        <Table<LoginEntry>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data.items}
          loading={list.loading}
          pagination={list.pagination}
          scroll={{ x: 1000 }}
        />
      </Card>
    </>
  );
}
