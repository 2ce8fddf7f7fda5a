import {
  Alert,
  Button,
  Card,
  Cascader,
  Checkbox,
  Empty,
  Form,
  Input,
  List,
  Result,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';
import { Link, Route, Routes, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { api } from '../api';
import { CheckinPage, MinePage, VerifyPage } from './Attendance';
import { addPass, type Detail, Header, type Item, msg, page, when } from './common';

interface Opt {
  value: string;
  label: string;
  isLeaf?: boolean;
  children?: Opt[];
}
type RegionRow = { code: string; name: string; hasChildren: boolean };
const toOpt = (x: RegionRow): Opt => ({ value: x.code, label: x.name, isLeaf: !x.hasChildren });

/** Picks the region to look in (province → village), loading each level on demand. */
function RegionPicker({ onPick }: { onPick: (code: string | undefined) => void }) {
  const [options, setOptions] = useState<Opt[]>([]);
  useEffect(() => {
    api
      .get<{ items: RegionRow[] }>('/api/public/regions')
      .then((r) => setOptions(r.items.map(toOpt)))
      .catch(() => {});
  }, []);
  return (
    <Cascader
      options={options}
      changeOnSelect
      allowClear
      style={{ width: '100%', marginBottom: 8 }}
      placeholder="选择地区，查看附近的活动"
      onChange={(v) => onPick(v?.length ? String(v[v.length - 1]) : undefined)}
      loadData={async (sel) => {
        const last = sel[sel.length - 1] as Opt;
        const r = await api.get<{ items: RegionRow[] }>('/api/public/regions', { parentCode: last.value });
        last.children = r.items.map(toOpt);
        setOptions((o) => [...o]);
      }}
    />
  );
}

function ListPage() {
  const [items, setItems] = useState<Item[] | null>(null);
  const nav = useNavigate();
  const [params] = useSearchParams();
  const region = params.get('regionCode') ?? undefined;
  useEffect(() => {
    api
      .get<{ items: Item[] }>('/api/public/activities', { regionCode: region, status: 'recruiting' })
      .then((r) => setItems(r.items))
      .catch(() => setItems([]));
  }, [region]);
  return (
    <div style={page}>
      <Header title="志愿活动招募" />
      <RegionPicker
        onPick={(code) => nav(code ? `/volunteer?regionCode=${code}` : '/volunteer', { replace: true })}
      />
      <List
        loading={items === null}
        dataSource={items ?? []}
        locale={{ emptyText: <Empty description="附近暂无招募中的活动" /> }}
        renderItem={(a) => (
          <Card size="small" style={{ marginBottom: 8 }} data-testid={`public-activity-${a.id}`}>
            <Link to={`/volunteer/activities/${a.id}`}>
              <Typography.Text strong>{a.title}</Typography.Text>
            </Link>
            <div>
              <Tag>{a.kind}</Tag> {a.orgName}
            </div>
            <Typography.Text type="secondary">
              {when(a.startsAt)} 起 · 已报名 {a.signedUp}/{a.capacity}
            </Typography.Text>
          </Card>
        )}
      />
    </div>
  );
}

function DetailPage() {
  const id = Number(useParams().id);
  const [a, setA] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [wait, setWait] = useState(0);
  const [form] = Form.useForm();
  useEffect(() => {
    api
      .get<Detail>(`/api/public/activities/${id}`)
      .then(setA)
      .catch((e) => setError(msg(e)));
  }, [id]);
  useEffect(() => {
    if (wait <= 0) return;
    const t = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(t);
  }, [wait]);
  const sendCode = async () => {
    const phone = form.getFieldValue('phone') as string | undefined;
    if (!phone) return setError('请先填写手机号码');
    try {
      await api.post('/api/public/sms-codes', { phone });
      setError(null);
      setWait(60);
    } catch (e) {
      setError(msg(e));
    }
  };
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      const r = await api.post<{ pass: string; signups: { status: string; statusLabel: string }[] }>(
        `/api/public/activities/${id}/signups`,
        v,
      );
      addPass(r.pass);
      setDone(r.signups.map((s) => s.statusLabel).join('、'));
      setError(null);
    } catch (e) {
      setError(msg(e));
    } finally {
      setBusy(false);
    }
  };
  if (done)
    return (
      <div style={page}>
        <Result
          status="success"
          title="报名已提交"
          subTitle={`报名状态：${done}。录用后会短信通知您。`}
          extra={<Link to="/volunteer/me">查看我的报名</Link>}
        />
      </div>
    );
  if (!a) return <div style={page}>{error ? <Alert type="error" message={error} /> : <Card loading />}</div>;
  return (
    <div style={page}>
      <Header title={a.title} />
      <Card size="small">
        <p>
          <Tag>{a.kindLabel}</Tag>
          {a.orgName}
        </p>
        <p>地点：{a.address || '—'}</p>
        {a.minAge != null && <p>年龄要求：{a.minAge}周岁以上</p>}
        {a.recordsHours && (
          <p>记录志愿服务时长{a.hoursPerShift ? `（每班次最多${a.hoursPerShift}小时）` : ''}</p>
        )}
        <Typography.Paragraph>{a.description}</Typography.Paragraph>
        <p>报名截止：{when(a.recruitUntil)}</p>
      </Card>
      {a.recruiting ? (
        <Card size="small" title="我要报名" style={{ marginTop: 8 }}>
          {error && (
            <Alert type="error" message={error} style={{ marginBottom: 8 }} data-testid="signup-error" />
          )}
          <Form form={form} layout="vertical">
            <Form.Item name="shiftIds" label="选择班次" rules={[{ required: true, message: '请选择班次' }]}>
              <Checkbox.Group style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
                {a.shifts.map((s) => (
                  <Checkbox key={s.id} value={s.id} data-testid={`shift-${s.seq}`}>
                    第{s.seq}班次 {when(s.startsAt)}–{when(s.endsAt).slice(-5)}（{s.signedUp}/{s.capacity}
                    {s.signedUp >= s.capacity ? '，可候补' : ''}）
                  </Checkbox>
                ))}
              </Checkbox.Group>
            </Form.Item>
            <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
              <Input maxLength={50} />
            </Form.Item>
            <Form.Item
              name="idNumber"
              label="身份证号"
              rules={[{ required: true, message: '请填写身份证号' }]}
              extra="用于记录志愿服务时长，一人一档，加密保存"
            >
              <Input maxLength={18} />
            </Form.Item>
            <Form.Item name="phone" label="手机号码" rules={[{ required: true, message: '请填写手机号码' }]}>
              <Input maxLength={11} inputMode="tel" />
            </Form.Item>
            <Form.Item label="短信验证码" required>
              <Space.Compact style={{ width: '100%' }}>
                <Form.Item name="smsCode" noStyle rules={[{ required: true, message: '请填写验证码' }]}>
                  <Input maxLength={6} inputMode="numeric" />
                </Form.Item>
                <Button onClick={sendCode} disabled={wait > 0} data-testid="send-code">
                  {wait > 0 ? `${wait}秒` : '获取验证码'}
                </Button>
              </Space.Compact>
            </Form.Item>
            <Button type="primary" block loading={busy} onClick={submit} data-testid="signup-submit">
              提交报名
            </Button>
          </Form>
        </Card>
      ) : (
        <Alert type="info" message="该活动当前不在报名时间内" style={{ marginTop: 8 }} />
      )}
    </div>
  );
}

export default function PublicActivities() {
  return (
    <Routes>
      <Route index element={<ListPage />} />
      <Route path="activities/:id" element={<DetailPage />} />
      <Route path="checkin" element={<CheckinPage />} />
      <Route path="me" element={<MinePage />} />
      <Route path="cert/:number" element={<VerifyPage />} />
    </Routes>
  );
}
