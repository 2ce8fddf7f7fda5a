import { Alert, Button, Card, Empty, Input, List, Result, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { api } from '../api';
import { type Checkin, Header, type Mine, msg, page, passes, type Verify, when } from './common';

export function CheckinPage() {
  const [params] = useSearchParams();
  const token = params.get('t') ?? undefined;
  const [code, setCode] = useState('');
  const [result, setResult] = useState<Checkin | null>(null);
  const [error, setError] = useState<string | null>(null);
  const post = async (action: 'in' | 'out') => {
    const all = passes();
    if (all.length === 0) return setError('本机没有报名记录，请先在本机报名');
    const pos = await new Promise<{ lat?: number; lng?: number }>((resolve) => {
      if (!navigator.geolocation) return resolve({});
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ lat: p.coords.latitude, lng: p.coords.longitude }),
        () => resolve({}),
        { timeout: 3000 },
      );
    });
    let last: unknown;
    for (const pass of all) {
      try {
        setResult(
          await api.post<Checkin>('/api/public/checkin', {
            pass,
            action,
            ...(token ? { token } : { code }),
            ...pos,
          }),
        );
        setError(null);
        return;
      } catch (e) {
        last = e;
      }
    }
    setError(msg(last));
  };
  return (
    <div style={page}>
      <Header title="活动签到" />
      {result && (
        <Alert
          type={result.farFlag ? 'warning' : 'success'}
          message={result.message}
          description={result.title}
          data-testid="checkin-result"
        />
      )}
      {error && <Alert type="error" message={error} data-testid="checkin-error" />}
      {!token && (
        <Input
          placeholder="现场6位签到码"
          maxLength={6}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          style={{ margin: '12px 0' }}
        />
      )}
      <Space style={{ width: '100%', marginTop: 12 }} direction="vertical">
        <Button type="primary" block size="large" onClick={() => post('in')} data-testid="checkin-in">
          签到
        </Button>
        <Button block size="large" onClick={() => post('out')} data-testid="checkin-out">
          签退
        </Button>
      </Space>
    </div>
  );
}

export function MinePage() {
  const [items, setItems] = useState<Mine[] | null>(null);
  const load = useCallback(async () => {
    const all = passes();
    const seen = new Map<number, Mine>();
    for (const pass of all) {
      try {
        for (const s of (await api.post<{ items: Mine[] }>('/api/public/my-signups', { pass })).items)
          seen.set(s.id, s);
      } catch {
        /* a pass no longer valid */
      }
    }
    setItems([...seen.values()]);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  const act = async (id: number, action: 'cancel' | 'confirm') => {
    for (const pass of passes()) {
      try {
        await api.post(`/api/public/signups/${id}/${action}`, { pass });
        break;
      } catch {
        /* try the next pass */
      }
    }
    await load();
  };
  return (
    <div style={page}>
      <Header title="我的报名" />
      <List
        loading={items === null}
        dataSource={items ?? []}
        locale={{ emptyText: <Empty description="本机暂无报名记录" /> }}
        renderItem={(s) => (
          <Card size="small" style={{ marginBottom: 8 }}>
            <Typography.Text strong>{s.title}</Typography.Text>
            <div>
              {when(s.startsAt)} · <Tag>{s.statusLabel}</Tag>
              {s.hours > 0 && <Tag color="green">{s.hours}小时</Tag>}
            </div>
            <Space>
              {s.status === 'approved' && !s.confirmedAt && !s.signedInAt && (
                <Button size="small" onClick={() => act(s.id, 'confirm')}>
                  确认参加
                </Button>
              )}
              {['pending', 'approved', 'waitlisted'].includes(s.status) && !s.signedInAt && (
                <Button size="small" danger onClick={() => act(s.id, 'cancel')}>
                  取消报名
                </Button>
              )}
            </Space>
          </Card>
        )}
      />
    </div>
  );
}

export function VerifyPage() {
  const { number } = useParams();
  const [v, setV] = useState<Verify | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<Verify>(`/api/public/volunteer-certificates/${encodeURIComponent(number ?? '')}`)
      .then(setV)
      .catch((e) => setError(msg(e)));
  }, [number]);
  if (error)
    return (
      <div style={page}>
        <Result status="error" title="无法核验" subTitle={error} data-testid="cert-bad" />
      </div>
    );
  if (!v)
    return (
      <div style={page}>
        <Card loading />
      </div>
    );
  return (
    <div style={page}>
      <Result
        status="success"
        title="证明真实有效"
        data-testid="cert-genuine"
        subTitle={`编号 ${v.number}：${v.name}（${v.idMask}）${v.periodFrom ? `${v.periodFrom} 至 ` : '截至 '}${v.periodTo} 志愿服务时长 ${v.hours} 小时，由${v.orgName}出具。`}
      />
    </div>
  );
}

/** The public phone pages of activities and volunteering (no login), 360 px first. */
