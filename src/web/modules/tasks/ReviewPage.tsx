import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Input,
  Row,
  Select,
  Space,
  Spin,
  Switch,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { type ReactNode, useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { CADENCES } from '../../../shared/tasks/constants';
import { api } from '../../api';
import { feedback, reportError } from '../../feedback';
import { OrgPicker } from '../orgs/OrgPicker';
import type { DraftTask, DraftView } from './api';

interface DraftRow extends DraftTask {
  include: boolean;
  leadIds?: number[];
  coIds?: number[];
}

/** The text with the spans of the draft tasks highlighted; the selected one scrolled into view. */
function Highlighted({
  body,
  tasks,
  selected,
  onPick,
}: {
  body: string;
  tasks: DraftRow[];
  selected: string | null;
  onPick: (k: string) => void;
}) {
  const parts: ReactNode[] = [];
  let at = 0;
  const spans = tasks.filter((t) => t.start >= 0 && t.end <= body.length).sort((a, b) => a.start - b.start);
  for (const t of spans) {
    if (t.start < at) continue;
    parts.push(body.slice(at, t.start));
    parts.push(
      <mark
        key={t.key}
        id={`span-${t.key}`}
        data-testid={`span-${t.key}`}
        onClick={() => onPick(t.key)}
        onKeyDown={(e) => e.key === 'Enter' && onPick(t.key)}
        style={{
          background: t.key === selected ? '#ffd666' : t.include ? '#fff1b8' : '#f0f0f0',
          cursor: 'pointer',
        }}
      >
        {body.slice(t.start, t.end)}
      </mark>,
    );
    at = t.end;
  }
  parts.push(body.slice(at));
  return <div style={{ whiteSpace: 'pre-wrap', lineHeight: 1.9, fontSize: 14 }}>{parts}</div>;
}

/** 审核分解结果: the text on one side, the draft tasks on the other; edit, merge, split, map, publish. */
export default function ReviewPage() {
  const { id } = useParams();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<DraftView | null>(null);
  const [body, setBody] = useState('');
  const [rows, setRows] = useState<DraftRow[]>([]);
  const [mapping, setMapping] = useState<Record<string, number | null>>({});
  const [selected, setSelected] = useState<string | null>(null);
  const [publishing, setPublishing] = useState(false);
  // low-confidence tasks first, so the reviewer looks where the engine was least sure
  const [lowFirst, setLowFirst] = useState(true);

  const load = useCallback(async () => {
    try {
      const [doc, d] = await Promise.all([
        api.get<{ body: string }>(`/api/task-docs/${id}`),
        api.post<DraftView>(`/api/task-docs/${id}/decompose`),
      ]);
      setBody(doc.body);
      setDraft(d);
      setRows(d.tasks.map((t) => ({ ...t, include: true })));
      setMapping(Object.fromEntries(d.units.map((u) => [u.name, u.orgId])));
    } catch (e) {
      reportError(e);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const candidates = useMemo(
    () => Object.fromEntries((draft?.units ?? []).map((u) => [u.name, u.candidates])),
    [draft],
  );
  const labels = useMemo(() => {
    const l: Record<number, string> = {};
    for (const u of draft?.units ?? []) for (const c of u.candidates) l[c.id] = c.name;
    return l;
  }, [draft]);
  const leadOf = (r: DraftRow) => r.leadIds ?? r.lead.map((n) => mapping[n]).filter((x): x is number => !!x);
  const coOf = (r: DraftRow) =>
    (r.coIds ?? r.co.map((n) => mapping[n]).filter((x): x is number => !!x)).filter(
      (x) => !leadOf(r).includes(x),
    );
  const update = (key: string, patch: Partial<DraftRow>) =>
    setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  function merge(i: number) {
    setRows((rs) => {
      const a = rs[i - 1]!;
      const b = rs[i]!;
      const m: DraftRow = {
        ...a,
        text: `${a.text}${b.text}`,
        end: Math.max(a.end, b.end),
        lead: [...new Set([...a.lead, ...b.lead])],
        co: [...new Set([...a.co, ...b.co])],
        targets: [...a.targets, ...b.targets],
        dueDate: [a.dueDate, b.dueDate].filter(Boolean).sort()[0] ?? null,
      };
      return [...rs.slice(0, i - 1), m, ...rs.slice(i + 1)];
    });
  }
  /** One task per lead unit (每个牵头单位各一项). */
  function split(i: number) {
    setRows((rs) => {
      const r = rs[i]!;
      if (r.lead.length < 2) return rs;
      const parts = r.lead.map((u, j) => ({ ...r, key: `${r.key}.${j + 1}`, lead: [u], leadIds: undefined }));
      return [...rs.slice(0, i), ...parts, ...rs.slice(i + 1)];
    });
  }

  async function publish() {
    const chosen = rows.filter((r) => r.include);
    if (chosen.length === 0) return feedback()?.message.warning('请至少勾选一项任务');
    const missing = chosen.filter((r) => leadOf(r).length === 0);
    if (missing.length)
      return feedback()?.message.error(
        `有 ${missing.length} 项任务还没有指定牵头单位，如「${missing[0]!.title}」`,
      );
    setPublishing(true);
    try {
      await api.post(`/api/task-docs/${id}/publish`, {
        version: draft!.version,
        tasks: chosen.map((r) => ({
          title: r.title,
          content: r.text,
          leadOrgIds: leadOf(r),
          coOrgIds: coOf(r),
          targets: r.targets,
          dueDate: r.dueDate || null,
          deadlineText: r.deadline?.text ?? null,
          recurrence: r.deadline?.recurrence ?? null,
          cadence: r.cadence,
          sourceStart: r.start,
          sourceEnd: r.end,
          heading: r.heading,
        })),
      });
      feedback()?.message.success(`已发布 ${chosen.length} 项任务`);
      navigate(`/tasks?documentId=${id}`);
    } catch (e) {
      reportError(e, { onConflict: load });
    } finally {
      setPublishing(false);
    }
  }

  if (!draft) return <Spin style={{ display: 'block', margin: '20vh auto' }} />;
  const units = draft.units;
  return (
    <Row gutter={16}>
      <Col span={11}>
        <Card
          title="原文"
          size="small"
          style={{ height: 'calc(100vh - 140px)', overflow: 'auto' }}
          data-testid="review-text"
        >
          {draft.unnumbered && (
            <Alert
              type="info"
              showIcon
              message="原文没有层次序号，按全文一节处理"
              style={{ marginBottom: 8 }}
            />
          )}
          <Highlighted
            body={body}
            tasks={rows}
            selected={selected}
            onPick={(k) => {
              setSelected(k);
              document.getElementById(`task-${k}`)?.scrollIntoView({ block: 'center' });
            }}
          />
        </Card>
      </Col>
      <Col span={13}>
        <div style={{ height: 'calc(100vh - 140px)', overflow: 'auto' }}>
          <Card
            size="small"
            title={`单位对应（${units.length}）`}
            style={{ marginBottom: 12 }}
            data-testid="unit-mapping"
          >
            {units.length === 0 && <Empty description="未识别到责任单位" />}
            {units.map((u) => (
              <Space key={u.name} style={{ display: 'flex', marginBottom: 6 }} wrap>
                <Tag color={mapping[u.name] ? 'green' : 'orange'} style={{ minWidth: 110 }}>
                  {u.name}
                </Tag>
                <OrgPicker
                  style={{ width: 260 }}
                  value={mapping[u.name] ?? null}
                  labels={labels}
                  placeholder="选择对应组织"
                  id={`unit-map-${u.name}`}
                  onChange={(v) => setMapping((m) => ({ ...m, [u.name]: (v as number | null) ?? null }))}
                />
                {!mapping[u.name] &&
                  (candidates[u.name] ?? []).slice(0, 2).map((c) => (
                    <Button
                      key={c.id}
                      size="small"
                      type="dashed"
                      onClick={() => setMapping((m) => ({ ...m, [u.name]: c.id }))}
                    >
                      建议：{c.name}（{c.how}）
                    </Button>
                  ))}
              </Space>
            ))}
          </Card>
          <Space style={{ marginBottom: 12 }} wrap>
            <Typography.Text>
              识别到 {draft.headings.length} 个层次、{draft.tasks.length} 项任务（用时 {draft.ms}{' '}
              毫秒），已勾选 {rows.filter((r) => r.include).length} 项
            </Typography.Text>
            <Space size={4}>
              <Switch size="small" checked={lowFirst} onChange={setLowFirst} data-testid="low-first" />
              <span>低置信度优先（关闭后按原文顺序，可合并相邻任务）</span>
            </Space>
            <Button
              onClick={() => setRows((rs) => rs.map((r) => ({ ...r, include: leadOf(r).length > 0 })))}
              data-testid="keep-mapped"
            >
              只保留已指定牵头单位的任务
            </Button>
            <Button type="primary" loading={publishing} onClick={publish} data-testid="publish">
              发布任务
            </Button>
          </Space>
          {rows.length === 0 && <Empty description="未识别到任务分工，可返回修改原文" />}
          {(lowFirst ? [...rows].sort((a, b) => a.confidence - b.confidence) : rows).map((r) => {
            const i = rows.indexOf(r);
            return (
              <Card
                key={r.key}
                id={`task-${r.key}`}
                data-testid={`draft-${r.key}`}
                size="small"
                style={{
                  marginBottom: 8,
                  borderColor: r.key === selected ? '#faad14' : undefined,
                  opacity: r.include ? 1 : 0.55,
                }}
                title={
                  <Space>
                    <Checkbox
                      checked={r.include}
                      onChange={(e) => update(r.key, { include: e.target.checked })}
                    />
                    <Button
                      type="link"
                      size="small"
                      onClick={() => {
                        setSelected(r.key);
                        document.getElementById(`span-${r.key}`)?.scrollIntoView({ block: 'center' });
                      }}
                    >
                      {r.heading ? `${r.heading.slice(0, 24)}` : '任务'}
                    </Button>
                  </Space>
                }
                extra={
                  <Space size={4}>
                    <Tooltip
                      title={
                        <div>
                          {r.why.map((w) => (
                            <div key={w}>· {w}</div>
                          ))}
                        </div>
                      }
                    >
                      <Tag
                        color={r.confidence >= 0.85 ? 'green' : r.confidence >= 0.7 ? 'blue' : 'orange'}
                        data-testid={`confidence-${r.key}`}
                      >
                        置信度 {Math.round(r.confidence * 100)}%
                      </Tag>
                    </Tooltip>
                    {i > 0 && !lowFirst && (
                      <Button size="small" onClick={() => merge(i)}>
                        与上条合并
                      </Button>
                    )}
                    {r.lead.length > 1 && (
                      <Button size="small" onClick={() => split(i)}>
                        按牵头单位拆分
                      </Button>
                    )}
                    <Button
                      size="small"
                      danger
                      onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}
                    >
                      删除
                    </Button>
                  </Space>
                }
              >
                <Input
                  value={r.title}
                  onChange={(e) => update(r.key, { title: e.target.value })}
                  style={{ marginBottom: 6 }}
                />
                <Space wrap style={{ marginBottom: 6 }}>
                  <span>牵头：</span>
                  <OrgPicker
                    multiple
                    style={{ minWidth: 220 }}
                    value={leadOf(r)}
                    labels={labels}
                    onChange={(v) => update(r.key, { leadIds: (v as number[]) ?? [] })}
                  />
                  <span>配合：</span>
                  <OrgPicker
                    multiple
                    style={{ minWidth: 200 }}
                    value={coOf(r)}
                    labels={labels}
                    onChange={(v) => update(r.key, { coIds: (v as number[]) ?? [] })}
                  />
                </Space>
                <Space wrap>
                  <span>完成时限：</span>
                  <Input
                    type="date"
                    value={r.dueDate ?? ''}
                    style={{ width: 150 }}
                    data-testid={`due-${r.key}`}
                    onChange={(e) => update(r.key, { dueDate: e.target.value || null })}
                  />
                  {r.deadline && (
                    <Tag color={r.deadline.date || r.deadline.recurrence ? 'blue' : 'orange'}>
                      原文：{r.deadline.text}
                    </Tag>
                  )}
                  <span>调度：</span>
                  <Select
                    size="small"
                    style={{ width: 100 }}
                    value={r.cadence}
                    options={Object.entries(CADENCES).map(([value, label]) => ({ value, label }))}
                    onChange={(v) => update(r.key, { cadence: v })}
                  />
                  {r.targets.map((t) => (
                    <Tag key={t} color="purple">
                      {t}
                    </Tag>
                  ))}
                  {[...r.lead, ...r.co].map((n) => (
                    <Tag key={n} color={mapping[n] ? 'green' : 'orange'}>
                      {n}
                    </Tag>
                  ))}
                </Space>
              </Card>
            );
          })}
        </div>
      </Col>
    </Row>
  );
}
