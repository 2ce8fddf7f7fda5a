import { Button, Card, Form, Input, Popconfirm, Space, Table } from 'antd';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { DateInput } from '../../components/DateInput';
import { usePaged } from '../../components/usePaged';
import { feedback, reportError } from '../../feedback';
import { formatTime } from '../../format';
import { useSession } from '../../session';
import type { NoticeView, RankRow } from './api';

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);
const rankColumns = [
  { title: '名次', dataIndex: 'rank', width: 60 },
  { title: '责任单位', dataIndex: 'orgName' },
  { title: '到期', dataIndex: 'due', width: 60 },
  { title: '按期完成', dataIndex: 'onTime', width: 80 },
  { title: '逾期完成', dataIndex: 'late', width: 80 },
  { title: '逾期', dataIndex: 'overdue', width: 60 },
  { title: '督办/挂牌', dataIndex: 'escalated', width: 80 },
  { title: '按期完成率', dataIndex: 'rate', width: 100, render: pct },
];

/** 通报排名: units ranked per period; a notice freezes it with the leader's comments (.docx/.xlsx). */
export default function NoticesPage() {
  const { me, can } = useSession();
  const [form] = Form.useForm();
  const [ranking, setRanking] = useState<{ ranking: RankRow[]; overdue: NoticeView['overdue'] } | null>(null);
  const [current, setCurrent] = useState<NoticeView | null>(null);
  const list = usePaged<NoticeView>('/api/task-notices');

  async function query() {
    const v = form.getFieldsValue();
    try {
      const r = await api.get<{
        ranking: RankRow[];
        overdue: NoticeView['overdue'];
        period: { from: string; to: string };
      }>('/api/task-rankings', { from: v.from, to: v.to });
      form.setFieldsValue(r.period);
      setRanking(r);
    } catch (e) {
      reportError(e, { form });
    }
  }
  // the last complete month to begin with (the server's default period)
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on opening
  useEffect(() => {
    void query();
  }, []);
  async function issue() {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      const n = await api.post<NoticeView>('/api/task-notices', { ...v, orgId: me!.organization.id });
      setCurrent(n);
      feedback()?.message.success('通报已发布');
      await list.reload();
    } catch (e) {
      reportError(e, { form });
    }
  }
  const shown = current ?? null;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card title="通报排名">
        <Form form={form} layout="inline" initialValues={{ title: '重点任务推进情况通报', comment: '' }}>
          <Form.Item name="from" label="自" rules={[{ required: true }]}>
            <DateInput data-testid="period-from" />
          </Form.Item>
          <Form.Item name="to" label="至" rules={[{ required: true }]}>
            <DateInput data-testid="period-to" />
          </Form.Item>
          <Button onClick={query} data-testid="rank-query">
            查询排名
          </Button>
          {can('task:supervise') && (
            <>
              <Form.Item
                name="title"
                label="通报标题"
                rules={[{ required: true }]}
                style={{ marginLeft: 16 }}
              >
                <Input style={{ width: 260 }} />
              </Form.Item>
              <Form.Item name="comment" label="领导批示">
                <Input.TextArea rows={1} style={{ width: 320 }} data-testid="notice-comment" />
              </Form.Item>
              <Popconfirm
                title="发布通报"
                description="发布后将通知被排名的单位，通报不能撤回。确定发布吗？"
                okText="发布"
                cancelText="取消"
                onConfirm={issue}
                okButtonProps={{ 'data-testid': 'notice-issue-confirm' } as Record<string, string>}
              >
                <Button type="primary" data-testid="notice-issue">
                  发布通报
                </Button>
              </Popconfirm>
            </>
          )}
        </Form>
        {ranking && (
          <Table<RankRow>
            style={{ marginTop: 12 }}
            rowKey="orgId"
            size="small"
            pagination={false}
            dataSource={ranking.ranking}
            columns={rankColumns}
            data-testid="rank-table"
          />
        )}
      </Card>
      {shown && (
        <Card
          title={shown.title}
          data-testid="notice-view"
          extra={
            <Space>
              <a href={`/api/task-notices/${shown.id}/export?format=docx`}>下载 Word</a>
              <a href={`/api/task-notices/${shown.id}/export?format=xlsx`}>下载 Excel</a>
            </Space>
          }
        >
          <p>
            {shown.org.name}　{shown.from} 至 {shown.to}
          </p>
          {shown.comment && (
            <p>
              <b>领导批示：</b>
              {shown.comment}
            </p>
          )}
          <Table<RankRow>
            rowKey="orgId"
            size="small"
            pagination={false}
            dataSource={shown.ranking}
            columns={rankColumns}
          />
          <h4 style={{ marginTop: 12 }}>逾期未完成任务（{shown.overdue.length} 项）</h4>
          {shown.overdue.map((o) => (
            <div key={o.taskId}>
              {o.orgName}：{o.title}（时限 {o.dueDate}）
            </div>
          ))}
        </Card>
      )}
      <Card title="已发布的通报">
        <Table<NoticeView>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data.items}
          pagination={list.pagination}
          columns={[
            {
              title: '标题',
              dataIndex: 'title',
              render: (t, n) => (
                <Button type="link" size="small" onClick={() => setCurrent(n)}>
                  {t}
                </Button>
              ),
            },
            { title: '期间', render: (_, n) => `${n.from} 至 ${n.to}`, width: 220 },
            { title: '发布单位', render: (_, n) => n.org.name, width: 200 },
            { title: '发布', render: (_, n) => `${n.createdBy} ${formatTime(n.createdAt)}`, width: 220 },
          ]}
        />
      </Card>
    </Space>
  );
}
