import { useCallback, useEffect, useState } from 'react';
import { APPEAL_GROUPS, SATISFACTION, type Satisfaction } from '../../../shared/appeals/constants';
import { shanghaiDateTime } from '../../../shared/calendar/ymd';
import type { CategoryNode, PublicAppealView } from '../../../shared/contracts/appeals';
import { formatTrackingCode } from '../../../shared/trackingCode';
import { ApiError, api } from '../../api';
import { Cascade, type CascadeOption } from '../Cascade';

const message = (e: unknown) =>
  e instanceof ApiError ? e.message || '提交失败，请稍后再试' : '网络异常，请稍后再试';
const NEEDS_REASON: readonly Satisfaction[] = ['unsatisfied', 'very_unsatisfied'];

type Region = { code: string; name: string; hasChildren: boolean };
const loadRegions = async (parent: string | null): Promise<CascadeOption[]> => {
  const r = await api.get<{ items: Region[] }>(
    '/api/public/regions',
    parent ? { parentCode: parent } : undefined,
  );
  return r.items.map((x) => ({ value: x.code, label: x.name, leaf: !x.hasChildren }));
};

function Field(props: { label: string; error?: string | null; hint?: string; children: React.ReactNode }) {
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child
    <label className="pub-field">
      <span className="pub-label">{props.label}</span>
      {props.children}
      {props.hint && <span className="pub-hint">{props.hint}</span>}
      {props.error && <span className="pub-error">{props.error}</span>}
    </label>
  );
}

interface Draft {
  group: string;
  category: string[];
  region: string[];
  content: string;
  phone: string;
  name: string;
  confidential: boolean;
  anonymous: boolean;
}

