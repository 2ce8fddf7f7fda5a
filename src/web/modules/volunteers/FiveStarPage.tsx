import { Button, Card, Input, Modal, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import type { fiveStarView } from '../../../shared/contracts/volunteers';
import { api, type Paged } from '../../api';
import { reportError } from '../../feedback';
import { fmt } from './api';

type Item = z.infer<typeof fiveStarView>;
const STATUS: Record<string, { label: string; color: string }> = {
  applied: { label: '待评审', color: 'orange' },
  publicizing: { label: '公示中', color: 'blue' },
  awarded: { label: '已评定', color: 'green' },
  rejected: { label: '未通过', color: 'red' },
};

/** 五星志愿者评审: applications → review → 公示 for 5 working days (an objection rejects with a reason). */
export default function FiveStarPage() {
  const [items, setItems] = useState<Item[]>([]);
  const load = useCallback(async () => {
    try {
      setItems((await api.get<Paged<Item>>('/api/volunteer-five-star')).items);
    } catch (e) {
      reportError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const review = (it: Item, decision: 'approve' | 'reject') => {
    let reason = '';
    Modal.confirm({
      title: decision === 'approve' ? `同意${it.name}进入公示（5个工作日）` : `不通过：${it.name}`,
      content: decision === 'reject' && (
        <Input.TextArea
          rows={3}
          placeholder="原因（公示期异议亦在此填写）"
          onChange={(e) => (reason = e.target.value)}
        />
      ),
      onOk: async () => {
        try {
          await api.post(`/api/volunteer-five-star/${it.id}/review`, {
            version: it.version,
            decision,
            ...(reason ? { reason } : {}),
          });
          await load();
        } catch (e) {
          reportError(e);
        }
      },
    });
  };
  return (
    <Card title="五星志愿者评审">
      <Table
        rowKey="id"
        dataSource={items}
        pagination={false}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '所在组织', dataIndex: 'orgName' },
          { title: '申请时时长', dataIndex: 'hoursAtApply' },
          { title: '申请说明', dataIndex: 'statement' },
          { title: '申请时间', dataIndex: 'createdAt', render: fmt },
          {
            title: '状态',
            dataIndex: 'status',
            render: (s: string) => <Tag color={STATUS[s]?.color}>{STATUS[s]?.label ?? s}</Tag>,
          },
          { title: '公示截止', dataIndex: 'publicizeUntil', render: fmt },
          {
            title: '操作',
            render: (_, it) => (
              <Space>
                {it.status === 'applied' && (
                  <Button size="small" type="primary" onClick={() => review(it, 'approve')}>
                    同意公示
                  </Button>
                )}
                {(it.status === 'applied' || it.status === 'publicizing') && (
                  <Button size="small" danger onClick={() => review(it, 'reject')}>
                    不通过
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
