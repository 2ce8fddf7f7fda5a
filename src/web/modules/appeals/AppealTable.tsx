import type { TablePaginationConfig } from 'antd';
import { Badge, Table, Tag, Tooltip } from 'antd';
import { Link } from 'react-router-dom';
import { APPEAL_PRIORITIES } from '../../../shared/appeals/constants';
import { formatTrackingCode } from '../../../shared/trackingCode';
import {
  type AppealListItem,
  fmtTime,
  LIGHT_COLORS,
  LIGHT_LABELS,
  STATUS_COLORS,
  SUPERVISION_COLORS,
} from './api';

export type AppealSort = 'created' | 'priority' | 'due';

/** The appeal table shared by the queues; with `onSort`, 优先级, 时限 and 受理时间 sort the list on the server. */
export function AppealTable(props: {
  items: AppealListItem[];
  loading?: boolean;
  pagination?: TablePaginationConfig | false;
  testId?: string;
  sort?: AppealSort;
  onSort?: (sort: AppealSort) => void;
}) {
  const sortable = (key: AppealSort) =>
    props.onSort
      ? {
          key,
          sorter: true,
          sortOrder: props.sort === key ? ('ascend' as const) : null,
          showSorterTooltip: false,
        }
      : {};
  return (
    <Table<AppealListItem>
      rowKey="id"
      size="small"
      data-testid={props.testId ?? 'appeal-table'}
      loading={props.loading}
      dataSource={props.items}
      pagination={props.pagination}
      scroll={{ x: 1020 }}
      onChange={(_p, _f, sorter) => {
        const one = Array.isArray(sorter) ? sorter[0] : sorter;
        props.onSort?.(one?.order ? (one.columnKey as AppealSort) : 'created');
      }}
      columns={[
        {
          title: '优先级',
          width: 76,
          ...sortable('priority'),
          render: (_, r) =>
            r.priority === 'urgent' ? (
              <Tag color="red" data-testid="priority-urgent">
                {APPEAL_PRIORITIES.urgent}
              </Tag>
            ) : (
              <span style={{ color: '#888' }}>{APPEAL_PRIORITIES.normal}</span>
            ),
        },
        {
          title: '时限',
          width: 76,
          ...sortable('due'),
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
        { title: '查询码', width: 120, render: (_, r) => formatTrackingCode(r.trackingCode) },
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
        { title: '受理时间', width: 160, render: (_, r) => fmtTime(r.createdAt) },
      ]}
    />
  );
}
