import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Radio, Select, Space, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { WorkCalendar } from '../../../../shared/calendar/workdays';
import { configApi, OVERRIDE_KINDS, type WorkdayOverride } from './api';
import { useVersionedList } from './useVersionedList';

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
const shipped = new WorkCalendar();
const weekdayOf = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();
/** What the shipped national calendar says about a day. */
function nationalOf(day: string): string {
  const weekend = [0, 6].includes(weekdayOf(day));
  const work = shipped.isWorkday(day);
  if (work) return weekend ? '调休上班' : '工作日';
  return weekend ? '周末' : '法定节假日';
}

/** 工作日历: the city's own holidays and adjusted working days (调休) over the national calendar. */
export function CalendarTab() {
  const [form] = Form.useForm();
  const list = useVersionedList(configApi.calendar, configApi.putCalendar);
  const items = list.items;
  const [adding, setAdding] = useState(false);
  const [year, setYear] = useState<string | undefined>();
  const [kind, setKind] = useState<string | undefined>();

  const years = useMemo(() => [...new Set(items.map((o) => o.day.slice(0, 4)))].sort(), [items]);
  const shown = items.filter((o) => (!year || o.day.startsWith(year)) && (!kind || o.kind === kind));

  const saveAll = (next: WorkdayOverride[], done: string) => list.save(next, done, form);

  async function submit() {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is wrong
    const o: WorkdayOverride = { day: v.day, kind: v.kind, note: v.note?.trim() || null };
    const next = [...items.filter((x) => x.day !== o.day), o].sort((a, b) => a.day.localeCompare(b.day));
    // saved, or refused because someone else saved first (the list is reloaded): the edit ends
    if ((await saveAll(next, `已添加：${o.day} ${OVERRIDE_KINDS[o.kind]}`)) !== 'failed') setAdding(false);
  }

  function remove(o: WorkdayOverride) {
    Modal.confirm({
      title: `删除 ${o.day} 的${OVERRIDE_KINDS[o.kind]}安排？`,
      content: `删除后该日按国家安排：${nationalOf(o.day)}。`,
      okText: '删除',
      okButtonProps: { danger: true },
      onOk: () =>
        saveAll(
          items.filter((x) => x.day !== o.day),
          '已删除',
        ),
    });
  }

  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title="系统内置国家法定节假日和调休安排。这里登记本市的调整：临时放假（如防汛停工），或周末调休上班。调整立即用于新计算的办理时限。"
      />
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          placeholder="年份"
          style={{ width: 110 }}
          value={year}
          onChange={setYear}
          options={years.map((y) => ({ value: y, label: `${y} 年` }))}
        />
        <Select
          allowClear
          placeholder="类型"
          style={{ width: 130 }}
          value={kind}
          onChange={setKind}
          options={Object.entries(OVERRIDE_KINDS).map(([value, label]) => ({ value, label }))}
        />
        <Button
          type="primary"
          icon={<PlusOutlined />}
          data-testid="holiday-add"
          onClick={() => {
            form.resetFields();
            form.setFieldsValue({ kind: 'holiday' });
            setAdding(true);
          }}
        >
          新增调整
        </Button>
      </Space>
      <Table<WorkdayOverride>
        rowKey="day"
        size="small"
        loading={list.loading || list.saving}
        dataSource={shown}
        data-testid="holiday-table"
        pagination={{ pageSize: 20, showTotal: (t) => `共 ${t} 条`, hideOnSinglePage: true }}
        columns={[
          { title: '日期', dataIndex: 'day', width: 120 },
          { title: '星期', width: 70, render: (_: unknown, o) => `周${WEEKDAYS[weekdayOf(o.day)]}` },
          {
            title: '本市安排',
            width: 110,
            render: (_: unknown, o) => (
              <Tag color={o.kind === 'holiday' ? 'red' : 'blue'}>{OVERRIDE_KINDS[o.kind]}</Tag>
            ),
          },
          { title: '国家安排', width: 110, render: (_: unknown, o) => nationalOf(o.day) },
          { title: '说明', dataIndex: 'note', render: (n: string | null) => n ?? '—' },
          {
            title: '操作',
            width: 80,
            render: (_: unknown, o) => (
              <Button type="link" size="small" danger onClick={() => remove(o)}>
                删除
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={adding}
        title="新增工作日历调整"
        onCancel={() => setAdding(false)}
        onOk={submit}
        confirmLoading={list.saving}
        okText="保存"
        forceRender
      >
        <Form form={form} layout="vertical" name="holiday" data-testid="holiday-form">
          <Form.Item
            name="day"
            label="日期"
            dependencies={['kind']}
            rules={[
              { required: true, message: '请选择日期' },
              {
                validator: async (_, v: string) => {
                  if (!v) return;
                  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new Error('日期格式应为 YYYY-MM-DD');
                  const k = form.getFieldValue('kind') as WorkdayOverride['kind'];
                  const work = shipped.isWorkday(v);
                  if (k === 'holiday' && !work)
                    throw new Error(`${v} 按国家安排已是${nationalOf(v)}，无需设为放假`);
                  if (k === 'workday' && work) throw new Error(`${v} 按国家安排已是工作日，无需设为调休上班`);
                },
              },
            ]}
            extra={items.length ? '同一日期已有调整时，保存后替换原来的安排' : undefined}
          >
            <Input type="date" style={{ width: 180 }} data-testid="holiday-day" />
          </Form.Item>
          <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
            <Radio.Group
              options={[
                { value: 'holiday', label: '放假（不计工作日）' },
                { value: 'workday', label: '调休上班（计为工作日）' },
              ]}
            />
          </Form.Item>
          <Form.Item name="note" label="说明" rules={[{ max: 100, message: '说明不超过 100 个字' }]}>
            <Input maxLength={100} placeholder="如：本市防汛停工" data-testid="holiday-note" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
