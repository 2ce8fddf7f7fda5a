import {
  Breadcrumb,
  Card,
  Col,
  Row,
  Segmented,
  Select,
  Space,
  Statistic,
  Table,
  type TableColumnsType,
  Tag,
} from 'antd';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { z } from 'zod';
import type { coverageStatsView, UncoveredView } from '../../../shared/contracts/coverage';
import { ORG_TYPES, UNIT_KINDS, UNIT_OWNERSHIP } from '../../../shared/orgs';
import { api } from '../../api';
import { usePaged } from '../../components/usePaged';
import { reportError } from '../../feedback';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Stats = z.infer<typeof coverageStatsView>;
type By = Stats['by'];
const options = (d: Record<string, string>) => Object.entries(d).map(([value, label]) => ({ value, label }));
const pct = (r: number) => `${(r * 100).toFixed(1)}%`;

/** The region chart: covered and uncovered units per region, and the coverage rate; a click drills down. */
function RegionChart({ stats, onPick }: { stats: Stats; onPick: (key: string) => void }) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    if (!el.current) return;
    const c = echarts.init(el.current);
    chart.current = c;
    c.on('click', (p) => {
      const key = (p.data as { key?: string } | undefined)?.key;
      if (key) pick.current(key);
    });
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(el.current);
    return () => {
      ro.disconnect();
      c.dispose();
    };
  }, []);
  useEffect(() => {
    const rows = stats.rows;
    chart.current?.setOption(
      {
        tooltip: { trigger: 'axis' },
        legend: { data: ['已覆盖', '未覆盖', '覆盖率'] },
        grid: { left: 50, right: 50, bottom: 70, top: 40 },
        xAxis: {
          type: 'category',
          data: rows.map((r) => r.label),
          axisLabel: { rotate: rows.length > 8 ? 35 : 0 },
        },
        yAxis: [
          { type: 'value', name: '单位数' },
          { type: 'value', name: '覆盖率', max: 100, axisLabel: { formatter: '{value}%' } },
        ],
        series: [
          {
            name: '已覆盖',
            type: 'bar',
            stack: 'u',
            data: rows.map((r) => ({ value: r.covered, key: r.key })),
          },
          {
            name: '未覆盖',
            type: 'bar',
            stack: 'u',
            data: rows.map((r) => ({ value: r.units - r.covered, key: r.key })),
          },
          {
            name: '覆盖率',
            type: 'line',
            yAxisIndex: 1,
            data: rows.map((r) => ({ value: Math.round(r.rate * 1000) / 10, key: r.key })),
          },
        ],
      },
      true,
    );
  }, [stats]);
  return <div ref={el} style={{ width: '100%', height: 360 }} data-testid="coverage-chart" />;
}

