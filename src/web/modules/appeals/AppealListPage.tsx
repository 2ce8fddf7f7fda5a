import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Input, Select, Space, Tabs, TreeSelect } from 'antd';
import { useEffect, useState } from 'react';
import { withQuery } from '../../api';
import { usePaged } from '../../components/usePaged';
import { useSession } from '../../session';
import { type AppealSort, AppealTable } from './AppealTable';
import { type AppealListItem, appealConfig, type CategoryNode, categoryTree } from './api';

const HANDLER_TABS = [
  { key: 'todo', label: '待签收', filter: { status: 'dispatched' } },
  { key: 'doing', label: '办理中', filter: { status: 'accepted,handling,suspended' } },
  { key: 'pending', label: '待派单', filter: { status: 'pending_dispatch' } },
  { key: 'visit', label: '待回访', filter: { status: 'replied' } },
  { key: 'all', label: '全部', filter: {} },
];
const SUPERVISOR_TABS = [
  { key: 'overdue', label: '超期未办结', filter: { overdue: 'true' } },
  { key: 'urged', label: '催办/督办中', filter: { supervision: 1 } },
  { key: 'listed', label: '挂牌督办', filter: { supervision: 3 } },
  { key: 'unsatisfied', label: '已回访待办结', filter: { status: 'visited' } },
  { key: 'all', label: '全部', filter: {} },
];

/** 诉求办理 (handler queue) and 督办队列 (supervisor queue): tabs of filters over one search. */
export function AppealQueue({ mode }: { mode: 'handler' | 'supervisor' }) {
  const tabs = mode === 'handler' ? HANDLER_TABS : SUPERVISOR_TABS;
  const { can } = useSession();
  const [tab, setTab] = useState(tabs[0]!.key);
  const [extra, setExtra] = useState<Record<string, string | undefined>>({});
  const [cats, setCats] = useState<CategoryNode[]>([]);
  const list = usePaged<AppealListItem>('/api/appeals', tabs[0]!.filter);
  useEffect(() => {
    appealConfig()
      .then((c) => setCats(c.categories))
      .catch(() => {});
  }, []);
  const apply = (key: string, more: Record<string, string | undefined>) => {
    setTab(key);
    setExtra(more);
    list.search({ ...tabs.find((t) => t.key === key)!.filter, ...more });
  };
  const exportUrl = withQuery('/api/appeals/export', list.filters as Record<string, string>);
  return (
    <Card
      title={mode === 'handler' ? '诉求办理' : '督办队列'}
      extra={
        <Space wrap>
          <TreeSelect
            allowClear
            showSearch
            treeNodeFilterProp="title"
            placeholder="分类"
            style={{ width: 160 }}
            treeData={categoryTree(cats)}
            onChange={(categoryCode?: string) => apply(tab, { ...extra, categoryCode })}
          />
          <Select
            allowClear
            placeholder="优先级"
            style={{ width: 100 }}
            data-testid="appeal-priority-filter"
            options={[
              { value: 'urgent', label: '紧急' },
              { value: 'normal', label: '一般' },
            ]}
            onChange={(priority?: string) => apply(tab, { ...extra, priority })}
          />
          <Select
            allowClear
            placeholder="时限"
            style={{ width: 100 }}
            options={[
              { value: 'red', label: '超期' },
              { value: 'yellow', label: '临期' },
              { value: 'green', label: '正常' },
            ]}
            onChange={(light?: string) => apply(tab, { ...extra, light })}
          />
          <Input.Search
            allowClear
            placeholder="内容、答复或查询码（支持繁体）"
            style={{ width: 260 }}
            data-testid="appeal-search"
            onSearch={(q) => apply(tab, { ...extra, q })}
          />
          <Button icon={<DownloadOutlined />} href={exportUrl} disabled={!can('appeal:read')}>
            导出 Excel
          </Button>
        </Space>
      }
    >
      <Tabs
        activeKey={tab}
        items={tabs.map((t) => ({ key: t.key, label: t.label }))}
        onChange={(k) => apply(k, extra)}
      />
      <AppealTable
        items={list.data.items}
        loading={list.loading}
        pagination={list.pagination}
        sort={(extra.sort as AppealSort | undefined) ?? 'created'}
        onSort={(sort) => apply(tab, { ...extra, sort: sort === 'created' ? undefined : sort })}
      />
    </Card>
  );
}

export default function AppealListPage() {
  return <AppealQueue mode="handler" />;
}
