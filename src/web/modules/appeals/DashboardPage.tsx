import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, DatePicker, Row, Space, Statistic, Table } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { api, withQuery } from '../../api';
import { reportError } from '../../feedback';
import { Chart, type ChartOption } from './Chart';

interface StatsRow {
  key: string;
  label: string;
  total: number;
  responseRate: number | null;
  closeRate: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  overdue: number;
  supervised: number;
}
interface Stats {
  items: StatsRow[];
  summary: StatsRow;
}
const GROUPS = ['all', 'orgType', 'org', 'day', 'category', 'channel'] as const;
type Group = (typeof GROUPS)[number];
const pct = (v: number | null) => (v === null ? '—' : `${v}%`);

/** 诉求统计: the three rates, volumes by category and channel, trend and the organizations' table. */
export default function AppealDashboardPage() {
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [data, setData] = useState<Partial<Record<Group, Stats>>>({});
  const period = useMemo(
    () => ({ from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') }),
    [range],
  );
  useEffect(() => {
    Promise.all(GROUPS.map((g) => api.get<Stats>('/api/appeals/stats', { groupBy: g, ...period })))
      .then((rs) => setData(Object.fromEntries(GROUPS.map((g, i) => [g, rs[i]]))))
      .catch(reportError);
  }, [period]);
  const s = data.all?.summary;
  const rateBars: ChartOption = {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 10, bottom: 40, top: 30 },
    xAxis: { type: 'category', data: (data.orgType?.items ?? []).map((r) => r.label) },
    yAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    series: (
      [
        ['响应率', 'responseRate'],
        ['按时办结率', 'onTimeRate'],
        ['满意率', 'satisfactionRate'],
      ] as const
    ).map(([name, k]) => ({ name, type: 'bar', data: (data.orgType?.items ?? []).map((r) => r[k]) })),
  };
  const trend: ChartOption = {
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 10, bottom: 30, top: 20 },
    xAxis: { type: 'category', data: (data.day?.items ?? []).map((r) => r.key.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: '诉求量',
        type: 'line',
        smooth: true,
        areaStyle: {},
        data: (data.day?.items ?? []).map((r) => r.total),
      },
    ],
  };
  const pie = (g: Group): ChartOption => ({
    tooltip: { trigger: 'item' },
    series: [
      {
        type: 'pie',
        radius: ['35%', '65%'],
        data: (data[g]?.items ?? []).map((r) => ({ name: r.label, value: r.total })),
      },
    ],
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        size="small"
        title="诉求统计"
        extra={
          <Space wrap>
            <DatePicker.RangePicker onChange={(v) => setRange(v as [Dayjs | null, Dayjs | null] | null)} />
            <Button
              icon={<DownloadOutlined />}
              href={withQuery('/api/appeals/stats/export', { groupBy: 'org', ...period })}
            >
              导出 Excel
            </Button>
          </Space>
        }
      >
        <Row gutter={16} data-testid="rates">
          <Col xs={12} md={4}>
            <Statistic title="诉求总量" value={s?.total ?? 0} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title="响应率" value={pct(s?.responseRate ?? null)} data-testid="rate-response" />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title="办结率" value={pct(s?.closeRate ?? null)} data-testid="rate-close" />
          </Col>
          <Col xs={12} md={4}>
            <Statistic title="按时办结率" value={pct(s?.onTimeRate ?? null)} />
          </Col>
          <Col xs={12} md={4}>
            <Statistic
              title="满意率"
              value={pct(s?.satisfactionRate ?? null)}
              data-testid="rate-satisfaction"
            />
          </Col>
          <Col xs={12} md={4}>
            <Statistic
              title="超期"
              value={s?.overdue ?? 0}
              valueStyle={{ color: s?.overdue ? '#cf1322' : undefined }}
            />
          </Col>
        </Row>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={12}>
          <Card size="small" title="三率（按组织类型）">
            <Chart option={rateBars} testId="chart-rates" />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title="诉求量趋势">
            <Chart option={trend} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title="按分类">
            <Chart option={pie('category')} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title="按渠道">
            <Chart option={pie('channel')} />
          </Card>
        </Col>
      </Row>
      <Card size="small" title="各组织办理情况">
        <Table<StatsRow>
          rowKey="key"
          size="small"
          dataSource={data.org?.items ?? []}
          pagination={{ pageSize: 20 }}
          columns={[
            { title: '组织', dataIndex: 'label' },
            { title: '诉求量', dataIndex: 'total', width: 90, sorter: (a, b) => a.total - b.total },
            { title: '响应率', width: 90, render: (_, r) => pct(r.responseRate) },
            { title: '办结率', width: 90, render: (_, r) => pct(r.closeRate) },
            { title: '按时办结率', width: 100, render: (_, r) => pct(r.onTimeRate) },
            { title: '满意率', width: 90, render: (_, r) => pct(r.satisfactionRate) },
            { title: '超期', dataIndex: 'overdue', width: 70 },
            { title: '督办', dataIndex: 'supervised', width: 70 },
          ]}
        />
      </Card>
    </Space>
  );
}
