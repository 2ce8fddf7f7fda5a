import {
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api } from '../../api';
import { feedback, reportError } from '../../feedback';
import { formatTime } from '../../format';
import { ESCALATION_COLORS, type EventView, STATUS_COLORS, type TaskDetail } from './api';

/** A task: what, who, when; its reports, supervision and the timeline of every action. */
export default function TaskDetailPage() {
  const { id } = useParams();
  const [t, setT] = useState<TaskDetail | null>(null);
  const [events, setEvents] = useState<EventView[]>([]);
  const [reportForm] = Form.useForm();
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

  async function report(v: { percent: number; content: string }) {
    try {
      await api.post(`/api/tasks/${id}/reports`, { ...v, version: t!.version });
      feedback()?.message.success('进展已报送');
      reportForm.resetFields();
      await load();
    } catch (e) {
      reportError(e, { form: reportForm, onConflict: load });
    }
  }
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
          <Space>
            <Tag color={STATUS_COLORS[t.status]} data-testid="task-status">
              {t.statusLabel}
            </Tag>
            {t.escalation > 0 && (
              <Tag color={ESCALATION_COLORS[t.escalation]} data-testid="task-escalation">
                {t.escalationLabel}
              </Tag>
            )}
            {t.abilities.pause && <Button onClick={() => act('pause', '暂缓')}>暂缓</Button>}
            {t.abilities.resume && <Button onClick={() => act('resume', '恢复推进')}>恢复推进</Button>}
            {t.abilities.reopen && <Button onClick={() => act('reopen', '重新打开')}>重新打开</Button>}
          </Space>
        }
      >
        <Descriptions size="small" column={3} bordered>
          <Descriptions.Item label="牵头单位">{t.lead.map((o) => o.name).join('、')}</Descriptions.Item>
          <Descriptions.Item label="配合单位">{t.co.map((o) => o.name).join('、') || '—'}</Descriptions.Item>
          <Descriptions.Item label="部署单位">{t.owner.name}</Descriptions.Item>
          <Descriptions.Item label="责任领导">{t.leader ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="责任人">{t.ownerPerson ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="承办人">{t.handler ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="完成时限">{t.dueDate ?? t.deadlineText ?? '不定期'}</Descriptions.Item>
          <Descriptions.Item label="下次报送">{t.nextReportDue ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="进度">
            <Progress percent={t.progress} size="small" style={{ width: 160 }} />
          </Descriptions.Item>
          <Descriptions.Item label="目标" span={3}>
            {t.targets.map((x) => (
              <Tag key={x}>{x}</Tag>
            ))}
          </Descriptions.Item>
          {t.escalationReason && (
            <Descriptions.Item label="督办理由" span={3}>
              {t.escalationReason}
            </Descriptions.Item>
          )}
          <Descriptions.Item label="原文" span={3}>
            {t.content}
            {t.document && (
              <div>
                <Link to={`/tasks/docs/${t.document.id}/review`}>
                  来源：{t.document.title}
                  {t.document.docNo ? `（${t.document.docNo}）` : ''}
                </Link>
              </div>
            )}
          </Descriptions.Item>
        </Descriptions>
        {t.children.length > 0 && (
          <Card size="small" title="分解的子任务" style={{ marginTop: 12 }}>
            {t.children.map((c) => (
              <div key={c.id}>
                <Link to={`/tasks/${c.id}`}>{c.title}</Link>　{c.lead.map((o) => o.name).join('、')}　
                {c.progress}%
              </div>
            ))}
          </Card>
        )}
      </Card>
      <Space align="start" style={{ width: '100%' }} wrap>
        {t.abilities.report && (
          <Card title="报送进展" size="small" style={{ width: 420 }} data-testid="report-form">
            <Form
              form={reportForm}
              layout="vertical"
              onFinish={report}
              initialValues={{ percent: t.progress }}
            >
              <Form.Item name="percent" label="完成进度（%）" rules={[{ required: true }]}>
                <InputNumber min={0} max={100} style={{ width: 120 }} data-testid="report-percent" />
              </Form.Item>
              <Form.Item
                name="content"
                label="进展情况"
                rules={[{ required: true, min: 2, message: '请填写进展情况' }]}
              >
                <Input.TextArea rows={3} data-testid="report-content" />
              </Form.Item>
              <Button type="primary" htmlType="submit" data-testid="report-submit">
                报送
              </Button>
            </Form>
          </Card>
        )}
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
        <Card title="工作日志（全程留痕）" size="small" style={{ minWidth: 420 }} data-testid="task-timeline">
          <Timeline
            items={events.map((e) => ({
              key: e.id,
              children: (
                <div>
                  <b>{e.actionLabel}</b>　{e.actorName}
                  {e.org ? `（${e.org.name}）` : ''}　
                  <span style={{ color: '#999' }}>{formatTime(e.at)}</span>
                  {e.note && <div>{e.note}</div>}
                </div>
              ),
            }))}
          />
        </Card>
      </Space>
      {t.reports.length > 0 && (
        <Card title="进展报送记录" size="small">
          {t.reports.map((r) => (
            <div key={r.id} style={{ marginBottom: 8 }}>
              <b>{r.org.name}</b>　{r.userName}　{formatTime(r.createdAt)}　<Tag>{r.percent}%</Tag>
              <div>{r.content}</div>
              {r.files.map((f) => (
                <a key={f.id} href={`/api/tasks/${t.id}/files/${f.id}`}>
                  {f.name}　
                </a>
              ))}
            </div>
          ))}
        </Card>
      )}
    </Space>
  );
}
