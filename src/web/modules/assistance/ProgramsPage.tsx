import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { PROGRAM_KINDS } from '../../../shared/assistance/constants';
import { api } from '../../api';
import { feedback, reportError } from '../../feedback';
import { useSession } from '../../session';
import { OrgPicker } from '../orgs/OrgPicker';

const options = (d: Record<string, string>) => Object.entries(d).map(([value, label]) => ({ value, label }));
interface Program {
  id: number;
  orgName: string;
  name: string;
  kindLabel: string;
  target: string;
  mode: string;
  eligibility: string;
  amounts: { when: string; amount: number; label: string }[];
}
interface Cycle {
  id: number;
  programId: number;
  programName: string;
  orgName: string;
  name: string;
  periodStart: string;
  periodEnd: string;
  budget: number;
  status: string;
}

/** 帮扶项目: programs with their rules (as expressions) and cycles. */
export default function ProgramsPage() {
  const { can } = useSession();
  const [programs, setPrograms] = useState<Program[]>([]);
  const [cycles, setCycles] = useState<Cycle[]>([]);
  const [adding, setAdding] = useState(false);
  const [cycleFor, setCycleFor] = useState<Program | null>(null);
  const [pForm] = Form.useForm();
  const [cForm] = Form.useForm();
  const load = useCallback(() => {
    api.get<{ items: Program[] }>('/api/assistance/programs').then((r) => setPrograms(r.items), reportError);
    api.get<{ items: Cycle[] }>('/api/assistance/cycles').then((r) => setCycles(r.items), reportError);
  }, []);
  useEffect(load, [load]);
  const saveProgram = async () => {
    const v = await pForm.validateFields().catch(() => null);
    if (!v) return;
    try {
      await api.post('/api/assistance/programs', v);
      feedback()?.message.success('项目已保存');
      setAdding(false);
      load();
    } catch (e) {
      reportError(e, { form: pForm });
    }
  };
  const saveCycle = async () => {
    const v = await cForm.validateFields().catch(() => null);
    if (!v || !cycleFor) return;
    try {
      await api.post(`/api/assistance/programs/${cycleFor.id}/cycles`, v);
      setCycleFor(null);
      load();
    } catch (e) {
      reportError(e, { form: cForm });
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card
        title="帮扶项目"
        extra={
          can('assist:program') && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>
              新建项目
            </Button>
          )
        }
      >
        <Table
          rowKey="id"
          size="small"
          dataSource={programs}
          pagination={false}
          columns={[
            { title: '项目', dataIndex: 'name' },
            { title: '类别', dataIndex: 'kindLabel' },
            { title: '组织', dataIndex: 'orgName' },
            { title: '资格条件', dataIndex: 'eligibility', render: (v) => <code>{v}</code> },
            {
              title: '标准',
              dataIndex: 'amounts',
              render: (as: Program['amounts']) => as.map((a) => `${a.label} ¥${a.amount}`).join('；'),
            },
            {
              title: '',
              render: (_, p) =>
                can('assist:program') && (
                  <Button size="small" onClick={() => setCycleFor(p)}>
                    新建批次
                  </Button>
                ),
            },
          ]}
        />
      </Card>
      <Card title="帮扶批次">
        <Table
          rowKey="id"
          size="small"
          dataSource={cycles}
          pagination={false}
          columns={[
            {
              title: '批次',
              dataIndex: 'name',
              render: (n, y) => <Link to={`/assistance/cycles/${y.id}`}>{n}</Link>,
            },
            { title: '项目', dataIndex: 'programName' },
            { title: '组织', dataIndex: 'orgName' },
            { title: '期间', render: (_, y) => `${y.periodStart} 至 ${y.periodEnd}` },
            { title: '预算（元）', dataIndex: 'budget' },
          ]}
        />
      </Card>
      <Modal
        title="新建帮扶项目"
        open={adding}
        onCancel={() => setAdding(false)}
        onOk={saveProgram}
        destroyOnHidden
        width={760}
      >
        <Form
          form={pForm}
          layout="vertical"
          initialValues={{
            target: 'household',
            mode: 'cash',
            eligibility: 'archived',
            amounts: [{ when: 'true', amount: 1000, label: '一档' }],
          }}
        >
          <Form.Item name="orgId" label="组织" rules={[{ required: true }]}>
            <OrgPicker />
          </Form.Item>
          <Space wrap>
            <Form.Item name="name" label="名称" rules={[{ required: true, max: 100 }]}>
              <Input style={{ width: 200 }} />
            </Form.Item>
            <Form.Item name="kind" label="类别" rules={[{ required: true }]}>
              <Select options={options(PROGRAM_KINDS)} style={{ width: 130 }} />
            </Form.Item>
            <Form.Item name="target" label="对象">
              <Select
                options={[
                  { value: 'household', label: '困难家庭' },
                  { value: 'student', label: '在读学生' },
                ]}
                style={{ width: 120 }}
              />
            </Form.Item>
            <Form.Item name="mode" label="方式">
              <Select
                options={[
                  { value: 'cash', label: '现金' },
                  { value: 'in_kind', label: '实物' },
                ]}
                style={{ width: 100 }}
              />
            </Form.Item>
          </Space>
          <Form.Item
            name="eligibility"
            label="资格条件（规则表达式）"
            rules={[{ required: true, max: 1000 }]}
          >
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.List name="amounts">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline">
                    <Form.Item name={[f.name, 'when']} rules={[{ required: true }]}>
                      <Input placeholder="条件" style={{ width: 300 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'amount']} rules={[{ required: true }]}>
                      <InputNumber min={0} precision={2} placeholder="金额" />
                    </Form.Item>
                    <Form.Item name={[f.name, 'label']} rules={[{ required: true, max: 50 }]}>
                      <Input placeholder="档次" style={{ width: 120 }} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} />
                  </Space>
                ))}
                <Button
                  type="dashed"
                  onClick={() => add({ when: 'true', label: '' })}
                  icon={<PlusOutlined />}
                >
                  添加标准
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Modal>
      <Modal
        title={`新建批次：${cycleFor?.name ?? ''}`}
        open={!!cycleFor}
        onCancel={() => setCycleFor(null)}
        onOk={saveCycle}
        destroyOnHidden
      >
        <Form form={cForm} layout="vertical">
          <Form.Item name="name" label="批次名称" rules={[{ required: true, max: 100 }]}>
            <Input />
          </Form.Item>
          <Form.Item
            name="periodStart"
            label="开始日期"
            rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}
          >
            <Input placeholder="YYYY-MM-DD" />
          </Form.Item>
          <Form.Item
            name="periodEnd"
            label="结束日期"
            rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}
          >
            <Input placeholder="YYYY-MM-DD" />
          </Form.Item>
          <Form.Item name="budget" label="预算（元）" rules={[{ required: true }]}>
            <InputNumber min={0} precision={2} style={{ width: 200 }} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
