import type { TablePaginationConfig } from 'antd';
import { Badge, Table, Tag, Tooltip } from 'antd';
import { Link } from 'react-router-dom';
import {
  type AppealListItem,
  fmtTime,
  LIGHT_COLORS,
  LIGHT_LABELS,
  STATUS_COLORS,
  SUPERVISION_COLORS,
} from './api';

/** The appeal table shared by the queues. */
export function AppealTable(props: {
  items: AppealListItem[];
  loading?: boolean;
  pagination?: TablePaginationConfig | false;
  testId?: string;
}) {
  return (
    <Table<AppealListItem>
      rowKey="id"
      size="small"
      data-testid={props.testId ?? 'appeal-table'}
      loading={props.loading}
      dataSource={props.items}
      pagination={props.pagination}
      scroll={{ x: 960 }}
      columns={[
        {
          title: '时限',
          width: 64,
          render: (_, r) => (
            <Tooltip title={r.dueAt ? `办理时限 ${fmtTime(r.dueAt)}` : undefined}>
              <Badge color={LIGHT_COLORS[r.light]} text={LIGHT_LABELS[r.light]} />
            </Tooltip>
          ),
        },
        {
          title: '诉求',
          dataIndex: 'title',
          render: (t: string, r) => (
            <Link to={`/appeals/${r.id}`} data-testid={`appeal-${r.trackingCode}`}>
              {t}
            </Link>
          ),
        },
        { title: '查询码', dataIndex: 'trackingCode', width: 110 },
        { title: '分类', dataIndex: 'categoryName', width: 110 },
        { title: '人群', dataIndex: 'groupLabel', width: 90 },
        { title: '办理单位', dataIndex: 'orgName', width: 170, ellipsis: true },
        {
          title: '状态',
          width: 90,
          render: (_, r) => <Tag color={STATUS_COLORS[r.status]}>{r.statusLabel}</Tag>,
        },
        {
          title: '督办',
          width: 90,
          render: (_, r) =>
            r.supervisionLevel > 0 ? (
              <Tag color={SUPERVISION_COLORS[r.supervisionLevel as 1 | 2 | 3]}>{r.supervisionLabel}</Tag>
            ) : null,
        },
        { title: '受理时间', width: 140, render: (_, r) => fmtTime(r.createdAt) },
      ]}
    />
  );
}
