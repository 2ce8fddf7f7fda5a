import { Card, Input, Progress, Select, Space, Table, Tag } from 'antd';
import { Link, useSearchParams } from 'react-router-dom';
import { TASK_STATUSES } from '../../../shared/tasks/constants';
import { usePaged } from '../../components/usePaged';
import { ESCALATION_COLORS, STATUS_COLORS, type TaskView } from './api';

type TaskSort = 'urgency' | 'due' | 'created';

/** The task columns; with `sort`, 督办 (urgency) and 完成时限 (due) sort the list on the server. */
export function taskColumns(sort?: TaskSort) {
  const sortable = (key: TaskSort) =>
    sort
      ? { key, sorter: true, sortOrder: sort === key ? ('ascend' as const) : null, showSorterTooltip: false }
      : {};
  return [
    {
      title: '任务',
      dataIndex: 'title',
      render: (t: string, r: TaskView) => <Link to={`/tasks/${r.id}`}>{t}</Link>,
    },
    {
      title: '牵头单位',
      width: 200,
      render: (_: unknown, r: TaskView) => r.lead.map((o) => o.name).join('、'),
    },
    {
      title: '完成时限',
      dataIndex: 'dueDate',
      width: 110,
      ...sortable('due'),
      render: (d: string | null, r: TaskView) => d ?? r.deadlineText ?? '—',
    },
    {
      title: '状态',
      width: 90,
      render: (_: unknown, r: TaskView) => <Tag color={STATUS_COLORS[r.status]}>{r.statusLabel}</Tag>,
    },
    {
      title: '进度',
      width: 130,
      render: (_: unknown, r: TaskView) => <Progress percent={r.progress} size="small" />,
    },
    {
      title: '督办',
      width: 100,
      ...sortable('urgency'),
      render: (_: unknown, r: TaskView) =>
        r.escalation ? <Tag color={ESCALATION_COLORS[r.escalation]}>{r.escalationLabel}</Tag> : null,
    },
  ];
}

/** 任务台账: every task the user can see, most pressing first. */
export default function TaskListPage() {
  const [params] = useSearchParams();
  const documentId = params.get('documentId') ?? undefined;
  const list = usePaged<TaskView>('/api/tasks', { documentId });
  return (
    <Card
      title="任务台账"
      extra={
        <Space>
          <Select
            allowClear
            placeholder="状态"
            style={{ width: 120 }}
            options={Object.entries(TASK_STATUSES).map(([value, label]) => ({ value, label }))}
            onChange={(status) => list.search({ ...list.filters, status })}
          />
          <Input.Search
            placeholder="任务名称"
            allowClear
            onSearch={(q) => list.search({ ...list.filters, q })}
            style={{ width: 220 }}
          />
        </Space>
      }
    >
      <Table<TaskView>
        rowKey="id"
        size="small"
        data-testid="task-table"
        loading={list.loading}
        dataSource={list.data.items}
        pagination={list.pagination}
        columns={taskColumns((list.filters.sort as TaskSort | undefined) ?? 'urgency')}
        onChange={(_p, _f, sorter) => {
          const one = Array.isArray(sorter) ? sorter[0] : sorter;
          list.search({ ...list.filters, sort: one?.order ? String(one.columnKey) : 'created' });
        }}
      />
    </Card>
  );
}
