import {
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Space,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import {
  CATEGORIES,
  CAUSES,
  EMPLOYMENT,
  HEALTH,
  HOUSING,
  RELATIONS,
  SCHOOLING,
} from '../../../shared/assistance/constants';
import { CASE_ACTIONS } from '../../../shared/assistance/machine';
import { feedback, reportError } from '../../feedback';
import { formatTime } from '../../format';
import { useSession } from '../../session';
import { assistApi, type CaseDetail, STATUS_COLORS } from './api';
import { VisitModal } from './VisitModal';

const l = (d: Record<string, string>, k: string) => d[k] ?? k;
const NEEDS_REASON = new Set(['send_back', 'reject', 'objection', 'close', 'relieve']);

/** A household's record: members, income, visits, relief received, and the whole timeline. */
export default function CaseDetailPage() {
  const id = Number(useParams().id);
  const { can } = useSession();
  const [c, setC] = useState<CaseDetail | null>(null);
  const [acting, setActing] = useState<string | null>(null);
  const [visiting, setVisiting] = useState(false);
  const [noteForm] = Form.useForm();
  const [incomeForm] = Form.useForm();
  const load = useCallback(() => assistApi.get(id).then(setC, (e) => reportError(e)), [id]);
  useEffect(() => {
    load();
  }, [load]);
  if (!c) return <Card loading />;

  const act = async (action: string, note?: string, appealId?: number) => {
    try {
      setC(await assistApi.act(id, action, { version: c.version, note, appealId }));
      feedback()?.message.success(`${l(CASE_ACTIONS, action)}：已完成`);
      setActing(null);
      noteForm.resetFields();
    } catch (e) {
      reportError(e);
      load();
    }
  };
  const enterIncome = async () => {
    const v = await incomeForm.validateFields().catch(() => null);
    if (!v) return;
    try {
      setC(await assistApi.income(id, { version: c.version, month: v.month, total: v.total }));
      incomeForm.resetFields();
      feedback()?.message.success('收入已登记');
    } catch (e) {
      reportError(e, { form: incomeForm });
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Card
        title={
          <Space>
            {c.applicantName}家庭
            <Tag color={STATUS_COLORS[c.status]}>{c.statusLabel}</Tag>
            {c.stale && <Tag color="orange">超过12个月未更新</Tag>}
            {c.exitProposed && <Tag color="green">建议解困</Tag>}
          </Space>
        }
        extra={
          <Space wrap>
            {c.actions.map((a) =>
              a === 'visit' ? (
                <Button key={a} type="primary" onClick={() => setVisiting(true)}>
                  入户核查
                </Button>
              ) : (
                <Button
                  key={a}
                  type={NEEDS_REASON.has(a) ? 'default' : 'primary'}
                  danger={a === 'reject' || a === 'close'}
                  onClick={() => (NEEDS_REASON.has(a) ? setActing(a) : act(a))}
                >
                  {l(CASE_ACTIONS, a)}
                </Button>
              ),
            )}
          </Space>
        }
      >
        <Descriptions size="small" column={3}>
          <Descriptions.Item label="困难类别">{l(CATEGORIES, c.category)}</Descriptions.Item>
          <Descriptions.Item label="致困原因">
            {[c.primaryCause, ...c.secondaryCauses].map((x) => l(CAUSES, x)).join('、')}
          </Descriptions.Item>
          <Descriptions.Item label="建档组织">{c.orgName}</Descriptions.Item>
          <Descriptions.Item label="健康">{l(HEALTH, c.health)}</Descriptions.Item>
          <Descriptions.Item label="住房">{l(HOUSING, c.housing)}</Descriptions.Item>
          <Descriptions.Item label="就业">{l(EMPLOYMENT, c.employment)}</Descriptions.Item>
          <Descriptions.Item label="家庭月收入">
            {c.monthlyIncome} 元（人均 {c.perCapitaIncome} 元）
          </Descriptions.Item>
          <Descriptions.Item label="银行账号">
            {c.bankAccount ? `${c.bankName} ${c.bankAccount}` : '未登记'}
          </Descriptions.Item>
          {c.publicityUntil && (
            <Descriptions.Item label="公示期">
              {c.publicityStart} 至 {c.publicityUntil}
            </Descriptions.Item>
          )}
          {c.exitNote && <Descriptions.Item label="退出提示">{c.exitNote}</Descriptions.Item>}
          {c.endReason && <Descriptions.Item label="原因">{c.endReason}</Descriptions.Item>}
        </Descriptions>
        <Typography.Paragraph type="secondary">{c.description}</Typography.Paragraph>
        <Table
          size="small"
          rowKey="personId"
          pagination={false}
          dataSource={c.members}
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '身份证号', dataIndex: 'idNumber', render: (v) => <code>{v}</code> },
            { title: '关系', dataIndex: 'relation', render: (v) => l(RELATIONS, v) },
            { title: '在校', dataIndex: 'schooling', render: (v) => l(SCHOOLING, v) },
            { title: '月收入（元）', dataIndex: 'monthlyIncome' },
          ]}
        />
      </Card>
      <Card title="月收入（动态管理）" size="small">
        {can('assist:write') && !['closed', 'relieved', 'rejected'].includes(c.status) && (
          <Form form={incomeForm} layout="inline" style={{ marginBottom: 12 }}>
            <Form.Item
              name="month"
              rules={[{ required: true, pattern: /^\d{4}-(0[1-9]|1[0-2])$/, message: 'YYYY-MM' }]}
            >
              <Input placeholder="月份 YYYY-MM" style={{ width: 130 }} />
            </Form.Item>
            <Form.Item name="total" rules={[{ required: true }]}>
              <InputNumber min={0} precision={2} placeholder="家庭月收入（元）" style={{ width: 170 }} />
            </Form.Item>
            <Button onClick={enterIncome}>登记</Button>
          </Form>
        )}
        <Table
          size="small"
          rowKey="month"
          pagination={false}
          dataSource={c.incomes}
          columns={[
            { title: '月份', dataIndex: 'month' },
            { title: '家庭收入（元）', dataIndex: 'total' },
            { title: '人均（元）', dataIndex: 'perCapita' },
          ]}
        />
      </Card>
      {c.entitlements.length > 0 && (
        <Card title="获得帮扶" size="small">
          <Table
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={c.entitlements}
            columns={[
              { title: '批次', dataIndex: 'cycleName' },
              { title: '对象', dataIndex: 'beneficiaryName' },
              { title: '金额（元）', dataIndex: 'amount' },
              { title: '审批', dataIndex: 'status' },
              { title: '发放', dataIndex: 'paymentStatus', render: (v) => v ?? '—' },
            ]}
          />
        </Card>
      )}
      <Card title="办理记录" size="small">
        <Timeline
          items={c.timeline.map((e) => ({
            key: e.id,
            children: (
              <div data-testid="timeline-item">
                <b>{e.actionLabel}</b> · {e.actorName} · {formatTime(e.at)}
                {e.note && <div style={{ color: '#666' }}>{e.note}</div>}
              </div>
            ),
          }))}
        />
      </Card>
      <Modal
        title={acting ? l(CASE_ACTIONS, acting) : ''}
        open={!!acting}
        onCancel={() => setActing(null)}
        onOk={async () => {
          const v = await noteForm.validateFields().catch(() => null);
          if (v && acting) act(acting, v.note, v.appealId || undefined);
        }}
        destroyOnHidden
      >
        <Form form={noteForm} layout="vertical">
          <Form.Item name="note" label="原因" rules={[{ required: true, max: 1000 }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
          {acting === 'objection' && (
            <Form.Item name="appealId" label="关联诉求编号（异议通过诉求受理时）">
              <InputNumber min={1} style={{ width: 200 }} />
            </Form.Item>
          )}
        </Form>
      </Modal>
      <VisitModal
        open={visiting}
        detail={c}
        onClose={() => setVisiting(false)}
        onSaved={(d) => {
          setVisiting(false);
          setC(d);
        }}
      />
    </Space>
  );
}
