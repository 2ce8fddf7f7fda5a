import {
  Alert,
  Button,
  Card,
  Cascader,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Radio,
  Result,
  Select,
  Tabs,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { APPEAL_GROUPS, SATISFACTION } from '../../shared/appeals/constants';
import type { CategoryNode, PublicAppealView } from '../../shared/contracts/appeals';
import { formatTrackingCode } from '../../shared/trackingCode';
import { ApiError, api } from '../api';

interface Opt {
  value: string;
  label: string;
  isLeaf?: boolean;
  children?: Opt[];
}
const toCat = (n: CategoryNode): Opt => ({
  value: n.code,
  label: n.name,
  children: n.children.length ? n.children.map(toCat) : undefined,
});
const message = (e: unknown) =>
  e instanceof ApiError ? e.message || '提交失败，请稍后再试' : '网络异常，请稍后再试';

function RegionCascader({ value, onChange }: { value?: string[]; onChange?: (v: string[]) => void }) {
  const [options, setOptions] = useState<Opt[]>([]);
  useEffect(() => {
    api
      .get<{ items: { code: string; name: string; hasChildren: boolean }[] }>('/api/public/regions')
      .then((r) => setOptions(r.items.map((x) => ({ value: x.code, label: x.name, isLeaf: !x.hasChildren }))))
      .catch(() => {});
  }, []);
  return (
    <Cascader
      options={options}
      value={value}
      onChange={(v) => onChange?.(v as string[])}
      changeOnSelect
      placeholder="省 / 市 / 县区 / 乡镇街道 / 村社区"
      data-testid="public-region"
      loadData={async (sel) => {
        const last = sel[sel.length - 1] as Opt;
        const r = await api.get<{ items: { code: string; name: string; hasChildren: boolean }[] }>(
          '/api/public/regions',
          { parentCode: last.value },
        );
        last.children = r.items.map((x) => ({ value: x.code, label: x.name, isLeaf: !x.hasChildren }));
        setOptions((o) => [...o]);
      }}
    />
  );
}

function Submit({ onDone }: { onDone: (code: string, phone: string) => void }) {
  const [form] = Form.useForm();
  const [cats, setCats] = useState<Opt[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [key] = useState(() => `web-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`);
  // a number that sent several appeals lately is verified by an SMS code first
  const [needCode, setNeedCode] = useState(false);
  const [wait, setWait] = useState(0);
  useEffect(() => {
    if (wait <= 0) return;
    const t = setTimeout(() => setWait((x) => x - 1), 1000);
    return () => clearTimeout(t);
  }, [wait]);
  const sendCode = async () => {
    const phone = await form
      .validateFields(['phone'])
      .then((v) => v.phone as string)
      .catch(() => null);
    if (!phone) return;
    setError(null);
    try {
      await api.post('/api/public/phone-codes', { phone });
      setWait(60);
    } catch (e) {
      setError(message(e));
    }
  };
  useEffect(() => {
    api
      .get<{ items: CategoryNode[] }>('/api/public/appeal-categories')
      .then((r) => setCats(r.items.map(toCat)))
      .catch(() => setError('分类加载失败，请刷新重试'));
  }, []);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setError(null);
    try {
      const r = await api.post<{ trackingCode: string }>('/api/public/appeals', {
        content: v.content,
        group: v.group,
        categoryCode: v.category[v.category.length - 1],
        regionCode: v.region[v.region.length - 1],
        phone: v.phone,
        name: v.anonymous ? undefined : v.name || undefined,
        anonymous: !!v.anonymous,
        confidential: !!v.confidential,
        idempotencyKey: key,
        phoneCode: needCode ? v.phoneCode : undefined,
      });
      onDone(r.trackingCode, v.phone);
    } catch (e) {
      const reason =
        e instanceof ApiError ? (e.details as { reason?: string } | undefined)?.reason : undefined;
      if (reason === 'phone_verification_required') setNeedCode(true);
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form form={form} layout="vertical" initialValues={{ group: 'worker' }} requiredMark={false}>
      {error && <Alert type="error" message={error} showIcon style={{ marginBottom: 12 }} />}
      <Form.Item name="group" label="您是">
        <Select
          data-testid="public-group"
          options={Object.entries(APPEAL_GROUPS).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Form.Item name="category" label="反映的问题" rules={[{ required: true, message: '请选择问题类别' }]}>
        <Cascader options={cats} changeOnSelect placeholder="请选择" data-testid="public-category" />
      </Form.Item>
      <Form.Item name="region" label="事情发生在" rules={[{ required: true, message: '请选择地点' }]}>
        <RegionCascader />
      </Form.Item>
      <Form.Item
        name="content"
        label="具体情况"
        rules={[{ required: true, min: 5, message: '请至少写5个字，说明发生了什么、您希望得到什么帮助' }]}
      >
        <Input.TextArea rows={5} maxLength={2000} showCount data-testid="public-content" />
      </Form.Item>
      <Form.Item
        name="phone"
        label="手机号码"
        extra="用于接收查询码和办理结果；查询时需要手机号后四位"
        rules={[{ required: true, pattern: /^1[3-9]\d{9}$/, message: '请输入11位手机号码' }]}
      >
        <Input inputMode="tel" maxLength={11} data-testid="public-phone" />
      </Form.Item>
      {needCode && (
        <Form.Item label="短信验证码" extra="该号码近期提交较多，请验证是本人手机" required>
          <div style={{ display: 'flex', gap: 8 }}>
            <Form.Item
              name="phoneCode"
              noStyle
              rules={[{ required: true, pattern: /^\d{6}$/, message: '请输入6位短信验证码' }]}
            >
              <Input inputMode="numeric" maxLength={6} data-testid="public-phone-code" />
            </Form.Item>
            <Button onClick={sendCode} disabled={wait > 0} data-testid="public-send-code">
              {wait > 0 ? `${wait}秒后重发` : '获取验证码'}
            </Button>
          </div>
        </Form.Item>
      )}
      <Form.Item name="name" label="姓名（选填）">
        <Input maxLength={30} />
      </Form.Item>
      <Form.Item name="confidential" valuePropName="checked" style={{ marginBottom: 4 }}>
        <Checkbox>为我保密（办理人员看不到我的姓名和电话）</Checkbox>
      </Form.Item>
      <Form.Item name="anonymous" valuePropName="checked">
        <Checkbox>匿名反映</Checkbox>
      </Form.Item>
      <Button type="primary" block size="large" loading={busy} onClick={submit} data-testid="public-submit">
        提交
      </Button>
    </Form>
  );
}

function Track({ initial }: { initial?: { code: string; phone4: string } }) {
  const [form] = Form.useForm();
  const [view, setView] = useState<PublicAppealView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sat, setSat] = useState<string | null>(null);
  const [cred, setCred] = useState<{ code: string; phone4: string } | null>(null);
  const query = async (c: { code: string; phone4: string }) => {
    setError(null);
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
  // biome-ignore lint/correctness/useExhaustiveDependencies: look up once per code handed over, not per render
  useEffect(() => {
    if (initial) {
      form.setFieldsValue(initial);
      void query(initial);
    }
  }, [initial]);
  const rate = async () => {
    if (!cred || !sat) return;
    try {
      setView(
        await api.post<PublicAppealView>(
          `/api/public/appeals/${encodeURIComponent(cred.code.trim())}/rating`,
          {
            phone4: cred.phone4,
            satisfaction: sat,
          },
        ),
      );
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <div>
      <Form form={form} layout="vertical" onFinish={query} requiredMark={false}>
        <Form.Item name="code" label="查询码" rules={[{ required: true, message: '请输入查询码' }]}>
          <Input placeholder="如 ABCDE-FGHJK" autoCapitalize="characters" data-testid="track-code" />
        </Form.Item>
        <Form.Item
          name="phone4"
          label="手机号后四位"
          rules={[{ required: true, pattern: /^\d{4}$/, message: '请输入手机号码后四位' }]}
        >
          <Input inputMode="numeric" maxLength={4} data-testid="track-phone4" />
        </Form.Item>
        <Button htmlType="submit" block data-testid="track-submit">
          查询
        </Button>
      </Form>
      {error && (
        <Alert type="error" message={error} showIcon style={{ marginTop: 12 }} data-testid="track-error" />
      )}
      {view && (
        <div style={{ marginTop: 16 }} data-testid="track-result">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="办理状态">
              <b data-testid="track-status">{view.statusLabel}</b>
            </Descriptions.Item>
            <Descriptions.Item label="问题类别">{view.categoryName}</Descriptions.Item>
            <Descriptions.Item label="办理单位">{view.orgName ?? '正在分派'}</Descriptions.Item>
          </Descriptions>
          {view.reply && (
            <Card size="small" title={`答复（${view.reply.orgName ?? ''}）`} style={{ marginTop: 12 }}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="track-reply">
                {view.reply.text}
              </Typography.Paragraph>
            </Card>
          )}
          {view.canRate && (
            <Card size="small" title="请评价办理结果" style={{ marginTop: 12 }}>
              <Radio.Group
                value={sat}
                onChange={(e) => setSat(e.target.value)}
                options={Object.entries(SATISFACTION).map(([value, label]) => ({ value, label }))}
                data-testid="track-satisfaction"
              />
              <Button
                type="primary"
                block
                disabled={!sat}
                onClick={rate}
                style={{ marginTop: 8 }}
                data-testid="track-rate"
              >
                提交评价
              </Button>
            </Card>
          )}
          {view.satisfactionLabel && (
            <Alert style={{ marginTop: 12 }} type="success" message={`您的评价：${view.satisfactionLabel}`} />
          )}
          <Timeline
            style={{ marginTop: 16 }}
            items={[...view.history].reverse().map((h) => ({
              children: (
                <div>
                  <div>{h.text}</div>
                  <small style={{ color: '#999' }}>
                    {new Date(h.at).toLocaleString('zh-CN', { hour12: false })}
                  </small>
                </div>
              ),
            }))}
          />
        </div>
      )}
    </div>
  );
}

/** The public front door on a phone: file an appeal without logging in, follow it, rate it. */
export default function PublicAppealPage() {
  const [params, setParams] = useSearchParams();
  const [done, setDone] = useState<{ code: string; phone: string } | null>(null);
  const [track, setTrack] = useState<{ code: string; phone4: string } | undefined>();
  const tab = params.get('tab') === 'track' ? 'track' : 'submit';
  return (
    <div style={{ maxWidth: 520, margin: '0 auto', padding: '12px 12px 32px' }}>
      <Typography.Title level={4} style={{ textAlign: 'center', margin: '8px 0 4px' }}>
        群团维权服务
      </Typography.Title>
      <Typography.Paragraph type="secondary" style={{ textAlign: 'center', fontSize: 12 }}>
        职工维权找工会 · 青少年维权找团委 · 妇女维权找妇联
      </Typography.Paragraph>
      <Tabs
        centered
        activeKey={tab}
        onChange={(k) => setParams(k === 'track' ? { tab: 'track' } : {})}
        items={[
          {
            key: 'submit',
            label: '我要反映',
            children: done ? (
              <Result
                status="success"
                title="提交成功"
                subTitle={
                  <span>
                    您的查询码是 <b data-testid="public-code">{formatTrackingCode(done.code)}</b>
                    ，请牢记。凭查询码和手机号后四位可查询办理进度。
                  </span>
                }
                extra={[
                  <Button
                    key="t"
                    type="primary"
                    onClick={() => {
                      setTrack({ code: done.code, phone4: done.phone.slice(-4) });
                      setParams({ tab: 'track' });
                    }}
                  >
                    查询进度
                  </Button>,
                  <Button key="n" onClick={() => setDone(null)}>
                    再反映一件
                  </Button>,
                ]}
              />
            ) : (
              <Submit onDone={(code, phone) => setDone({ code, phone })} />
            ),
          },
          { key: 'track', label: '查询进度', children: <Track initial={track} /> },
        ]}
      />
    </div>
  );
}