function Submit({ onDone }: { onDone: (code: string, phone: string) => void }) {
  const [d, setD] = useState<Draft>({
    group: 'worker',
    category: [],
    region: [],
    content: '',
    phone: '',
    name: '',
    confidential: false,
    anonymous: false,
  });
  const [cats, setCats] = useState<CategoryNode[]>([]);
  const [errors, setErrors] = useState<Partial<Record<keyof Draft, string>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [key] = useState(() => `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`);
  // a number that sent several appeals lately is verified by an SMS code first
  const [needCode, setNeedCode] = useState(false);
  const [code, setCode] = useState('');
  const [wait, setWait] = useState(0);
  useEffect(() => {
    if (wait <= 0) return;
    const t = setTimeout(() => setWait((x) => x - 1), 1000);
    return () => clearTimeout(t);
  }, [wait]);
  const sendCode = async () => {
    if (!/^1[3-9]\d{9}$/.test(d.phone)) {
      setErrors((e) => ({ ...e, phone: '请输入11位手机号码' }));
      return;
    }
    setError(null);
    try {
      await api.post('/api/public/phone-codes', { phone: d.phone });
      setWait(60);
    } catch (err) {
      setError(message(err));
    }
  };
  useEffect(() => {
    api
      .get<{ items: CategoryNode[] }>('/api/public/appeal-categories')
      .then((r) => setCats(r.items))
      .catch(() => setError('分类加载失败，请刷新重试'));
  }, []);
  const loadCats = useCallback(
    async (parent: string | null): Promise<CascadeOption[]> => {
      const find = (nodes: CategoryNode[]): CategoryNode[] | null => {
        for (const n of nodes) {
          if (n.code === parent) return n.children;
          const hit = find(n.children);
          if (hit) return hit;
        }
        return null;
      };
      const list = parent === null ? cats : (find(cats) ?? []);
      return list.map((n) => ({ value: n.code, label: n.name, leaf: n.children.length === 0 }));
    },
    [cats],
  );
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setD((x) => ({ ...x, [k]: v }));
    setErrors((e) => ({ ...e, [k]: undefined }));
  };
  const submit = async () => {
    const e: Partial<Record<keyof Draft, string>> = {};
    if (d.category.length === 0) e.category = '请选择问题类别';
    if (d.region.length === 0) e.region = '请选择地点';
    if (d.content.trim().length < 5) e.content = '请至少写5个字，说明发生了什么、您希望得到什么帮助';
    if (!/^1[3-9]\d{9}$/.test(d.phone)) e.phone = '请输入11位手机号码';
    setErrors(e);
    if (Object.keys(e).length > 0) return;
    if (needCode && !/^\d{6}$/.test(code)) {
      setError('请输入6位短信验证码');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ trackingCode: string }>('/api/public/appeals', {
        content: d.content,
        group: d.group,
        categoryCode: d.category[d.category.length - 1],
        regionCode: d.region[d.region.length - 1],
        phone: d.phone,
        name: d.anonymous ? undefined : d.name.trim() || undefined,
        anonymous: d.anonymous,
        confidential: d.confidential,
        idempotencyKey: key,
        phoneCode: needCode ? code : undefined,
      });
      onDone(r.trackingCode, d.phone);
    } catch (err) {
      const reason =
        err instanceof ApiError ? (err.details as { reason?: string } | undefined)?.reason : undefined;
      if (reason === 'phone_verification_required') setNeedCode(true);
      setError(message(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="pub-form"
      noValidate
      onSubmit={(ev) => {
        ev.preventDefault();
        void submit();
      }}
    >
      {error && (
        <div className="pub-alert pub-alert-error" role="alert">
          {error}
        </div>
      )}
      <Field label="您是">
        <select
          className="pub-input"
          data-testid="public-group"
          value={d.group}
          onChange={(e) => set('group', e.target.value)}
        >
          {Object.entries(APPEAL_GROUPS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      <Field label="反映的问题" error={errors.category}>
        <Cascade
          testId="public-category"
          label="反映的问题"
          placeholders={['请选择类别', '请选择具体问题']}
          load={loadCats}
          value={d.category}
          onChange={(v) => set('category', v)}
          invalid={!!errors.category}
        />
      </Field>
      <Field label="事情发生在" error={errors.region}>
        <Cascade
          testId="public-region"
          label="事情发生在"
          placeholders={['省', '市', '县区', '乡镇街道', '村社区']}
          load={loadRegions}
          value={d.region}
          onChange={(v) => set('region', v)}
          invalid={!!errors.region}
        />
      </Field>
      <Field label="具体情况" error={errors.content} hint={`${d.content.length} / 2000`}>
        <textarea
          className="pub-input"
          rows={5}
          maxLength={2000}
          data-testid="public-content"
          value={d.content}
          onChange={(e) => set('content', e.target.value)}
        />
      </Field>
      <Field label="手机号码" error={errors.phone} hint="用于接收查询码和办理结果；查询时需要手机号后四位">
        <input
          className="pub-input"
          inputMode="tel"
          maxLength={11}
          data-testid="public-phone"
          value={d.phone}
          onChange={(e) => set('phone', e.target.value.trim())}
        />
      </Field>
      {needCode && (
        <Field label="短信验证码" hint="该号码近期提交较多，请验证是本人手机">
          <span className="pub-row">
            <input
              className="pub-input"
              inputMode="numeric"
              maxLength={6}
              data-testid="public-phone-code"
              value={code}
              onChange={(e) => setCode(e.target.value.trim())}
            />
            <button
              type="button"
              className="pub-button"
              onClick={() => void sendCode()}
              disabled={wait > 0}
              data-testid="public-send-code"
            >
              {wait > 0 ? `${wait}秒后重发` : '获取验证码'}
            </button>
          </span>
        </Field>
      )}
      <Field label="姓名（选填）">
        <input
          className="pub-input"
          maxLength={30}
          value={d.name}
          disabled={d.anonymous}
          onChange={(e) => set('name', e.target.value)}
        />
      </Field>
      <label className="pub-check">
        <input
          type="checkbox"
          checked={d.confidential}
          onChange={(e) => set('confidential', e.target.checked)}
        />
        为我保密（办理人员看不到我的姓名和电话）
      </label>
      <label className="pub-check">
        <input type="checkbox" checked={d.anonymous} onChange={(e) => set('anonymous', e.target.checked)} />
        匿名反映
      </label>
      <button type="submit" className="pub-button pub-primary" disabled={busy} data-testid="public-submit">
        {busy ? '正在提交…' : '提交'}
      </button>
    </form>
  );
}

function Track({ initial }: { initial?: { code: string; phone4: string } }) {
  const [code, setCode] = useState(initial?.code ? formatTrackingCode(initial.code) : '');
  const [phone4, setPhone4] = useState(initial?.phone4 ?? '');
  const [view, setView] = useState<PublicAppealView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sat, setSat] = useState<Satisfaction | null>(null);
  const [comment, setComment] = useState('');
  const [cred, setCred] = useState<{ code: string; phone4: string } | null>(null);
  const query = async (c: { code: string; phone4: string }) => {
    setError(null);
    if (!c.code.trim() || !/^\d{4}$/.test(c.phone4)) {
      setError('请输入查询码和手机号码后四位');
      return;
    }
    try {
      const r = await api.get<PublicAppealView>(`/api/public/appeals/${encodeURIComponent(c.code.trim())}`, {
        phone4: c.phone4,
      });
      setView(r);
      setCred(c);
    } catch (e) {
      setView(null);
      setError(message(e));
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: look up once per code handed over
  useEffect(() => {
    if (initial) void query(initial);
  }, [initial]);
  const needsReason = !!sat && NEEDS_REASON.includes(sat);
  const rate = async () => {
    if (!cred || !sat) return;
    if (needsReason && comment.trim().length < 2) {
      setError('请告诉我们哪里不满意，便于重新办理');
      return;
    }
    setError(null);
    try {
      setView(
        await api.post<PublicAppealView>(
          `/api/public/appeals/${encodeURIComponent(cred.code.trim())}/rating`,
          {
            phone4: cred.phone4,
            satisfaction: sat,
            ...(comment.trim() ? { comment: comment.trim() } : {}),
          },
        ),
      );
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <div>
      <form
        className="pub-form"
        noValidate
        onSubmit={(ev) => {
          ev.preventDefault();
          void query({ code, phone4 });
        }}
      >
        <Field label="查询码">
          <input
            className="pub-input"
            placeholder="如 ABCDE-FGHJK"
            autoCapitalize="characters"
            data-testid="track-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </Field>
        <Field label="手机号后四位">
          <input
            className="pub-input"
            inputMode="numeric"
            maxLength={4}
            data-testid="track-phone4"
            value={phone4}
            onChange={(e) => setPhone4(e.target.value.trim())}
          />
        </Field>
        <button type="submit" className="pub-button" data-testid="track-submit">
          查询
        </button>
      </form>
      {error && (
        <div className="pub-alert pub-alert-error" role="alert" data-testid="track-error">
          {error}
        </div>
      )}
      {view && (
        <div data-testid="track-result" className="pub-result">
          <dl className="pub-desc">
            <dt>办理状态</dt>
            <dd>
              <b data-testid="track-status">{view.statusLabel}</b>
            </dd>
            <dt>问题类别</dt>
            <dd>{view.categoryName}</dd>
            <dt>办理单位</dt>
            <dd>{view.orgName ?? '正在分派'}</dd>
          </dl>
          {view.reply && (
            <section className="pub-card">
              <h3>答复（{view.reply.orgName ?? ''}）</h3>
              <p data-testid="track-reply" style={{ whiteSpace: 'pre-wrap' }}>
                {view.reply.text}
              </p>
            </section>
          )}
          {view.canRate && (
            <section className="pub-card">
              <h3>请评价办理结果</h3>
              <div className="pub-radios" role="radiogroup" data-testid="track-satisfaction">
                {Object.entries(SATISFACTION).map(([value, label]) => (
                  <label key={value} className="pub-check">
                    <input
                      type="radio"
                      name="satisfaction"
                      value={value}
                      checked={sat === value}
                      onChange={() => setSat(value as Satisfaction)}
                    />
                    {label}
                  </label>
                ))}
              </div>
              {needsReason && (
                <Field label="哪里不满意（必填）">
                  <textarea
                    className="pub-input"
                    rows={3}
                    maxLength={500}
                    data-testid="track-comment"
                    value={comment}
                    onChange={(e) => setComment(e.target.value)}
                  />
                </Field>
              )}
              <button
                type="button"
                className="pub-button pub-primary"
                disabled={!sat}
                onClick={rate}
                data-testid="track-rate"
              >
                提交评价
              </button>
            </section>
          )}
          {view.satisfactionLabel && (
            <div className="pub-alert pub-alert-success">您的评价：{view.satisfactionLabel}</div>
          )}
          <ol className="pub-timeline">
            {[...view.history].reverse().map((h) => (
              <li key={`${h.at}-${h.text}`}>
                <div>{h.text}</div>
                <small>{shanghaiDateTime(new Date(h.at))}</small>
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}

/** The public front door on a phone: file an appeal without logging in, follow it, rate it. */
export default function AppealPage() {
  const [tab, setTabState] = useState<'submit' | 'track'>(() =>
    new URLSearchParams(window.location.search).get('tab') === 'track' ? 'track' : 'submit',
  );
  const [done, setDone] = useState<{ code: string; phone: string } | null>(null);
  const [track, setTrack] = useState<{ code: string; phone4: string } | undefined>();
  const setTab = (t: 'submit' | 'track') => {
    setTabState(t);
    window.history.replaceState(null, '', t === 'track' ? '?tab=track' : window.location.pathname);
  };
  return (
    <div className="pub-page">
      <h1 className="pub-title">群团维权服务</h1>
      <p className="pub-sub">职工维权找工会 · 青少年维权找团委 · 妇女维权找妇联</p>
      <div className="pub-tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'submit'} onClick={() => setTab('submit')}>
          我要反映
        </button>
        <button type="button" role="tab" aria-selected={tab === 'track'} onClick={() => setTab('track')}>
          查询进度
        </button>
      </div>
      {tab === 'submit' &&
        (done ? (
          <div className="pub-done">
            <div className="pub-done-mark">✓</div>
            <h2>提交成功</h2>
            <p>
              您的查询码是 <b data-testid="public-code">{formatTrackingCode(done.code)}</b>
              ，请牢记。凭查询码和手机号后四位可查询办理进度。
            </p>
            <button
              type="button"
              className="pub-button pub-primary"
              onClick={() => {
                setTrack({ code: done.code, phone4: done.phone.slice(-4) });
                setTab('track');
              }}
            >
              查询进度
            </button>
            <button type="button" className="pub-button" onClick={() => setDone(null)}>
              再反映一件
            </button>
          </div>
        ) : (
          <Submit onDone={(code, phone) => setDone({ code, phone })} />
        ))}
      {tab === 'track' && <Track initial={track} />}
    </div>
  );
}
