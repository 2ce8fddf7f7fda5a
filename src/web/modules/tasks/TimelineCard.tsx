import { Card, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { TASK_STATUSES, type TaskStatus } from '../../../shared/tasks/constants';
import { formatTime } from '../../format';
import { type EventView, STATUS_COLORS } from './api';

const FIELD_LABELS: Record<string, string> = {
  title: '任务名称',
  content: '任务内容',
  leadOrgIds: '牵头单位',
  coOrgIds: '配合单位',
  leader: '责任领导',
  ownerPerson: '责任人',
  handler: '承办人',
  targets: '目标',
  milestones: '工作节点',
  dueDate: '完成时限',
  cadence: '报送频次',
};
/** 修改了：责任人、承办人 — from the event data of an edit. */
function changedOf(data: unknown): string {
  const changed = (data as { changed?: string[] } | null)?.changed;
  return changed?.length ? `修改了：${changed.map((k) => FIELD_LABELS[k] ?? k).join('、')}` : '';
}
const statusLabel = (s: string | null) => (s ? (TASK_STATUSES[s as TaskStatus] ?? s) : '');

/** 工作日志（全程留痕）: every action on the task — what, who, for which unit, when, the status it moved. */
export function TimelineCard({ events }: { events: EventView[] }) {
  const [action, setAction] = useState<string | undefined>();
  const actions = [...new Map(events.map((e) => [e.action, e.actionLabel])).entries()];
  const shown = action ? events.filter((e) => e.action === action) : events;
  return (
    <Card
      title={`工作日志（全程留痕，${events.length} 条）`}
      size="small"
      data-testid="task-timeline"
      extra={
        <Space>
          <Select
            allowClear
            placeholder="操作类型"
            style={{ width: 160 }}
            value={action}
            onChange={setAction}
            options={actions.map(([value, label]) => ({ value, label }))}
          />
        </Space>
      }
    >
      <Table<EventView>
        rowKey="id"
        size="small"
        dataSource={shown}
        pagination={{
          defaultPageSize: 20,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (t) => `共 ${t} 条`,
          hideOnSinglePage: true,
        }}
        columns={[
          { title: '时间', width: 150, render: (_: unknown, e) => formatTime(e.at) },
          { title: '操作', width: 130, render: (_: unknown, e) => <Tag color="blue">{e.actionLabel}</Tag> },
          { title: '操作人', dataIndex: 'actorName', width: 110 },
          { title: '单位', width: 180, render: (_: unknown, e) => e.org?.name ?? '—' },
          {
            title: '状态',
            width: 150,
            render: (_: unknown, e) =>
              e.toStatus && e.toStatus !== e.fromStatus ? (
                <span>
                  {e.fromStatus ? `${statusLabel(e.fromStatus)} → ` : ''}
                  <Tag color={STATUS_COLORS[e.toStatus]}>{statusLabel(e.toStatus)}</Tag>
                </span>
              ) : (
                '—'
              ),
          },
          {
            title: '说明',
            render: (_: unknown, e) => {
              const child = (e.data as { childId?: number } | null)?.childId;
              const changed = changedOf(e.data);
              return (
                <span>
                  {e.note ?? ''}
                  {changed && (e.note ? `（${changed}）` : changed)}
                  {child ? (
                    <>
                      {' '}
                      <Link to={`/tasks/${child}`}>查看子任务</Link>
                    </>
                  ) : null}
                </span>
              );
            },
          },
        ]}
      />
    </Card>
  );
}
