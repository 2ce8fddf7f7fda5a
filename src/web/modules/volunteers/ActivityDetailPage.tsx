import {
  Button,
  Card,
  Descriptions,
  Image,
  Input,
  InputNumber,
  Modal,
  QRCode,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { ApiError, api, CSRF_COOKIE, type Paged, readCookie } from '../../api';
import { feedback, reportError } from '../../feedback';
import { useSession } from '../../session';
import { type ActivityView, type CheckinCode, fmt, PHASES, type SignupView } from './api';

/** The organizer's screen for one shift: the rotating QR code (renewed every 20 s) and the 6-digit code. */
function CheckinScreen({ shiftId, onClose }: { shiftId: number; onClose: () => void }) {
  const [code, setCode] = useState<CheckinCode | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      api
        .get<CheckinCode>(`/api/activity-shifts/${shiftId}/checkin`)
        .then((c) => live && setCode(c))
        .catch(reportError);
    void load();
    const t = setInterval(load, 20_000);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [shiftId]);
  return (
    <Modal open title="扫码签到 / 签退" onCancel={onClose} footer={null}>
      {code && (
        <Space direction="vertical" align="center" style={{ width: '100%' }}>
          <QRCode value={`${window.location.origin}${code.url}`} size={260} />
          <Typography.Text type="secondary">二维码每分钟更新，截图无效</Typography.Text>
          <Typography.Title level={2} data-testid="checkin-code6">
            {code.code6}
          </Typography.Title>
          <span data-testid="checkin-url" data-url={code.url} style={{ display: 'none' }} />
        </Space>
      )}
    </Modal>
  );
}

