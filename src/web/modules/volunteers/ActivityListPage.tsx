import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Drawer, Form, Input, InputNumber, Select, Space, Switch, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ACTIVITY_KINDS } from '../../../shared/volunteers/rules';
import { api, type Paged } from '../../api';
import { reportError } from '../../feedback';
import { useSession } from '../../session';
import { type ActivityView, fmt, localToIso, PHASES } from './api';

interface FormValues {
  title: string;
  kind: string;
  address: string;
  regionCode: string;
  description?: string;
  minAge?: number;
  hoursPerShift?: number;
  needsApproval: boolean;
  recruitFrom: string;
  recruitUntil: string;
  shifts: { startsAt: string; endsAt: string; capacity: number }[];
}

/** 活动管理: the organization's activities and the form that publishes one (with its shifts). */
export default function ActivityListPage() {
  const { me, can } = useSession();
  const nav = useNavigate();
  const [data, setData] = useState<Paged<ActivityView>>({ items: [], total: 0 });
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<FormValues>();

  const load = useCallback(async () => {
    try {
      setData(await api.get<Paged<ActivityView>>('/api/activities', { page, pageSize: 20 }));
    } catch (e) {
      reportError(e);
    }
  }, [page]);
  useEffect(() => {
    void load();
  }, [load]);

  const openForm = async () => {
    setOpen(true);
    try {
      const org = await api.get<{ regionCode: string }>(`/api/orgs/${me!.organization.id}`);
      form.setFieldsValue({ regionCode: org.regionCode });
    } catch {
      /* the user types it */
    }
  };

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      const a = await api.post<ActivityView>('/api/activities', {
        orgId: me!.organization.id,
        title: v.title,
        kind: v.kind,
        regionCode: v.regionCode,
        address: v.address ?? '',
        description: v.description ?? '',
        minAge: v.minAge ?? null,
        hoursPerShift: v.hoursPerShift ?? null,
        needsApproval: v.needsApproval,
        recruitFrom: localToIso(v.recruitFrom),
        recruitUntil: localToIso(v.recruitUntil),
        shifts: v.shifts.map((s) => ({
          startsAt: localToIso(s.startsAt),
          endsAt: localToIso(s.endsAt),
          capacity: s.capacity,
        })),
      });
      setOpen(false);
      form.resetFields();
      nav(`/activities/${a.id}`);
    } catch (e) {
      reportError(e, { form });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title="活动管理"
      extra={
        can('activity:write') && (
          <Button type="primary" icon={<PlusOutlined />} onClick={openForm} data-testid="activity-new">
            发布活动
          </Button>
        )
      }
    >
      <Table
        rowKey="id"
        dataSource={data.items}
        pagination={{ current: page, total: data.total, pageSize: 20, onChange: setPage }}
        columns={[
          {
            title: '活动',
            dataIndex: 'title',
            render: (t: string, r) => <Link to={`/activities/${r.id}`}>{t}</Link>,
          },
          { title: '类别', dataIndex: 'kindLabel', width: 90 },
          { title: '主办', dataIndex: 'orgName' },
          { title: '开始', dataIndex: 'startsAt', render: fmt, width: 170 },
          { title: '报名/名额', width: 100, render: (_, r) => `${r.signedUp}/${r.capacity}` },
          { title: '待审核', dataIndex: 'pending', width: 80 },
          {
            title: '状态',
            dataIndex: 'phase',
            width: 120,
            render: (p: ActivityView['phase']) => <Tag color={PHASES[p].color}>{PHASES[p].label}</Tag>,
          },
        ]}
      />
      <Drawer
        title="发布活动"
        open={open}
        onClose={() => setOpen(false)}
        size={560}
        extra={
          <Space>
            <Button onClick={() => setOpen(false)}>取消</Button>
            <Button type="primary" loading={busy} onClick={submit} data-testid="activity-submit">
              发布
            </Button>
          </Space>
        }
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ kind: 'volunteer', needsApproval: true, shifts: [{ capacity: 10 }] }}
        >
          <Form.Item name="title" label="活动名称" rules={[{ required: true, message: '请填写活动名称' }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="kind" label="活动类别" rules={[{ required: true }]}>
            <Select options={Object.entries(ACTIVITY_KINDS).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
          <Form.Item
            name="regionCode"
            label="活动地区（12位区划代码）"
            rules={[{ required: true, pattern: /^\d{12}$/, message: '应为12位数字' }]}
          >
            <Input />
          </Form.Item>
          <Form.Item name="address" label="活动地点">
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="description" label="活动内容">
            <Input.TextArea rows={3} maxLength={5000} />
          </Form.Item>
          <Space wrap>
            <Form.Item name="minAge" label="最小年龄">
              <InputNumber min={0} max={120} />
            </Form.Item>
            <Form.Item name="hoursPerShift" label="每班次最多记时长（小时）">
              <InputNumber min={0.5} max={24} step={0.5} />
            </Form.Item>
            <Form.Item name="needsApproval" label="报名需审核" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
          <Space wrap>
            <Form.Item name="recruitFrom" label="招募开始" rules={[{ required: true, message: '必填' }]}>
              <Input type="datetime-local" data-testid="recruit-from" />
            </Form.Item>
            <Form.Item name="recruitUntil" label="招募截止" rules={[{ required: true, message: '必填' }]}>
              <Input type="datetime-local" data-testid="recruit-until" />
            </Form.Item>
          </Space>
          <Form.List name="shifts">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Space key={f.key} wrap align="end" data-testid={`shift-${i}`}>
                    <Form.Item
                      name={[f.name, 'startsAt']}
                      label={`第${i + 1}班次开始`}
                      rules={[{ required: true, message: '必填' }]}
                    >
                      <Input type="datetime-local" />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'endsAt']}
                      label="结束"
                      rules={[{ required: true, message: '必填' }]}
                    >
                      <Input type="datetime-local" />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'capacity']}
                      label="名额"
                      rules={[{ required: true, message: '必填' }]}
                    >
                      <InputNumber min={1} max={100000} />
                    </Form.Item>
                    {fields.length > 1 && (
                      <Form.Item>
                        <Button onClick={() => remove(f.name)}>删除</Button>
                      </Form.Item>
                    )}
                  </Space>
                ))}
                <Button onClick={() => add({ capacity: 10 })} data-testid="shift-add">
                  添加班次
                </Button>
              </>
            )}
          </Form.List>
        </Form>
      </Drawer>
    </Card>
  );
}