/** 组织覆盖: where the masses are and no mass organization is (哪里有群众哪里就有群团组织). */
export default function CoveragePage() {
  const [by, setBy] = useState<By>('region');
  const [path, setPath] = useState<{ key: string; label: string }[]>([]);
  const [stats, setStats] = useState<Stats | null>(null);
  const [filters, setFilters] = useState<{ kind?: string; ownership?: string; orgType?: string }>({});
  const regionCode = path.at(-1)?.key;
  const uncovered = usePaged<UncoveredView>('/api/coverage/uncovered');

  useEffect(() => {
    api
      .get<Stats>('/api/coverage/stats', { by, regionCode, kind: filters.kind, ownership: filters.ownership })
      .then(setStats)
      .catch(reportError);
  }, [by, regionCode, filters.kind, filters.ownership]);
  const { search } = uncovered;
  useEffect(() => {
    search({ regionCode, ...filters });
  }, [regionCode, filters, search]);

  const columns: TableColumnsType<UncoveredView> = [
    { title: '单位名称', dataIndex: 'name' },
    { title: '类型', dataIndex: 'kindLabel', width: 140 },
    { title: '性质', dataIndex: 'ownershipLabel', width: 110 },
    { title: '所在区划', dataIndex: 'regionName', width: 160 },
    { title: '人数', dataIndex: 'headcount', width: 90, sorter: false },
    { title: '已登记人员', dataIndex: 'registered', width: 100 },
    {
      title: '已建组织',
      dataIndex: 'coveringTypes',
      width: 160,
      render: (ts: string[]) =>
        ts.length === 0 ? (
          <Tag color="red">无</Tag>
        ) : (
          ts.map((t) => <Tag key={t}>{ORG_TYPES[t as keyof typeof ORG_TYPES] ?? t}</Tag>)
        ),
    },
  ];
  const total = stats?.total;
  const tableRows = useMemo(() => stats?.rows ?? [], [stats]);

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title="组织覆盖"
        extra={
          <Space wrap>
            <Select
              allowClear
              placeholder="单位类型"
              style={{ width: 150 }}
              options={options(UNIT_KINDS)}
              onChange={(kind) => setFilters((f) => ({ ...f, kind }))}
            />
            <Select
              allowClear
              placeholder="单位性质"
              style={{ width: 130 }}
              options={options(UNIT_OWNERSHIP)}
              onChange={(ownership) => setFilters((f) => ({ ...f, ownership }))}
            />
            <Segmented<By>
              value={by}
              onChange={setBy}
              options={[
                { value: 'region', label: '按区域' },
                { value: 'orgType', label: '按组织类型' },
                { value: 'ownership', label: '按单位性质' },
                { value: 'kind', label: '按单位类型' },
              ]}
            />
          </Space>
        }
      >
        <Breadcrumb
          style={{ marginBottom: 12 }}
          items={[
            {
              title: '全市',
              href: '#',
              onClick: (e: { preventDefault(): void }) => {
                e.preventDefault();
                setPath([]);
              },
            },
            ...path.map((p, i) => ({
              title: p.label,
              href: '#',
              onClick: () => setPath(path.slice(0, i + 1)),
            })),
          ]}
        />
        {total && (
          <Row gutter={16} style={{ marginBottom: 12 }}>
            <Col span={6}>
              <Statistic title="基层单位" value={total.units} />
            </Col>
            <Col span={6}>
              <Statistic title="已建组织" value={total.covered} />
            </Col>
            <Col span={6}>
              <Statistic title="覆盖率" value={pct(total.rate)} />
            </Col>
            <Col span={6}>
              <Statistic
                title="覆盖人数 / 总人数"
                value={`${total.coveredHeadcount.toLocaleString('zh-CN')} / ${total.headcount.toLocaleString('zh-CN')}`}
              />
            </Col>
          </Row>
        )}
        {stats && by === 'region' && stats.rows.length > 0 && (
          <RegionChart
            stats={stats}
            onPick={(key) => {
              if (key.length >= 12) return;
              const row = stats.rows.find((r) => r.key === key);
              setPath((p) => [...p, { key, label: row?.label ?? key }]);
            }}
          />
        )}
        <Table
          rowKey="key"
          size="small"
          pagination={false}
          dataSource={tableRows}
          columns={[
            { title: by === 'region' ? '区域' : '分组', dataIndex: 'label' },
            { title: '单位数', dataIndex: 'units' },
            { title: '已覆盖', dataIndex: 'covered' },
            { title: '覆盖率', dataIndex: 'rate', render: pct },
            { title: '人数', dataIndex: 'headcount' },
            { title: '覆盖人数', dataIndex: 'coveredHeadcount' },
          ]}
        />
      </Card>
      <Card
        title="未覆盖单位（人数多的在前）"
        extra={
          <Select
            allowClear
            placeholder="缺少哪类组织（默认：没有任何组织）"
            style={{ width: 260 }}
            options={options(ORG_TYPES).filter((o) => o.value !== 'party_mass_office')}
            onChange={(orgType) => setFilters((f) => ({ ...f, orgType }))}
          />
        }
      >
        <Table
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={uncovered.data.items}
          loading={uncovered.loading}
          pagination={uncovered.pagination}
          data-testid="uncovered-table"
        />
      </Card>
    </Space>
  );
}
