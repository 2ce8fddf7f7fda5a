import { PaperClipOutlined } from '@ant-design/icons';
import { Card, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { formatTime } from '../../format';
import type { ReportView, TaskDetail } from './api';

const size = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;

/** 进展报送记录 with their attachments (download links), filtered by unit. */
export function ReportsCard({ task }: { task: TaskDetail }) {
  const [org, setOrg] = useState<number | undefined>();
  const orgs = [...new Map(task.reports.map((r) => [r.org.id, r.org.name])).entries()];
  const shown = org ? task.reports.filter((r) => r.org.id === org) : task.reports;
  const fileCount = task.reports.reduce((n, r) => n + r.files.length, 0);
  return (
    <Card
      title={`进展报送记录（${task.reports.length} 次，附件 ${fileCount} 个）`}
      size="small"
      data-testid="report-list"
      extra={
        <Select
          allowClear
          placeholder="报送单位"
          style={{ width: 200 }}
          value={org}
          onChange={setOrg}
          options={orgs.map(([value, label]) => ({ value, label }))}
        />
      }
    >
      <Table<ReportView>
        rowKey="id"
        size="small"
        dataSource={shown}
        pagination={{ pageSize: 10, showTotal: (t) => `共 ${t} 条`, hideOnSinglePage: true }}
        columns={[
          { title: '报送时间', width: 150, render: (_: unknown, r) => formatTime(r.createdAt) },
          { title: '报送单位', width: 180, render: (_: unknown, r) => r.org.name },
          { title: '报送人', dataIndex: 'userName', width: 100 },
          { title: '进度', width: 70, render: (_: unknown, r) => <Tag>{r.percent}%</Tag> },
          { title: '进展情况', dataIndex: 'content' },
          {
            title: '附件',
            width: 260,
            render: (_: unknown, r) => (
              <Space direction="vertical" size={0}>
                {r.files.map((f) => (
                  <a key={f.id} href={`/api/tasks/${task.id}/files/${f.id}`} data-testid="report-file">
                    <PaperClipOutlined /> {f.name}（{size(f.size)}）
                  </a>
                ))}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
