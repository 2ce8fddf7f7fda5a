import { Alert, Button, Card, Col, Descriptions, Row, Space, Tag, Timeline, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { APPEAL_PRIORITIES, SATISFACTION } from '../../../shared/appeals/constants';
import { APPEAL_ACTIONS, type AppealAction } from '../../../shared/appeals/machine';
import { formatTrackingCode } from '../../../shared/trackingCode';
import { api } from '../../api';
import { NotFound } from '../../components/Results';
import { feedback, reportError } from '../../feedback';
import { ActionModal } from './ActionModal';
import {
  type AppealDetail,
  fmtTime,
  LIGHT_COLORS,
  LIGHT_LABELS,
  STATUS_COLORS,
  SUPERVISION_COLORS,
} from './api';

const PRIMARY: AppealAction[] = ['accept', 'dispatch', 'reply', 'visit', 'close', 'supervise'];

/** One appeal: what was asked, by whom (as far as the user may see), deadlines, history, actions. */
export default function AppealDetailPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const [a, setA] = useState<AppealDetail | null>(null);
  const [missing, setMissing] = useState(false);
  const [action, setAction] = useState<AppealAction | null>(null);
  const [revealed, setRevealed] = useState<{ name: string | null; phone: string } | null>(null);
  const load = useCallback(() => {
    api
      .get<AppealDetail>(`/api/appeals/${id}`)
      .then(setA)
      .catch((e) => {
        if (e?.status === 404) setMissing(true);
        else reportError(e);
      });
  }, [id]);
  useEffect(load, [load]);
  if (missing) return <NotFound />;
  if (!a) return <Card loading />;
  const start = async (act: AppealAction) => {
    if (['accept', 'start', 'close', 'resume'].includes(act)) {
      try {
        const r = await api.post<AppealDetail | undefined>(`/api/appeals/${a.id}/${act}`, {
          version: a.version,
        });
        feedback()?.message.success(`${APPEAL_ACTIONS[act]}成功`);
        if (r) setA(r);
        else navigate('/appeals');
      } catch (e) {
        reportError(e, { onConflict: load });
      }
    } else setAction(act);
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={
          <Space wrap>
            <span data-testid="appeal-title">{a.title}</span>
            <Tag color={STATUS_COLORS[a.status]} data-testid="appeal-status">
              {a.statusLabel}
            </Tag>
            {a.supervisionLevel > 0 && (
              <Tag
                color={SUPERVISION_COLORS[a.supervisionLevel as 1 | 2 | 3]}
                data-testid="appeal-supervision"
              >
                {a.supervisionLabel}
              </Tag>
            )}
            <Tag color={LIGHT_COLORS[a.light]}>{LIGHT_LABELS[a.light]}</Tag>
          </Space>
        }
        extra={
          <Space wrap>
            {a.abilities.actions.map((act) => (
              <Button
                key={act}
                type={PRIMARY.includes(act) ? 'primary' : 'default'}
                data-testid={`action-${act}`}
                onClick={() => void start(act)}
              >
                {APPEAL_ACTIONS[act]}
              </Button>
            ))}
          </Space>
        }
      >
        {a.extension.requestedDays !== null && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            message={`申请延期 ${a.extension.requestedDays} 个工作日：${a.extension.reason ?? ''}`}
          />
        )}
        <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} bordered>
          <Descriptions.Item label="查询码">{formatTrackingCode(a.trackingCode)}</Descriptions.Item>
          <Descriptions.Item label="优先级">
            {a.priority === 'urgent' ? (
              <Tag color="red" data-testid="appeal-priority">
                {APPEAL_PRIORITIES.urgent}
              </Tag>
            ) : (
              <span data-testid="appeal-priority">{APPEAL_PRIORITIES.normal}</span>
            )}
          </Descriptions.Item>
          <Descriptions.Item label="分类">{a.categoryName}</Descriptions.Item>
          <Descriptions.Item label="人群">{a.groupLabel}</Descriptions.Item>
          <Descriptions.Item label="渠道">{a.channelLabel}</Descriptions.Item>
          <Descriptions.Item label="事项发生地">{a.regionName}</Descriptions.Item>
          <Descriptions.Item label="办理单位">{a.orgName}</Descriptions.Item>
          <Descriptions.Item label="诉求人">
            {a.submitter.hidden ? (
              <Tag>{a.submitter.anonymous ? '匿名' : '申请保密'}</Tag>
            ) : (
              <Space>
                {revealed
                  ? `${revealed.name ?? ''} ${revealed.phone}`
                  : `${a.submitter.name ?? '（未留姓名）'} ${a.submitter.phone ?? ''}`}
                {a.abilities.reveal && !revealed && (
                  <Button
                    size="small"
                    type="link"
                    onClick={() =>
                      api
                        .post<{ name: string | null; phone: string }>(`/api/appeals/${a.id}/reveal`)
                        .then(setRevealed)
                        .catch(reportError)
                    }
                  >
                    查看完整
                  </Button>
                )}
              </Space>
            )}
          </Descriptions.Item>
          <Descriptions.Item label="受理时间">{fmtTime(a.createdAt)}</Descriptions.Item>
          <Descriptions.Item label="签收时限">{fmtTime(a.deadlines.signDueAt)}</Descriptions.Item>
          <Descriptions.Item label="办理时限">
            <span data-testid="appeal-due">{fmtTime(a.deadlines.dueAt)}</span>
            {a.extension.approvedDays > 0 && ` （已延期 ${a.extension.approvedDays} 个工作日）`}
          </Descriptions.Item>
          <Descriptions.Item label="回访时限">{fmtTime(a.deadlines.visitDueAt)}</Descriptions.Item>
          <Descriptions.Item label="满意度">
            {a.satisfaction ? SATISFACTION[a.satisfaction] : '—'}
          </Descriptions.Item>
          <Descriptions.Item label="分派依据" span={3}>
            {a.routing.reason}
          </Descriptions.Item>
          <Descriptions.Item label="诉求内容" span={3}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
              {a.content}
            </Typography.Paragraph>
          </Descriptions.Item>
          {a.reply && (
            <Descriptions.Item label="答复" span={3}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                {a.reply}
              </Typography.Paragraph>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card title="办理过程" size="small">
            <Timeline
              items={a.events.map((e) => ({
                color: e.action === 'auto_urge' || e.action === 'supervise' ? 'red' : 'blue',
                children: (
                  <div>
                    <div>
                      <b>{e.actionLabel}</b> · {e.actorName} · {fmtTime(e.at)}
                      {e.targetOrgName && ` → ${e.targetOrgName}`}
                    </div>
                    {e.note && <div style={{ color: '#555' }}>{e.note}</div>}
                    {e.files.map((f) => (
                      <div key={f.id}>
                        <a href={`/api/appeals/${a.id}/files/${f.id}`}>📎 {f.name}</a>
                      </div>
                    ))}
                  </div>
                ),
              }))}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Card title="协办" size="small">
            {a.assists.length === 0
              ? '无'
              : a.assists.map((x) => (
                  <div key={x.id} style={{ marginBottom: 8 }}>
                    <Tag color={x.status === 'done' ? 'green' : 'orange'}>
                      {x.status === 'done' ? '已答复' : '待答复'}
                    </Tag>
                    {x.orgName}：{x.request}
                    {x.reply && <div style={{ color: '#555' }}>答复：{x.reply}</div>}
                    {x.status === 'pending' && (
                      <AssistReply assistId={x.id} version={x.version} onDone={(d) => setA(d)} />
                    )}
                  </div>
                ))}
          </Card>
        </Col>
      </Row>
      <ActionModal
        appeal={a}
        action={action}
        onClose={() => setAction(null)}
        onDone={(r) => {
          feedback()?.message.success(`${APPEAL_ACTIONS[action!]}成功`);
          setAction(null);
          if (r) setA(r);
          else navigate('/appeals');
        }}
      />
    </Space>
  );
}

function AssistReply(props: { assistId: number; version: number; onDone: (a: AppealDetail) => void }) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  if (!open)
    return (
      <Button size="small" type="link" onClick={() => setOpen(true)}>
        答复协办
      </Button>
    );
  return (
    <Space.Compact style={{ width: '100%' }}>
      <input style={{ flex: 1 }} value={text} onChange={(e) => setText(e.target.value)} />
      <Button
        size="small"
        onClick={() =>
          api
            .post<AppealDetail>(`/api/appeals/assists/${props.assistId}/reply`, {
              version: props.version,
              reply: text,
            })
            .then(props.onDone)
            .catch(reportError)
        }
      >
        提交
      </Button>
    </Space.Compact>
  );
}