/** 活动详情: shifts, the roster with approval and attendance, check-in codes, closing. */
export default function ActivityDetailPage() {
  const id = Number(useParams().id);
  const { can } = useSession();
  const [a, setA] = useState<ActivityView | null>(null);
  const [roster, setRoster] = useState<SignupView[]>([]);
  const [screen, setScreen] = useState<number | null>(null);
  const write = can('activity:write');
  const [stats, setStats] = useState<{
    signedIn: number;
    noShow: number;
    farFlagged: number;
    hours: number;
    volunteersWithHours: number;
  } | null>(null);

  const load = useCallback(async () => {
    try {
      setA(await api.get<ActivityView>(`/api/activities/${id}`));
      setRoster((await api.get<Paged<SignupView>>(`/api/activities/${id}/signups`)).items);
      setStats(await api.get(`/api/activities/${id}/stats`));
    } catch (e) {
      reportError(e);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (g: SignupView, action: string, extra: object = {}) => {
    try {
      await api.post(`/api/activity-signups/${g.id}/actions/${action}`, { version: g.version, ...extra });
      feedback()?.message.success('已完成');
      await load();
    } catch (e) {
      reportError(e);
    }
  };

  const backfill = (g: SignupView) => {
    let hours = 1;
    let reason = '';
    Modal.confirm({
      title: `补录时长：${g.name}`,
      content: (
        <Space direction="vertical">
          <InputNumber
            min={0.25}
            max={24}
            step={0.25}
            defaultValue={1}
            onChange={(v) => (hours = Number(v))}
            addonAfter="小时"
          />
          <Input placeholder="补录原因（必填）" onChange={(e) => (reason = e.target.value)} />
        </Space>
      ),
      onOk: () => act(g, 'backfill', { hours, reason }),
    });
  };

  const close = () => {
    let summary = '';
    Modal.confirm({
      title: '活动结项',
      content: (
        <Input.TextArea
          rows={4}
          placeholder="活动总结（必填）"
          onChange={(e) => (summary = e.target.value)}
          data-testid="close-summary"
        />
      ),
      onOk: async () => {
        try {
          await api.post(`/api/activities/${id}/actions/close`, { version: a!.version, summary });
          await load();
        } catch (e) {
          reportError(e);
        }
      },
    });
  };

  const upload = async (file: File) => {
    try {
      const res = await fetch(`/api/activities/${id}/photos`, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {
          'content-type': 'application/octet-stream',
          'x-csrf-token': readCookie(CSRF_COOKIE) ?? '',
        },
        body: file,
      });
      const data = await res.json().catch(() => undefined);
      if (!res.ok)
        throw new ApiError(
          res.status,
          data?.error?.code ?? 'INTERNAL',
          data?.error?.message ?? res.statusText,
        );
      await load();
    } catch (e) {
      reportError(e);
    }
  };

  const message = () => {
    let body = '';
    Modal.confirm({
      title: '给已录用的志愿者发短信',
      content: <Input.TextArea rows={3} maxLength={300} onChange={(e) => (body = e.target.value)} />,
      onOk: async () => {
        try {
          const r = await api.post<{ recipients: number }>(`/api/activities/${id}/message`, { body });
          feedback()?.message.success(`已发送给${r.recipients}人`);
        } catch (e) {
          reportError(e);
        }
      },
    });
  };

  if (!a) return <Card loading />;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        title={a.title}
        extra={
          <Space>
            <Tag color={PHASES[a.phase].color}>{PHASES[a.phase].label}</Tag>
            {write && a.status === 'published' && <Button onClick={message}>群发短信</Button>}
            {write && a.phase === 'ended' && <Button onClick={close}>结项</Button>}
          </Space>
        }
      >
        <Descriptions column={{ xs: 1, md: 3 }} size="small">
          <Descriptions.Item label="类别">{a.kindLabel}</Descriptions.Item>
          <Descriptions.Item label="主办">{a.orgName}</Descriptions.Item>
          <Descriptions.Item label="地点">{a.address || '—'}</Descriptions.Item>
          <Descriptions.Item label="招募">{`${fmt(a.recruitFrom)} ~ ${fmt(a.recruitUntil)}`}</Descriptions.Item>
          <Descriptions.Item label="报名/名额">{`${a.signedUp}/${a.capacity}`}</Descriptions.Item>
          <Descriptions.Item label="年龄要求">
            {a.minAge != null ? `${a.minAge}周岁以上` : '不限'}
          </Descriptions.Item>
          {stats && (
            <Descriptions.Item label="参与">
              {`签到${stats.signedIn}人 · 缺席${stats.noShow}人 · 定位异常${stats.farFlagged}人 · 时长${stats.hours}小时`}
            </Descriptions.Item>
          )}
          {a.summary && <Descriptions.Item label="总结">{a.summary}</Descriptions.Item>}
        </Descriptions>
        <Table
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={a.shifts}
          columns={[
            { title: '班次', dataIndex: 'seq', render: (s: number) => `第${s}班次` },
            { title: '开始', dataIndex: 'startsAt', render: fmt },
            { title: '结束', dataIndex: 'endsAt', render: fmt },
            { title: '报名/名额', render: (_, s) => `${s.signedUp}/${s.capacity}（候补${s.waitlisted}）` },
            {
              title: '签到',
              render: (_, s) =>
                write && (
                  <Button
                    size="small"
                    onClick={() => setScreen(s.id)}
                    data-testid={`checkin-screen-${s.seq}`}
                  >
                    签到二维码
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <Card title="报名名单">
        <Table
          rowKey="id"
          size="small"
          dataSource={roster}
          pagination={false}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '身份证号', dataIndex: 'idMask' },
            { title: '手机', dataIndex: 'phoneMask' },
            { title: '班次', dataIndex: 'shiftSeq', render: (s: number) => `第${s}班次` },
            {
              title: '状态',
              dataIndex: 'statusLabel',
              render: (l: string, g) => <Tag data-testid={`signup-status-${g.id}`}>{l}</Tag>,
            },
            { title: '签到', dataIndex: 'signedInAt', render: fmt },
            { title: '签退', dataIndex: 'signedOutAt', render: fmt },
            { title: '时长', dataIndex: 'hours' },
            {
              title: '标记',
              render: (_, g) => (
                <>
                  {g.farFlag && <Tag color="orange">{g.farMeters ? `距现场${g.farMeters}米` : '无定位'}</Tag>}
                  {g.noShow && <Tag color="red">缺席</Tag>}
                </>
              ),
            },
            {
              title: '操作',
              render: (_, g) =>
                write && (
                  <Space size={4} wrap>
                    {g.status === 'pending' && (
                      <>
                        <Button
                          size="small"
                          type="primary"
                          onClick={() => act(g, 'approve')}
                          data-testid={`approve-${g.id}`}
                        >
                          录用
                        </Button>
                        <Button size="small" onClick={() => act(g, 'reject')}>
                          不录用
                        </Button>
                      </>
                    )}
                    {g.status === 'approved' && !g.signedInAt && !g.noShow && (
                      <Button size="small" onClick={() => act(g, 'sign-in')}>
                        代签到
                      </Button>
                    )}
                    {g.signedInAt && !g.signedOutAt && (
                      <Button size="small" onClick={() => act(g, 'sign-out')}>
                        代签退
                      </Button>
                    )}
                    {g.status === 'approved' && !g.signedInAt && !g.noShow && (
                      <Button size="small" onClick={() => act(g, 'no-show')}>
                        记缺席
                      </Button>
                    )}
                    {g.status === 'approved' && g.hours === 0 && (
                      <Button size="small" onClick={() => backfill(g)}>
                        补录
                      </Button>
                    )}
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <Card
        title="活动照片"
        extra={
          write && (
            <input
              type="file"
              accept="image/jpeg,image/png"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void upload(f);
                e.target.value = '';
              }}
            />
          )
        }
      >
        <Image.PreviewGroup>
          <Space wrap>
            {a.photos.map((h) => (
              <Image
                key={h}
                width={120}
                height={90}
                style={{ objectFit: 'cover' }}
                src={`/api/activities/${id}/photos/${h}`}
              />
            ))}
          </Space>
        </Image.PreviewGroup>
        {a.photos.length === 0 && <Typography.Text type="secondary">暂无照片</Typography.Text>}
      </Card>
      {screen && <CheckinScreen shiftId={screen} onClose={() => setScreen(null)} />}
    </Space>
  );
}
