import { Card, Tabs } from 'antd';
import { useState } from 'react';
import { usePaged } from '../../components/usePaged';
import type { TransferView } from './api';
import { TransferTable } from './TransferTable';

const TABS = [
  { key: 'in', label: '待我方审批', filter: { direction: 'in', status: 'pending' } },
  { key: 'out', label: '我方转出', filter: { direction: 'out' } },
  { key: 'all', label: '全部记录', filter: {} },
];

/** 组织关系转接: incoming requests to approve, outgoing ones, and the whole history. */
export default function TransferPage() {
  const [tab, setTab] = useState('in');
  const list = usePaged<TransferView>('/api/transfers', TABS[0]!.filter);
  return (
    <Card title="组织关系转接">
      <Tabs
        activeKey={tab}
        onChange={(k) => {
          setTab(k);
          list.search(TABS.find((t) => t.key === k)!.filter);
        }}
        items={TABS.map((t) => ({ key: t.key, label: t.label }))}
      />
      <TransferTable
        items={list.data.items}
        loading={list.loading}
        onChanged={list.reload}
        pagination={list.pagination}
      />
    </Card>
  );
}
