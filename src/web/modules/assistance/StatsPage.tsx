import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Col, Row, Statistic, Table } from 'antd';
import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api';
import { reportError } from '../../feedback';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

interface StatRow {
  key: string;
  label: string;
  count: number;
}
interface Stats {
  byStatus: StatRow[];
  byCategory: StatRow[];
  byLevel: StatRow[];
  byRegion: StatRow[];
  money: {
    program: string;
    kind: string;
    cycle: string;
    count: number;
    approved: number;
    paid: number;
    returned: number;
  }[];
  exits: { month: string; label: string; count: number }[];
  neverAssisted: number;
}

/** Archived households per region (county), as a bar chart. */
function RegionChart({ rows }: { rows: StatRow[] }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current);
    c.setOption({
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 20, bottom: 50, top: 20 },
      xAxis: { type: 'category', data: rows.map((r) => r.label) },
      yAxis: { type: 'value', name: '在档户数' },
      series: [{ type: 'bar', data: rows.map((r) => r.count), barMaxWidth: 48 }],
    });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
    };
  }, [rows]);
  return <div ref={el} style={{ height: 300 }} data-testid="region-chart" />;
}

const small = (title: string, rows: StatRow[]) => (
  <Card title={title} size="small">
    <Table
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: '', dataIndex: 'label' },
        { title: '户数', dataIndex: 'count', width: 80 },
      ]}
    />
  </Card>
);

/** 帮扶统计: households by category, level and region; money by program and cycle; exits. */
export default function StatsPage() {
  const [s, setS] = useState<Stats | null>(null);
  useEffect(() => {
    api.get<Stats>('/api/assistance/stats').then(setS, reportError);
  }, []);
  if (!s) return <Card loading />;
  const archived = s.byStatus.find((r) => r.key === 'archived')?.count ?? 0;
  return (
    <Row gutter={[16, 16]}>
      <Col span={24}>
        <Card
          title="帮扶统计"
          extra={
            <Button icon={<DownloadOutlined />} href="/api/assistance/stats/export">
              导出 Excel
            </Button>
          }
        >
          <Row gutter={16}>
            <Col span={6}>
              <Statistic title="在档户数" value={archived} />
            </Col>
            <Col span={6}>
              <Statistic title="从未获得帮扶的在档户" value={s.neverAssisted} />
            </Col>
            <Col span={6}>
              <Statistic title="已发放（元）" value={s.money.reduce((t, m) => t + m.paid, 0)} precision={2} />
            </Col>
            <Col span={6}>
              <Statistic title="退出（销档、解困）" value={s.exits.reduce((t, e) => t + e.count, 0)} />
            </Col>
          </Row>
        </Card>
      </Col>
      <Col span={24}>
        <Card title="各地区在档户数" size="small">
          <RegionChart rows={s.byRegion} />
        </Card>
      </Col>
      <Col span={8}>{small('按困难类别', s.byCategory)}</Col>
      <Col span={8}>{small('按建档层级', s.byLevel)}</Col>
      <Col span={8}>{small('按状态', s.byStatus)}</Col>
      <Col span={24}>
        <Card title="资金（按项目、批次）" size="small">
          <Table
            size="small"
            rowKey={(r) => `${r.program}/${r.cycle}`}
            pagination={false}
            dataSource={s.money}
            columns={[
              { title: '项目', dataIndex: 'program' },
              { title: '类别', dataIndex: 'kind' },
              { title: '批次', dataIndex: 'cycle' },
              { title: '人次', dataIndex: 'count' },
              { title: '已审批（元）', dataIndex: 'approved' },
              { title: '已发放（元）', dataIndex: 'paid' },
              { title: '退回（元）', dataIndex: 'returned' },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
