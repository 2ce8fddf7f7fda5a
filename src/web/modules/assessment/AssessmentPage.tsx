import { Button, Card, Descriptions, Drawer, Input, List, Select, Space, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { api, withQuery } from '../../api';
import { reportError } from '../../feedback';

interface Result {
  orgId: number;
  orgName: string;
  score: number;
  grade: string | null;
  vetoed: boolean;
  rank: number | null;
}
interface Run {
  id: number;
  schemeId: number;
  period: string;
  status: string;
}
type Rec = { type: string; id: number; title: string; note: string; href: string };
interface Explain {
  orgName: string;
  score: number;
  gradeLabel: string | null;
  vetoed: boolean;
  rank: number | null;
  items: {
    code: string;
    name: string;
    kind: string;
    weight: number;
    value: number | null;
    score: number;
    points: number;
    indicator: { label: string; formula: string } | null;
    curve: { zero: number; full: number } | null;
    inputs: Record<string, number>;
    records: Rec[];
  }[];
  adjustments: { code: string; name: string; points: number }[];
  vetoes: { code: string; name: string; hit: boolean; value: number | null; records: Rec[] }[];
}
const GRADE: Record<string, string> = { '5': '五星', '4': '四星', '3': '三星', '2': '二星', rectify: '整顿' };
const STATUS: Record<string, string> = {
  self_eval: '自评',
  review: '复核',
  result: '结果',
  publicity: '公示',
  published: '已发布',
};

/** 考核: the results of a scheme and period ranked, each unit's explanation, the notice. */
export default function AssessmentPage() {
  const [schemes, setSchemes] = useState<{ id: number; name: string }[]>([]);
  const [schemeId, setSchemeId] = useState<number | null>(null);
  const [period, setPeriod] = useState(String(new Date().getFullYear() - 1));
  const [rows, setRows] = useState<Result[]>([]);
  const [run, setRun] = useState<Run | null>(null);
  const [ex, setEx] = useState<Explain | null>(null);

  useEffect(() => {
    api.get<{ items: { id: number; name: string }[] }>('/api/assessments/schemes').then((r) => {
      setSchemes(r.items);
      setSchemeId(r.items[0]?.id ?? null);
    }, reportError);
  }, []);
  async function load() {
    try {
      setRows(
        (await api.get<{ items: Result[] }>(withQuery('/api/assessments/results', { schemeId, period })))
          .items,
      );
      const runs = (await api.get<{ items: Run[] }>(withQuery('/api/assessments/runs', { schemeId }))).items;
      setRun(runs.find((r) => r.period === period) ?? null);
    } catch (e) {
      reportError(e);
    }
  }
  async function compute() {
    try {
      setRun(await api.post<Run>(`/api/assessments/schemes/${schemeId}/runs`, { period }));
      await load();
    } catch (e) {
      reportError(e);
    }
  }
  async function open(orgId: number) {
    if (!run) return;
    try {
      setEx(await api.get<Explain>(`/api/assessments/runs/${run.id}/units/${orgId}`));
    } catch (e) {
      reportError(e);
    }
  }
  return (
    <Card title="考核">
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          data-testid="assess-scheme"
          style={{ width: 260 }}
          value={schemeId ?? undefined}
          onChange={setSchemeId}
          options={schemes.map((s) => ({ value: s.id, label: s.name }))}
        />
        <Input
          data-testid="assess-period"
          style={{ width: 120 }}
          value={period}
          onChange={(e) => setPeriod(e.target.value)}
        />
        <Button data-testid="assess-load" type="primary" onClick={load}>
          查看结果
        </Button>
        <Button data-testid="assess-compute" onClick={compute}>
          计算
        </Button>
        {run ? <Tag>{STATUS[run.status] ?? run.status}</Tag> : null}
        {run ? (
          <a data-testid="assess-docx" href={`/api/assessments/runs/${run.id}/export?format=docx`}>
            导出通报（Word）
          </a>
        ) : null}
        {run ? (
          <a data-testid="assess-xlsx" href={`/api/assessments/runs/${run.id}/export?format=xlsx`}>
            导出排名（Excel）
          </a>
        ) : null}
      </Space>
      <Table
        size="small"
        rowKey="orgId"
        dataSource={rows}
        onRow={(r) => ({ onClick: () => open(r.orgId), style: { cursor: 'pointer' } })}
        columns={[
          { title: '名次', dataIndex: 'rank', width: 70 },
          { title: '单位', dataIndex: 'orgName' },
          { title: '得分', dataIndex: 'score', width: 90 },
          {
            title: '等级',
            width: 150,
            render: (_: unknown, r: Result) =>
              r.vetoed ? <Tag color="red">一票否决</Tag> : (GRADE[r.grade ?? ''] ?? r.grade),
          },
        ]}
      />
      <Drawer
        width={720}
        open={!!ex}
        onClose={() => setEx(null)}
        title={ex ? `${ex.orgName}：${ex.score} 分 ${ex.gradeLabel ?? ''}` : ''}
      >
        {ex ? (
          <Descriptions size="small" column={1} bordered>
            {ex.items.map((i) => (
              <Descriptions.Item key={i.code} label={`${i.name}（权重 ${i.weight}）`}>
                <div data-testid={`item-${i.code}`}>
                  {i.indicator
                    ? `${i.indicator.label}：${i.value ?? '无数据'}（${i.indicator.formula}；${i.curve ? `${i.curve.zero} 得 0 分，${i.curve.full} 得满分` : ''}）`
                    : `人工评分：${i.value ?? '未评'}`}
                  ，得分率 {i.score}%，计 {i.points} 分
                  {Object.keys(i.inputs).length ? (
                    <div>
                      输入：
                      {Object.entries(i.inputs)
                        .map(([k, v]) => `${k}=${v}`)
                        .join('，')}
                    </div>
                  ) : null}
                  {i.records.length ? (
                    <List
                      size="small"
                      dataSource={i.records.slice(0, 10)}
                      renderItem={(r) => (
                        <List.Item>
                          <a href={r.href}>{r.title}</a> {r.note}
                        </List.Item>
                      )}
                    />
                  ) : null}
                </div>
              </Descriptions.Item>
            ))}
            {ex.adjustments.map((a) => (
              <Descriptions.Item key={a.code} label={a.name}>
                {a.points} 分
              </Descriptions.Item>
            ))}
            {ex.vetoes.map((v) => (
              <Descriptions.Item key={v.code} label={`否决项：${v.name}`}>
                <span data-testid={`veto-${v.code}`}>{v.hit ? '触发' : '未触发'}</span>
              </Descriptions.Item>
            ))}
          </Descriptions>
        ) : null}
      </Drawer>
    </Card>
  );
}
