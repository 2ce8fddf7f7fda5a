import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Select, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { CASE_STATUSES, CATEGORIES } from '../../../shared/assistance/constants';
import { SearchBar } from '../../components/SearchBar';
import { usePaged } from '../../components/usePaged';
import { formatTime } from '../../format';
import { useSession } from '../../session';
import { OrgPicker } from '../orgs/OrgPicker';
import { type CaseView, STATUS_COLORS } from './api';
import { CaseFormModal } from './CaseFormModal';

const options = (d: Record<string, string>) => Object.entries(d).map(([value, label]) => ({ value, label }));
const FLAGS = { stale: '超过12个月未更新', exit: '建议解困', never: '从未获得帮扶' };

/** 帮扶档案: household records in scope, applicants masked; filters by status, organization and flags. */
export default function CaseListPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const list = usePaged<CaseView>('/api/assistance/cases');
  const [adding, setAdding] = useState(false);
  const columns: TableColumnsType<CaseView> = [
    {
      title: '申请人',
      dataIndex: 'applicantName',
      width: 110,
      render: (n, c) => <Link to={`/assistance/cases/${c.id}`}>{n}</Link>,
    },
    { title: '困难类别', dataIndex: 'categoryLabel', width: 110 },
    {
      title: '状态',
      dataIndex: 'statusLabel',
      width: 150,
      render: (l, c) => (
        <Space size={4} wrap>
          <Tag color={STATUS_COLORS[c.status]}>{l}</Tag>
          {c.stale && <Tag color="orange">待复核</Tag>}
          {c.exitProposed && <Tag color="green">建议解困</Tag>}
        </Space>
      ),
    },
    { title: '建档组织', dataIndex: 'orgName', ellipsis: true },
    { title: '更新时间', dataIndex: 'updatedAt', width: 170, render: (t) => formatTime(t) },
  ];
  return (
    <>
      <SearchBar form={form} onSearch={list.search}>
        <Form.Item name="status" label="状态">
          <Select allowClear placeholder="全部" options={options(CASE_STATUSES)} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="category" label="类别">
          <Select allowClear placeholder="全部" options={options(CATEGORIES)} style={{ width: 130 }} />
        </Form.Item>
        <Form.Item name="orgId" label="组织">
          <OrgPicker style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="flag" label="提示">
          <Select allowClear placeholder="全部" options={options(FLAGS)} style={{ width: 160 }} />
        </Form.Item>
      </SearchBar>
      <Card
        title="帮扶档案"
        extra={
          can('assist:write') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              帮扶申请
            </Button>
          )
        }
      >
        <Table
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data.items}
          loading={list.loading}
          pagination={list.pagination}
          scroll={{ x: 800 }}
        />
      </Card>
      <CaseFormModal
        open={adding}
        onClose={() => setAdding(false)}
        onSaved={(c) => {
          setAdding(false);
          navigate(`/assistance/cases/${c.id}`);
        }}
      />
    </>
  );
}
