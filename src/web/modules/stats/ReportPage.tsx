import { Alert, Button, Card, Input, InputNumber, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams, useSearchParams } from 'react-router-dom';
import { api, withQuery } from '../../api';
import { feedback, reportError } from '../../feedback';

type V = number | string | null;
interface Issue {
  rule: string;
  label: string;
  severity: 'error' | 'warning';
  option: string | null;
  message: string;
}
interface Report {
  id: number | null;
  orgName: string;
  period: string;
  status: string;
  values: Record<string, V>;
  computed: Record<string, V>;
  overrides: Record<string, string>;
  cellReasons: Record<string, string>;
  explanations: Record<string, string>;
  issues: Issue[];
  due: string;
  version: number;
  canEdit: boolean;
  canReview: boolean;
  returnCount: number;
}
interface Def {
  name: string;
  definition: {
    cells: { code: string; label: string; unit: string; type: string; disaggregation: string | null }[];
    disaggregations: { key: string; options: { code: string; label: string }[] }[];
  };
}
const STATUS: Record<string, string> = {
  draft: '草稿',
  submitted: '已提交',
  returned: '已退回',
  approved: '已审核',
};
const ekey = (i: Issue) => (i.option ? `${i.rule}:${i.option}` : i.rule);

/** 填报 → 提交 → 审核 of one organization's report for one period. */
export default function ReportPage() {
  const { id } = useParams();
  const [sp] = useSearchParams();
  const q = { period: sp.get('period') ?? '', orgId: sp.get('orgId') ?? '' };
  const base = `/api/stats/forms/${id}/report`;
  const [def, setDef] = useState<Def | null>(null);
  const [r, setR] = useState<Report | null>(null);
  const [values, setValues] = useState<Record<string, V>>({});
  const [overrides, setOverrides] = useState<Record<string, string>>({});
  const [expl, setExpl] = useState<Record<string, string>>({});
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [comment, setComment] = useState('');

  const show = useCallback((rep: Report) => {
    setR(rep);
    setValues(rep.values);
    setOverrides(rep.overrides);
    setExpl(rep.explanations);
  }, []);
  const reportUrl = withQuery(base, q);
  useEffect(() => {
    api.get<Def>(`/api/stats/forms/${id}`).then(setDef, reportError);
    api.get<Report>(reportUrl).then(show, reportError);
  }, [id, reportUrl, show]);

  const keys: { key: string; label: string; text: boolean }[] = [];
  for (const c of def?.definition.cells ?? []) {
    const d = def!.definition.disaggregations.find((x) => x.key === c.disaggregation);
    if (d)
      for (const o of d.options)
        keys.push({ key: `${c.code}.${o.code}`, label: `${c.code} ${c.label}（${o.label}）`, text: false });
    else
      keys.push({
        key: c.code,
        label: `${c.code} ${c.label}${c.unit ? `（${c.unit}）` : ''}`,
        text: c.type === 'text',
      });
  }
  async function run(fn: () => Promise<Report>, ok: string) {
    try {
      show(await fn());
      feedback()?.message.success(ok);
    } catch (e) {
      reportError(e);
      api.get<Report>(withQuery(base, q)).then(show, () => undefined);
    }
  }
  const save = () =>
    run(() => api.put<Report>(withQuery(base, q), { values, overrides, version: r!.version }), '已保存');
  const submit = () =>
    run(
      () => api.post<Report>(withQuery(`${base}/submit`, q), { explanations: expl, version: r!.version }),
      '已提交',
    );
  const review = (decision: 'approve' | 'return') =>
    run(
      () =>
        api.post<Report>(withQuery(`${base}/review`, q), {
          decision,
          comment,
          cellReasons: Object.fromEntries(Object.entries(reasons).filter(([, v]) => v)),
          version: r!.version,
        }),
      decision === 'approve' ? '已审核通过' : '已退回',
    );
  const unlock = () =>
    run(
      () => api.post<Report>(withQuery(`${base}/unlock`, q), { reason: comment, version: r!.version }),
      '已解锁',
    );

  if (!r || !def) return <Card loading />;
  const reviewing = r.canReview && r.status === 'submitted';
  return (
    <Card
      title={`${def.name}（${r.period}） ${r.orgName}`}
      extra={<Tag data-testid="report-status">{STATUS[r.status] ?? r.status}</Tag>}
    >
      <p>
        报送截止 {r.due}
        {r.returnCount ? `，已退回 ${r.returnCount} 次` : ''}
      </p>
      <Table
        size="small"
        rowKey="key"
        pagination={false}
        dataSource={keys}
        columns={[
          { title: '指标', dataIndex: 'label' },
          {
            title: '数值',
            render: (_: unknown, k: (typeof keys)[number]) =>
              k.text ? (
                <Input
                  data-testid={`cell-${k.key}`}
                  disabled={!r.canEdit}
                  value={(values[k.key] as string) ?? ''}
                  onChange={(e) => setValues({ ...values, [k.key]: e.target.value || null })}
                />
              ) : (
                <InputNumber
                  data-testid={`cell-${k.key}`}
                  disabled={!r.canEdit}
                  value={values[k.key] as number | null}
                  onChange={(v) => setValues({ ...values, [k.key]: v ?? null })}
                />
              ),
          },
          {
            title: '系统预填',
            render: (_: unknown, k: (typeof keys)[number]) =>
              k.key in r.computed ? (
                <Space direction="vertical">
                  <span>{String(r.computed[k.key] ?? '—')}</span>
                  {values[k.key] !== r.computed[k.key] && r.canEdit ? (
                    <Input
                      placeholder="修改原因"
                      value={overrides[k.key] ?? ''}
                      onChange={(e) => setOverrides({ ...overrides, [k.key]: e.target.value })}
                    />
                  ) : null}
                  <a
                    href={withQuery(`${base}/records`, { ...q, cell: k.key })}
                    target="_blank"
                    rel="noreferrer"
                  >
                    查看明细
                  </a>
                </Space>
              ) : null,
          },
          {
            title: '审核意见',
            render: (_: unknown, k: (typeof keys)[number]) =>
              reviewing ? (
                <Input
                  data-testid={`reason-${k.key}`}
                  placeholder="退回理由"
                  value={reasons[k.key] ?? ''}
                  onChange={(e) => setReasons({ ...reasons, [k.key]: e.target.value })}
                />
              ) : r.cellReasons[k.key] ? (
                <Tag color="orange" data-testid={`returned-${k.key}`}>
                  {r.cellReasons[k.key]}
                </Tag>
              ) : null,
          },
        ]}
      />
      {r.issues.map((i) => (
        <Alert
          key={ekey(i)}
          style={{ marginTop: 8 }}
          type={i.severity === 'error' ? 'error' : 'warning'}
          message={i.message}
          description={
            i.severity === 'warning' && r.canEdit ? (
              <Input
                data-testid={`explain-${ekey(i)}`}
                placeholder="请说明"
                value={expl[ekey(i)] ?? ''}
                onChange={(e) => setExpl({ ...expl, [ekey(i)]: e.target.value })}
              />
            ) : (
              r.explanations[ekey(i)]
            )
          }
        />
      ))}
      <Space style={{ marginTop: 16 }} wrap>
        {r.canEdit ? (
          <>
            <Button data-testid="report-save" onClick={save}>
              保存
            </Button>
            <Button data-testid="report-submit" type="primary" disabled={!r.id} onClick={submit}>
              提交
            </Button>
          </>
        ) : null}
        {r.canReview && (r.status === 'submitted' || r.status === 'approved') ? (
          <Input
            data-testid="review-comment"
            style={{ width: 280 }}
            placeholder={r.status === 'approved' ? '解锁原因' : '审核意见'}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
          />
        ) : null}
        {reviewing ? (
          <>
            <Button data-testid="review-approve" type="primary" onClick={() => review('approve')}>
              通过
            </Button>
            <Button data-testid="review-return" danger onClick={() => review('return')}>
              退回
            </Button>
          </>
        ) : null}
        {r.canReview && r.status === 'approved' ? <Button onClick={unlock}>解锁</Button> : null}
      </Space>
    </Card>
  );
}
