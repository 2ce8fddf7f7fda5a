import { Button, Card, Input, Select, Space, Table, Tag, Tree } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { api, withQuery } from '../../api';
import { feedback, reportError } from '../../feedback';
import { useSession } from '../../session';

interface FormItem {
  id: number;
  code: string;
  name: string;
  periodType: string;
}
interface FormView extends FormItem {
  definition: {
    cells: { code: string; label: string; type: string; disaggregation: string | null }[];
    disaggregations: { key: string; options: { code: string; label: string }[] }[];
  };
}
type Cells = Record<string, number | string | null>;
interface Node {
  orgId: number;
  orgName: string;
  parentId: number | null;
  status: string;
}

const STATUS: Record<string, [string, string]> = {
  none: ['未填', 'default'],
  draft: ['草稿', 'default'],
  submitted: ['已提交', 'blue'],
  returned: ['退回', 'orange'],
  approved: ['已审核', 'green'],
  overdue: ['逾期', 'red'],
  not_expected: ['', 'default'],
};

const defaultPeriod = (t: string) => {
  const d = new Date();
  const y = d.getFullYear();
  const m = d.getMonth() + 1;
  if (t === 'year') return String(y - 1);
  if (t === 'half_year') return m > 6 ? `${y}-H1` : `${y - 1}-H2`;
  if (t === 'quarter') return m > 3 ? `${y}-Q${Math.ceil(m / 3) - 1}` : `${y - 1}-Q4`;
  return m > 1 ? `${y}-${String(m - 1).padStart(2, '0')}` : `${y - 1}-12`;
};

/** 统计报表: a form's 汇总 for an organization, the completion tree, each child's figures, Excel, 催报. */
export default function StatsPage() {
  const { me, can } = useSession();
  const [forms, setForms] = useState<FormItem[]>([]);
  const [formId, setFormId] = useState<number | null>(null);
  const [form, setForm] = useState<FormView | null>(null);
  const [period, setPeriod] = useState('');
  const [orgId, setOrgId] = useState<number | null>(me?.organization.id ?? null);
  const [summary, setSummary] = useState<{
    cells: Cells;
    expected: number;
    submitted: number;
    approved: number;
  } | null>(null);
  const [drill, setDrill] = useState<{ orgId: number; orgName: string; cells: Cells }[]>([]);
  const [nodes, setNodes] = useState<Node[]>([]);

  useEffect(() => {
    api.get<{ items: FormItem[] }>('/api/stats/forms').then((r) => setForms(r.items), reportError);
  }, []);
  useEffect(() => {
    if (!formId) return;
    api.get<FormView>(`/api/stats/forms/${formId}`).then((f) => {
      setForm(f);
      setPeriod(defaultPeriod(f.periodType));
    }, reportError);
  }, [formId]);

  const q = { period, orgId };
  async function load() {
    if (!formId || !orgId) return;
    try {
      setSummary(await api.get(withQuery(`/api/stats/forms/${formId}/summary`, q)));
      setDrill(
        (await api.get<{ items: typeof drill }>(withQuery(`/api/stats/forms/${formId}/drill`, q))).items,
      );
      setNodes(
        (await api.get<{ items: Node[] }>(withQuery(`/api/stats/forms/${formId}/completion`, q))).items,
      );
    } catch (e) {
      reportError(e);
    }
  }
  async function urge() {
    try {
      const r = await api.post<{ orgs: number }>(withQuery(`/api/stats/forms/${formId}/urge`, q), {});
      feedback()?.message.success(`已向 ${r.orgs} 个单位催报`);
    } catch (e) {
      reportError(e);
    }
  }

  const columns = useMemo(() => {
    if (!form) return [];
    const cols: { key: string; title: string }[] = [];
    for (const c of form.definition.cells.filter((x) => x.type !== 'text')) {
      const d = form.definition.disaggregations.find((x) => x.key === c.disaggregation);
      if (d)
        for (const o of d.options)
          cols.push({ key: `${c.code}.${o.code}`, title: `${c.label}（${o.label}）` });
      cols.push({ key: c.code, title: d ? `${c.label}（合计）` : c.label });
    }
    return cols;
  }, [form]);

  const tree = useMemo(() => {
    const by = new Map<number | null, Node[]>();
    for (const n of nodes) by.set(n.parentId, [...(by.get(n.parentId) ?? []), n]);
    const build = (parent: number | null): object[] =>
      (by.get(parent) ?? []).map((n) => ({
        key: n.orgId,
        title: (
          <span data-testid={`completion-${n.orgId}`}>
            {n.orgName}{' '}
            {STATUS[n.status]?.[0] ? <Tag color={STATUS[n.status]![1]}>{STATUS[n.status]![0]}</Tag> : null}
          </span>
        ),
        children: build(n.orgId),
      }));
    return build(null);
  }, [nodes]);

  return (
    <Card title="统计报表">
      <Space wrap style={{ marginBottom: 16 }}>
        <Select
          data-testid="stats-form"
          style={{ width: 260 }}
          placeholder="选择报表"
          value={formId ?? undefined}
          onChange={setFormId}
          options={forms.map((f) => ({ value: f.id, label: `${f.code} ${f.name}` }))}
        />
        <Input
          data-testid="stats-period"
          style={{ width: 120 }}
          value={period}
          onChange={(e) => setPeriod(e.target.value)}
          placeholder="报告期"
        />
        <Input
          data-testid="stats-org"
          style={{ width: 120 }}
          value={orgId ?? ''}
          onChange={(e) => setOrgId(Number(e.target.value) || null)}
          placeholder="组织ID"
        />
        <Button data-testid="stats-load" type="primary" onClick={load}>
          查看汇总
        </Button>
        {formId && orgId ? <Link to={withQuery(`/stats/forms/${formId}/report`, q)}>填报本单位</Link> : null}
        {summary ? (
          <a data-testid="stats-export" href={withQuery(`/api/stats/forms/${formId}/export`, q)}>
            导出Excel
          </a>
        ) : null}
        {summary && can('stats:review') ? <Button onClick={urge}>催报</Button> : null}
      </Space>
      {summary ? (
        <>
          <p data-testid="stats-counts">
            应报 {summary.expected}，已报 {summary.submitted}，已审核 {summary.approved}
          </p>
          <Table
            size="small"
            rowKey="orgId"
            pagination={false}
            scroll={{ x: true }}
            dataSource={[...drill, { orgId: -1, orgName: '合计', cells: summary.cells }]}
            columns={[
              { title: '单位', dataIndex: 'orgName', fixed: 'left' as const },
              ...columns.map((c) => ({
                title: c.title,
                key: c.key,
                render: (_: unknown, r: { cells: Cells }) => r.cells[c.key] ?? '',
              })),
            ]}
          />
          <Card size="small" title="完成情况" style={{ marginTop: 16 }}>
            {nodes.length > 0 ? (
              <Tree key={nodes.map((n) => n.orgId).join()} defaultExpandAll treeData={tree as never} />
            ) : null}
          </Card>
        </>
      ) : null}
    </Card>
  );
}
