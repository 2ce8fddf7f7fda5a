import { Button, Card, Empty, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../../api';
import { reportError } from '../../feedback';
import { fmt, type MyVolunteer } from './api';

/** 个人中心 → 我的志愿服务: own hours and stars, the ledger with its provenance, sign-ups, certificates. */
export default function MyVolunteerPage() {
  const [d, setD] = useState<MyVolunteer | null>(null);
  const [unlinked, setUnlinked] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ number: string; pdfUrl: string } | null>(null);
  const load = useCallback(async () => {
    try {
      setD(await api.get<MyVolunteer>('/api/me/volunteer'));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NOT_FOUND') setUnlinked(e.message);
      else reportError(e);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  if (unlinked)
    return (
      <Card title="我的志愿服务">
        <Empty description={unlinked} />
      </Card>
    );
  if (!d) return <Card loading title="我的志愿服务" />;
  const issue = async () => {
    try {
      setIssued(await api.post<{ number: string; pdfUrl: string }>('/api/me/volunteer-certificates', {}));
      await load();
    } catch (e) {
      reportError(e);
    }
  };
  const applyFive = async () => {
    try {
      await api.post('/api/me/volunteer-five-star', {});
      await load();
    } catch (e) {
      reportError(e);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        title="我的志愿服务"
        extra={
          <Space>
            {d.hours.stars === 4 && !d.nextStar && (!d.fiveStar || d.fiveStar.status === 'rejected') && (
              <Button onClick={applyFive}>申请五星志愿者</Button>
            )}
            <Button onClick={issue} data-testid="issue-cert">
              开具志愿服务记录证明
            </Button>
          </Space>
        }
      >
        <Space size="large" wrap>
          <Statistic title="累计时长（小时）" value={d.hours.total} data-testid="my-total" />
          <Statistic title="星级" value={d.hours.stars ? '★'.repeat(d.hours.stars) : '未评星'} />
          <Statistic title="签到记录" value={d.hours.credited} />
          <Statistic title="补录" value={d.hours.backfilled} />
          <Statistic title="导入" value={d.hours.imported} />
          <Statistic title="撤销" value={d.hours.revoked} />
        </Space>
        {d.fiveStar && (
          <Typography.Paragraph>
            五星志愿者申请：
            {{
              applied: '待评审',
              publicizing: `公示中（至${fmt(d.fiveStar.publicizeUntil)}）`,
              awarded: '已评定',
              rejected: '未通过',
            }[d.fiveStar.status] ?? d.fiveStar.status}
          </Typography.Paragraph>
        )}
        {d.nextStar && (
          <Typography.Paragraph type="secondary">
            距{d.nextStar.stars}星志愿者（{d.nextStar.hours}小时）还差{' '}
            {Math.round((d.nextStar.hours - d.hours.total) * 100) / 100} 小时
          </Typography.Paragraph>
        )}
        {issued && (
          <Typography.Paragraph data-testid="cert-issued">
            证明编号 <Typography.Text code>{issued.number}</Typography.Text>{' '}
            <a href={issued.pdfUrl} target="_blank" rel="noreferrer">
              下载PDF
            </a>{' '}
            <a
              href={`/volunteer/cert/${issued.number}`}
              target="_blank"
              rel="noreferrer"
              data-testid="cert-verify-link"
            >
              核验页面
            </a>
          </Typography.Paragraph>
        )}
      </Card>
      <Card title="时长记录">
        <Table
          rowKey="id"
          size="small"
          dataSource={d.ledger}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: '日期', dataIndex: 'servedOn' },
            {
              title: '来源',
              dataIndex: 'kindLabel',
              render: (l: string, e) => <Tag color={e.kind === 'revoked' ? 'red' : 'blue'}>{l}</Tag>,
            },
            {
              title: '活动',
              dataIndex: 'activityTitle',
              render: (t: string | null, e) => t ?? e.source ?? '—',
            },
            {
              title: '时长',
              dataIndex: 'hours',
              render: (h: number, e) => (e.kind === 'revoked' ? `-${h}` : h),
            },
            { title: '记录单位', dataIndex: 'orgName' },
            { title: '说明', dataIndex: 'reason' },
          ]}
        />
      </Card>
      <Card title="我的活动">
        <Table
          rowKey="id"
          size="small"
          dataSource={d.signups}
          pagination={false}
          columns={[
            { title: '活动', dataIndex: 'title' },
            { title: '时间', dataIndex: 'startsAt', render: fmt },
            { title: '状态', dataIndex: 'statusLabel' },
            { title: '签到', dataIndex: 'signedInAt', render: fmt },
            { title: '签退', dataIndex: 'signedOutAt', render: fmt },
            { title: '时长', dataIndex: 'hours' },
          ]}
        />
      </Card>
    </Space>
  );
}
