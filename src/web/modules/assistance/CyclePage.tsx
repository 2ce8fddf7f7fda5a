import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Popover,
  Space,
  Table,
  Tag,
} from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { api, CSRF_COOKIE, readCookie } from '../../api';
import { feedback, reportError } from '../../feedback';
import { useSession } from '../../session';
import { assistApi, type CycleDetail, type EntitlementView } from './api';

/** 救助名单: entitlements of a cycle with duplicate-relief warnings, review, approval and disbursement. */
export default function CyclePage() {
  const id = Number(useParams().id);
  const { can } = useSession();
  const [y, setY] = useState<CycleDetail | null>(null);
  const [proposing, setProposing] = useState(false);
  const [form] = Form.useForm();
  const load = useCallback(() => assistApi.cycle(id).then(setY, (e) => reportError(e)), [id]);
  useEffect(() => {
    load();
  }, [load]);
  if (!y) return <Card loading />;
  const run = async (p: Promise<unknown>, ok: string) => {
    try {
      await p;
      feedback()?.message.success(ok);
    } catch (e) {
      reportError(e);
    }
    load();
  };
  const exportBatch = async (batchId: number) => {
    const res = await fetch(`/api/assistance/batches/${batchId}/export`, {
      method: 'POST',
      headers: { 'x-csrf-token': readCookie(CSRF_COOKIE) ?? '' },
      credentials: 'same-origin',
    });
    if (!res.ok) {
      const b = await res.json().catch(() => ({}));
      feedback()?.message.error(b?.error?.message ?? '导出失败');
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = `发放批次${batchId}.csv`;
    a.click();
    URL.revokeObjectURL(url);
    load();
  };
  const propose = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    try {
      const e = await api.post<EntitlementView>(`/api/assistance/cycles/${id}/entitlements`, v);
      if (e.duplicates.length > 0) feedback()?.message.warning('疑似重复救助：该对象在同期已获得同类帮扶');
      setProposing(false);
      form.resetFields();
      load();
    } catch (err) {
      reportError(err, { form });
    }
  };
  const actions = (e: EntitlementView) => (
    <Space size={4}>
      {e.status === 'proposed' && can('assist:program') && (
        <Button
          size="small"
          onClick={() =>
            run(api.post(`/api/assistance/entitlements/${e.id}/review`, { version: e.version }), '已审核')
          }
        >
          审核
        </Button>
      )}
      {e.status === 'reviewed' && can('assist:review') && (
        <Button
          size="small"
          type="primary"
          onClick={() =>
            run(api.post(`/api/assistance/entitlements/${e.id}/approve`, { version: e.version }), '已审批')
          }
        >
          审批
        </Button>
      )}
      {['proposed', 'reviewed'].includes(e.status) && can('assist:program') && (
        <Button
          size="small"
          danger
          onClick={() =>
            run(
              api.post(`/api/assistance/entitlements/${e.id}/reject`, {
                version: e.version,
                note: '不符合条件',
              }),
              '已不予救助',
            )
          }
        >
          不予救助
        </Button>
      )}
      {e.status === 'approved' && !e.payment && y.mode === 'in_kind' && can('assist:disburse') && (
        <Button
          size="small"
          onClick={() =>
            run(api.post(`/api/assistance/entitlements/${e.id}/disburse`, { version: e.version }), '已发放')
          }
        >
          实物发放
        </Button>
      )}
      {e.payment?.status === 'pending' && can('assist:disburse') && (
        <>
          <Button
            size="small"
            onClick={() =>
              run(
                api.post(`/api/assistance/payments/${e.payment!.id}`, {
                  version: e.payment!.version,
                  status: 'paid',
                }),
                '已登记发放',
              )
            }
          >
            已发放
          </Button>
          <Button
            size="small"
            onClick={() =>
              run(
                api.post(`/api/assistance/payments/${e.payment!.id}`, {
                  version: e.payment!.version,
                  status: 'returned',
                  note: '银行退回',
                }),
                '已登记退回',
              )
            }
          >
            退回
          </Button>
        </>
      )}
    </Space>
  );
  const dupCount = y.entitlements.filter((e) => e.duplicates.length > 0).length;
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        title={`${y.name}（${y.programName}）`}
        extra={
          <Space>
            {can('assist:program') && (
              <Button
                onClick={() =>
                  run(
                    api.post(`/api/assistance/cycles/${id}/compute`, { version: y.version }),
                    '已按规则计算救助名单',
                  )
                }
              >
                按规则计算
              </Button>
            )}
            {can('assist:program') && <Button onClick={() => setProposing(true)}>提名救助对象</Button>}
            {can('assist:disburse') && (
              <Button
                type="primary"
                onClick={() => run(api.post(`/api/assistance/cycles/${id}/batches`), '已生成发放批次')}
              >
                生成发放批次
              </Button>
            )}
          </Space>
        }
      >
        <Descriptions size="small" column={3}>
          <Descriptions.Item label="组织">{y.orgName}</Descriptions.Item>
          <Descriptions.Item label="期间">
            {y.periodStart} 至 {y.periodEnd}
          </Descriptions.Item>
          <Descriptions.Item label="方式">{y.mode === 'cash' ? '现金' : '实物'}</Descriptions.Item>
          <Descriptions.Item label="预算">{y.budget} 元</Descriptions.Item>
          <Descriptions.Item label="已审批">{y.approvedAmount} 元</Descriptions.Item>
          <Descriptions.Item label="待审">{y.proposedAmount} 元</Descriptions.Item>
        </Descriptions>
        {dupCount > 0 && (
          <Alert
            type="warning"
            showIcon
            message={`疑似重复救助 ${dupCount} 人：同一人或同一家庭同期已获得同类帮扶，请审核时核实`}
            style={{ marginBottom: 12 }}
          />
        )}
        <Table
          rowKey="id"
          size="small"
          dataSource={y.entitlements}
          pagination={{ pageSize: 50 }}
          columns={[
            {
              title: '对象',
              dataIndex: 'beneficiaryName',
              render: (n, e) => (e.caseId ? <Link to={`/assistance/cases/${e.caseId}`}>{n}</Link> : n),
            },
            { title: '身份证号', dataIndex: 'idNumber', render: (v) => <code>{v}</code> },
            { title: '提名组织', dataIndex: 'orgName' },
            { title: '金额（元）', dataIndex: 'amount' },
            { title: '档次', dataIndex: 'ruleLabel' },
            {
              title: '状态',
              render: (_, e) => (
                <Space size={4} wrap>
                  <Tag>{e.statusLabel}</Tag>
                  {e.payment && (
                    <Tag
                      color={
                        e.payment.status === 'paid'
                          ? 'green'
                          : e.payment.status === 'returned'
                            ? 'red'
                            : 'blue'
                      }
                    >
                      {e.payment.statusLabel}
                    </Tag>
                  )}
                  {e.duplicates.length > 0 && (
                    <Popover
                      content={e.duplicates.map((d) => (
                        <div key={`${d.orgName}/${d.cycleName}/${d.status}/${d.samePerson}`}>
                          {d.orgName}
                          {d.cycleName ? `·${d.cycleName}` : ''}（{d.samePerson ? '同一人' : '同一家庭'}，
                          {d.status}）
                        </div>
                      ))}
                    >
                      <Tag color="red" data-testid="duplicate-warning">
                        疑似重复救助
                      </Tag>
                    </Popover>
                  )}
                </Space>
              ),
            },
            { title: '操作', render: (_, e) => actions(e) },
          ]}
        />
      </Card>
      {y.batches.length > 0 && (
        <Card title="发放批次" size="small">
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={y.batches}
            columns={[
              { title: '批次号', dataIndex: 'id' },
              { title: '人数', dataIndex: 'count' },
              { title: '金额（元）', dataIndex: 'total' },
              {
                title: '银行文件',
                render: (_, b) =>
                  b.mode !== 'cash' ? (
                    '实物'
                  ) : b.exported ? (
                    '已导出'
                  ) : can('pii:reveal') ? (
                    <Button size="small" onClick={() => exportBatch(b.id)}>
                      导出银行文件
                    </Button>
                  ) : (
                    '待导出'
                  ),
              },
            ]}
          />
        </Card>
      )}
      <Modal
        title="提名救助对象"
        open={proposing}
        onCancel={() => setProposing(false)}
        onOk={propose}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="name" label="姓名" rules={[{ required: true, max: 50 }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="idNumber"
            label="身份证号"
            rules={[{ required: true, pattern: /^\d{17}[\dXx]$/, message: '18位身份证号' }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="amount" label="金额（元）" rules={[{ required: true }]}>
            <InputNumber min={0} precision={2} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="note" label="说明">
            <Input.TextArea rows={2} maxLength={500} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
