import { BranchesOutlined, EditOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Progress,
  Select,
  Space,
  Spin,
  Table,
  Tag,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { CADENCES, TASK_STATUSES } from '../../../shared/tasks/constants';
import { api } from '../../api';
import { feedback, reportError } from '../../feedback';
import { ESCALATION_COLORS, type EventView, STATUS_COLORS, type TaskDetail } from './api';
import { ReportForm } from './ReportForm';
import { ReportsCard } from './ReportsCard';
import { SplitModal } from './SplitModal';
import { TaskEditDrawer } from './TaskEditDrawer';
import { TimelineCard } from './TimelineCard';

type Child = TaskDetail['children'][number];

/** A task: what, who, when; edit, split, reports with attachments, supervision and the work log. */
export default function TaskDetailPage() {
  const { id } = useParams();
  const [t, setT] = useState<TaskDetail | null>(null);
  const [events, setEvents] = useState<EventView[]>([]);
  const [editing, setEditing] = useState(false);
  const [splitting, setSplitting] = useState(false);
  const [escForm] = Form.useForm();

  const load = useCallback(async () => {
    try {
      const [task, tl] = await Promise.all([
        api.get<TaskDetail>(`/api/tasks/${id}`),
        api.get<{ items: EventView[] }>(`/api/tasks/${id}/timeline`),
      ]);
      setT(task);
      setEvents(tl.items);
    } catch (e) {
      reportError(e);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  async function escalate(v: { level: string; reason: string }) {
    try {
      await api.post(`/api/tasks/${id}/escalate`, { ...v, version: t!.version });
      feedback()?.message.success('已督办');
      escForm.resetFields();
      await load();
    } catch (e) {
      reportError(e, { form: escForm, onConflict: load });
    }
  }
  function act(action: 'pause' | 'resume' | 'reopen', label: string) {
    let reason = '';
    Modal.confirm({
      title: `${label}：请填写理由`,
      content: (
        <Input.TextArea
          rows={3}
          onChange={(e) => {
            reason = e.target.value;
          }}
          data-testid="act-reason"
        />
      ),
      onOk: async () => {
        try {
          await api.post(`/api/tasks/${id}/actions/${action}`, { version: t!.version, reason });
          await load();
        } catch (e) {
          reportError(e, { onConflict: load });
          throw e;
        }
      },
    });
  }

  if (!t) return <Spin style={{ display: 'block', margin: '20vh auto' }} />;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={<span data-testid="task-title">{t.title}</span>}
        extra={
          <Space wrap>
            <Tag color={STATUS_COLORS[t.status]} data-testid="task-status">
              {t.statusLabel}
            </Tag>
            {t.escalation > 0 && (
              <Tag color={ESCALATION_COLORS[t.escalation]} data-testid="task-escalation">
                {t.escalationLabel}
              </Tag>
            )}
            {t.abilities.update && (
              <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="task-edit-open">
                修改
              </Button>
            )}
            {t.abilities.split && (
              <Button
                icon={<BranchesOutlined />}
                onClick={() => setSplitting(true)}
                data-testid="task-split-open"
              >
                分解
              </Button>
            )}
            {t.abilities.pause && <Button onClick={() => act('pause', '暂缓')}>暂缓</Button>}
            {t.abilities.resume && <Button onClick={() => act('resume', '恢复推进')}>恢复推进</Button>}
            {t.abilities.reopen && <Button onClick={() => act('reopen', '重新打开')}>重新打开</Button>}
          </Space>
        }
      >
        <Descriptions size="small" column={3} bordered data-testid="task-info">
          <Descriptions.Item label="牵头单位">{t.lead.map((o) => o.name).join('、')}</Descriptions.Item>
          <Descriptions.Item label="配合单位">{t.co.map((o) => o.name).join('、') || '—'}</Descriptions.Item>
          <Descriptions.Item label="部署单位">{t.owner.name}</Descriptions.Item>
          <Descriptions.Item label="责任领导">{t.leader ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="责任人">{t.ownerPerson ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="承办人">{t.handler ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="完成时限">
            <span data-testid="task-due">{t.dueDate ?? t.deadlineText ?? '不定期'}</span>
          </Descriptions.Item>
          <Descriptions.Item label="报送频次">{CADENCES[t.cadence]}</Descriptions.Item>
          <Descriptions.Item label="下次报送">{t.nextReportDue ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="进度" span={3}>
            <Space>
              <Progress
                percent={t.progress}
                size="small"
                style={{ width: 200 }}
                data-testid="task-progress"
              />
              {t.children.length > 0 && (
                <span style={{ color: '#888' }}>（由 {t.children.length} 项子任务汇总）</span>
              )}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label="目标" span={3}>
            {t.targets.length
              ? t.targets.map((x) => (
                  <Tag key={x} data-testid="task-target">
                    {x}
                  </Tag>
                ))
              : '—'}
          </Descriptions.Item>
          <Descriptions.Item label="工作节点" span={3}>
            {t.milestones.length ? (
              <Space direction="vertical" size={2} data-testid="task-milestones">
                {t.milestones.map((m) => (
                  <span key={m.id}>
                    {m.done ? <Tag color="success">已完成</Tag> : <Tag>未完成</Tag>}
                    {m.title}
                    {m.dueDate ? `（${m.dueDate}前）` : ''}
                  </span>
                ))}
              </Space>
            ) : (
              '—'
            )}
          </Descriptions.Item>
          {t.escalationReason && (
            <Descriptions.Item label="督办理由" span={3}>
              {t.escalationReason}
            </Descriptions.Item>
          )}
          <Descriptions.Item label="原文" span={3}>
            {t.content || '—'}
            {t.document && (
              <div>
                <Link to={`/tasks/docs/${t.document.id}/review`}>
                  来源：{t.document.title}
                  {t.document.docNo ? `（${t.document.docNo}）` : ''}
                </Link>
              </div>
            )}
            {t.parentId && (
              <div>
                <Link to={`/tasks/${t.parentId}`}>查看上级任务</Link>
              </div>
            )}
          </Descriptions.Item>
        </Descriptions>
        {t.children.length > 0 && (
          <Table<Child>
            style={{ marginTop: 12 }}
            title={() => <b>分解的子任务</b>}
            rowKey="id"
            size="small"
            data-testid="task-children"
            dataSource={t.children}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            columns={[
              { title: '子任务', render: (_: unknown, c) => <Link to={`/tasks/${c.id}`}>{c.title}</Link> },
              {
                title: '牵头单位',
                width: 220,
                render: (_: unknown, c) => c.lead.map((o) => o.name).join('、'),
              },
              { title: '完成时限', dataIndex: 'dueDate', width: 110, render: (d: string | null) => d ?? '—' },
              {
                title: '状态',
                width: 90,
                render: (_: unknown, c) => (
                  <Tag color={STATUS_COLORS[c.status]}>{TASK_STATUSES[c.status]}</Tag>
                ),
              },
              {
                title: '进度',
                width: 160,
                render: (_: unknown, c) => <Progress percent={c.progress} size="small" />,
              },
            ]}
          />
        )}
      </Card>
      <Space align="start" style={{ width: '100%' }} wrap>
        {t.abilities.report && <ReportForm key={t.version} task={t} onDone={load} />}
        {t.abilities.supervise && (
          <Card title="督办" size="small" style={{ width: 380 }} data-testid="escalate-form">
            <Form form={escForm} layout="vertical" onFinish={escalate}>
              <Form.Item name="level" label="级别" rules={[{ required: true, message: '请选择级别' }]}>
                <Select
                  options={[
                    { value: 'urge', label: '催办' },
                    { value: 'supervise', label: '督办' },
                    { value: 'list', label: '挂牌督办' },
                  ]}
                />
              </Form.Item>
              <Form.Item
                name="reason"
                label="理由"
                rules={[{ required: true, min: 2, message: '请填写理由' }]}
              >
                <Input.TextArea rows={2} />
              </Form.Item>
              <Button type="primary" danger htmlType="submit">
                督办
              </Button>
            </Form>
          </Card>
        )}
      </Space>
      {t.reports.length > 0 && <ReportsCard task={t} />}
      <TimelineCard events={events} />
      {t.abilities.update && (
        <TaskEditDrawer task={t} open={editing} onClose={() => setEditing(false)} onSaved={load} />
      )}
      {t.abilities.split && (
        <SplitModal task={t} open={splitting} onClose={() => setSplitting(false)} onDone={load} />
      )}
    </Space>
  );
}
