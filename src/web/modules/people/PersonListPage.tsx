import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Select, Space, Table, type TableColumnsType, Tag } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { GENDERS, PERSON_GROUPS } from '../../../shared/people/dicts';
import { withQuery } from '../../api';
import { SearchBar } from '../../components/SearchBar';
import { usePaged } from '../../components/usePaged';
import { useSession } from '../../session';
import { OrgPicker } from '../orgs/OrgPicker';
import type { PersonView } from './api';
import { PersonFormModal } from './PersonFormModal';

const options = (d: Record<string, string>) => Object.entries(d).map(([value, label]) => ({ value, label }));

/** 人员名单: real-name persons in scope; identity data masked; export of the filtered list. */
export default function PersonListPage() {
  const { can } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const list = usePaged<PersonView>('/api/persons');
  const [adding, setAdding] = useState(false);
  const exportUrl = (format: 'xlsx' | 'csv') => withQuery('/api/persons/export', { ...list.filters, format });

  const columns: TableColumnsType<PersonView> = [
    {
      title: '姓名',
      dataIndex: 'name',
      width: 110,
      render: (n, p) => <Link to={`/people/${p.id}`}>{n}</Link>,
    },
    { title: '性别', dataIndex: 'genderLabel', width: 60 },
    { title: '年龄', dataIndex: 'age', width: 60 },
    { title: '身份证号', dataIndex: 'idNumber', width: 190, render: (v) => <code>{v}</code> },
    { title: '手机号码', dataIndex: 'phone', width: 130 },
    { title: '登记组织', dataIndex: 'orgName', ellipsis: true },
    {
      title: '人员类别',
      dataIndex: 'groups',
      render: (gs: PersonView['groups'], p) => (
        <Space size={[0, 4]} wrap>
          {p.frontline && <Tag color="orange">一线</Tag>}
          {gs.map((g) => (
            <Tag key={g.code}>{g.label}</Tag>
          ))}
        </Space>
      ),
    },
  ];

  return (
    <>
      <SearchBar form={form} onSearch={list.search}>
        <Form.Item name="q" label="姓名">
          <Input allowClear placeholder="姓名（支持繁体）" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item name="orgId" label="组织">
          <OrgPicker style={{ width: 220 }} />
        </Form.Item>
        <Form.Item name="group" label="类别">
          <Select allowClear placeholder="全部" options={options(PERSON_GROUPS)} style={{ width: 140 }} />
        </Form.Item>
        <Form.Item name="gender" label="性别">
          <Select allowClear placeholder="全部" options={options(GENDERS)} style={{ width: 90 }} />
        </Form.Item>
      </SearchBar>
      <Card
        title="人员名单"
        extra={
          <Space wrap>
            {can('person:write') && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
                登记人员
              </Button>
            )}
            {can('person:import') && (
              <Button icon={<UploadOutlined />} onClick={() => navigate('/people/import')}>
                批量导入
              </Button>
            )}
            <Button icon={<DownloadOutlined />} href={exportUrl('xlsx')}>
              导出 Excel
            </Button>
            <Button href={exportUrl('csv')}>导出 CSV</Button>
          </Space>
        }
      >
        <Table
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data.items}
          loading={list.loading}
          pagination={list.pagination}
          scroll={{ x: 900 }}
        />
      </Card>
      <PersonFormModal
        open={adding}
        onClose={() => setAdding(false)}
        onSaved={(p) => {
          setAdding(false);
          navigate(`/people/${p.id}`);
        }}
      />
    </>
  );
}
