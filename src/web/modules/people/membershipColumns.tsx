import { type TableColumnsType, Tag } from 'antd';
import type { PersonDetail } from './api';

export type Membership = PersonDetail['memberships'][number];

/** The columns every membership table shows; each page adds its own 操作 column. */
export const MEMBERSHIP_COLUMNS: TableColumnsType<Membership> = [
  { title: '组织', dataIndex: 'orgName' },
  { title: '身份', dataIndex: 'roleLabel', width: 100 },
  {
    title: '状态',
    dataIndex: 'statusLabel',
    width: 90,
    render: (s, m) => (
      <Tag color={m.status === 'active' ? 'green' : m.status === 'pending' ? 'blue' : undefined}>{s}</Tag>
    ),
  },
  { title: '入会日期', dataIndex: 'joinedOn', width: 110 },
  { title: '离会', width: 200, render: (_, m) => (m.leftOn ? `${m.leftOn} ${m.endReason ?? ''}` : '') },
];
