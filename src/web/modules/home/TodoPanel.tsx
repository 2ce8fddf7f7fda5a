import { Badge, Card, Empty, List, Segmented, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import type { TodoItemView, TodoResponse } from '../../../shared/contracts/inbox';
import { api } from '../../api';
import { formatTime } from '../../format';
import { useI18n } from '../../i18n';
import { useLive } from '../../live';

const LEVEL_COLOR = { overdue: 'red', warning: 'orange', normal: 'green' } as const;

/**
 * 我的待办: the user's items from every module (`GET /api/me/todo`), sorted by urgency
 * (紧急, 已超时, 即将超时, then the earliest due), with a count per kind that filters the
 * list. Reloaded live when the user's notices change.
 */
export function TodoPanel() {
  const { m } = useI18n();
  const [data, setData] = useState<TodoResponse | null>(null);
  const [kind, setKind] = useState<string>('all');

  const load = useCallback(() => {
    api
      .get<TodoResponse>('/api/me/todo')
      .then(setData)
      .catch(() => {});
  }, []);
  useEffect(load, [load]);
  useLive(load);

  const label = (k: string) => m.inbox.kinds[k] ?? k;
  const kinds = useMemo(() => Object.entries(data?.counts ?? {}).filter(([, n]) => n > 0), [data]);
  const items: TodoItemView[] = (data?.items ?? []).filter((i) => kind === 'all' || i.kind === kind);
  const count = (f: (i: TodoItemView) => boolean) => (data?.items ?? []).filter(f).length;

  return (
    <Card
      title={
        <Space wrap>
          <span>{m.inbox.title}</span>
          <Badge
            status="processing"
            text={<Typography.Text type="secondary">{m.inbox.live}</Typography.Text>}
          />
        </Space>
      }
      extra={
        data && (
          <Space size={4} wrap data-testid="todo-summary">
            <Tag color="red">
              {m.inbox.urgent} {count((i) => !!i.urgent)}
            </Tag>
            <Tag color="red">
              {m.inbox.overdue} {count((i) => i.level === 'overdue')}
            </Tag>
            <Tag color="orange">
              {m.inbox.warning} {count((i) => i.level === 'warning')}
            </Tag>
          </Space>
        )
      }
      data-testid="todo-panel"
    >
      {kinds.length > 0 && (
        <div style={{ overflowX: 'auto', marginBottom: 12 }}>
          <Segmented
            value={kind}
            onChange={(v) => setKind(String(v))}
            options={[
              { value: 'all', label: `${m.inbox.all} ${data?.items.length ?? 0}` },
              ...kinds.map(([k, n]) => ({
                value: k,
                label: <span data-testid={`todo-count-${k}`}>{`${label(k)} ${n}`}</span>,
              })),
            ]}
          />
        </div>
      )}
      {data && items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={m.inbox.empty} />
      ) : (
        <List
          size="small"
          loading={!data}
          dataSource={items.slice(0, 100)}
          data-testid="todo-list"
          renderItem={(i) => (
            <List.Item
              key={`${i.kind}:${i.id}`}
              data-testid="todo-item"
              data-kind={i.kind}
              data-href={i.href}
              data-urgent={i.urgent ? 'true' : 'false'}
            >
              <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', width: '100%' }}>
                {i.urgent && <Tag color="red">{m.inbox.urgent}</Tag>}
                <Tag>{label(i.kind)}</Tag>
                <Link to={i.href} style={{ flex: '1 1 240px', minWidth: 0, overflowWrap: 'anywhere' }}>
                  {i.title}
                </Link>
                <Space size={4}>
                  <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                    {i.dueAt ? formatTime(i.dueAt) : m.inbox.noDue}
                  </Typography.Text>
                  <Tag color={LEVEL_COLOR[i.level]}>{m.inbox[i.level]}</Tag>
                </Space>
              </div>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
