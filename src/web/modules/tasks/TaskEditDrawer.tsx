import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Drawer, Form, Input, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { CADENCES } from '../../../shared/tasks/constants';
import { ApiError, api } from '../../api';
import { feedback, reportError } from '../../feedback';
import { OrgPicker } from '../orgs/OrgPicker';
import type { TaskDetail } from './api';

interface Props {
  task: TaskDetail;
  open: boolean;
  onClose: () => void;
  /** reloads the task (after saving, or after a version conflict) */
  onSaved: () => Promise<void>;
}

interface Values {
  title: string;
  content: string;
  leadOrgIds: number[];
  coOrgIds: number[];
  leader?: string;
  ownerPerson?: string;
  handler?: string;
  targets: string[];
  milestones: { title: string; dueDate?: string; done?: boolean }[];
  dueDate?: string;
  cadence: string;
  reason?: string;
}

const initial = (t: TaskDetail): Values => ({
  title: t.title,
  content: t.content,
  leadOrgIds: t.lead.map((o) => o.id),
  coOrgIds: t.co.map((o) => o.id),
  leader: t.leader ?? '',
  ownerPerson: t.ownerPerson ?? '',
  handler: t.handler ?? '',
  targets: t.targets,
  milestones: t.milestones.map((m) => ({ title: m.title, dueDate: m.dueDate ?? '', done: m.done })),
  dueDate: t.dueDate ?? '',
  cadence: t.cadence,
  reason: '',
});

const person = [{ max: 40, message: '不超过 40 个字' }];

/** 修改任务 (the deploying side): units, persons, targets, milestones, due date (with a reason), cadence. */
export function TaskEditDrawer({ task, open, onClose, onSaved }: Props) {
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<string | null>(null);
  const dueDate = Form.useWatch('dueDate', form);
  const dueChanged = (dueDate || null) !== task.dueDate;
  const labels = Object.fromEntries([...task.lead, ...task.co].map((o) => [o.id, o.name]));

  useEffect(() => {
    if (open) form.setFieldsValue(initial(task));
  }, [open, task, form]);
  useEffect(() => {
    if (!open) setConflict(null);
  }, [open]);

  async function save(v: Values) {
    setSaving(true);
    try {
      await api.patch(`/api/tasks/${task.id}`, {
        version: task.version,
        title: v.title.trim(),
        content: v.content?.trim() ?? '',
        leadOrgIds: v.leadOrgIds,
        coOrgIds: v.coOrgIds ?? [],
        leader: v.leader?.trim() || null,
        ownerPerson: v.ownerPerson?.trim() || null,
        handler: v.handler?.trim() || null,
        targets: (v.targets ?? []).map((x) => x.trim()).filter(Boolean),
        milestones: (v.milestones ?? []).map((m) => ({
          title: m.title.trim(),
          dueDate: m.dueDate || null,
          done: !!m.done,
        })),
        ...(dueChanged ? { dueDate: v.dueDate || null, reason: v.reason?.trim() } : {}),
        cadence: v.cadence,
      });
      feedback()?.message.success('任务已修改');
      onClose();
      await onSaved();
    } catch (e) {
      if (
        e instanceof ApiError &&
        e.code === 'CONFLICT' &&
        (e.details as { reason?: string })?.reason === 'version'
      ) {
        setConflict(
          `${e.message}：在您修改期间，这项任务已被他人修改（例如报送了进展或调整了时限）。下面已换成最新内容，请核对后重新修改并保存。`,
        );
        await onSaved();
      } else reportError(e, { form });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Drawer
      title={`修改任务：${task.title}`}
      open={open}
      onClose={onClose}
      size={720}
      forceRender
      extra={
        <Space>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={saving} onClick={() => form.submit()} data-testid="edit-save">
            保存
          </Button>
        </Space>
      }
    >
      {conflict && (
        <Alert
          type="warning"
          showIcon
          title={conflict}
          style={{ marginBottom: 12 }}
          data-testid="edit-conflict"
        />
      )}
      <Form form={form} layout="vertical" name="task-edit" onFinish={save} data-testid="task-edit">
        <Form.Item
          name="title"
          label="任务名称"
          rules={[
            { required: true, whitespace: true, message: '请填写任务名称' },
            { max: 200, message: '不超过 200 个字' },
          ]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="content" label="任务内容">
          <Input.TextArea rows={3} maxLength={20000} />
        </Form.Item>
        <Form.Item
          name="leadOrgIds"
          label="牵头单位"
          rules={[{ required: true, type: 'array', min: 1, message: '至少指定一个牵头单位' }]}
        >
          <OrgPicker multiple labels={labels} id="edit-lead" />
        </Form.Item>
        <Form.Item
          name="coOrgIds"
          label="配合单位"
          dependencies={['leadOrgIds']}
          rules={[
            {
              validator: async (_, v: number[] | undefined) => {
                const lead: number[] = form.getFieldValue('leadOrgIds') ?? [];
                if ((v ?? []).some((x) => lead.includes(x))) throw new Error('同一单位不能既牵头又配合');
              },
            },
          ]}
        >
          <OrgPicker multiple labels={labels} id="edit-co" />
        </Form.Item>
        <Space size="middle" wrap>
          <Form.Item name="leader" label="责任领导" rules={person}>
            <Input style={{ width: 200 }} data-testid="edit-leader" />
          </Form.Item>
          <Form.Item name="ownerPerson" label="责任人" rules={person}>
            <Input style={{ width: 200 }} data-testid="edit-owner-person" />
          </Form.Item>
          <Form.Item name="handler" label="承办人" rules={person}>
            <Input style={{ width: 200 }} data-testid="edit-handler" />
          </Form.Item>
        </Space>
        <Form.Item
          name="targets"
          label="目标（输入后回车）"
          rules={[
            {
              validator: async (_, v: string[] | undefined) => {
                if ((v ?? []).some((x) => x.trim().length > 200)) throw new Error('每项目标不超过 200 个字');
              },
            },
          ]}
        >
          <Select mode="tags" open={false} suffixIcon={null} data-testid="edit-targets" />
        </Form.Item>
        <Space size="middle" wrap align="start">
          <Form.Item
            name="dueDate"
            label="完成时限"
            rules={[
              {
                validator: async (_, v: string | undefined) => {
                  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
                  if (v && v !== task.dueDate && v < today)
                    throw new Error(`完成时限不能早于今天（${today}）`);
                },
              },
            ]}
          >
            <Input type="date" style={{ width: 170 }} data-testid="edit-due" />
          </Form.Item>
          <Form.Item name="cadence" label="报送频次" rules={[{ required: true, message: '请选择报送频次' }]}>
            <Select
              style={{ width: 140 }}
              options={Object.entries(CADENCES).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
        </Space>
        {dueChanged && (
          <Form.Item
            name="reason"
            label="调整时限的理由"
            rules={[
              { required: true, whitespace: true, message: '调整完成时限须说明理由' },
              { max: 500, message: '不超过 500 个字' },
            ]}
          >
            <Input.TextArea rows={2} data-testid="edit-reason" />
          </Form.Item>
        )}
        <Form.Item label="工作节点">
          <Form.List name="milestones">
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Space key={f.key} align="baseline" wrap data-testid={`milestone-${i}`}>
                    <Form.Item
                      name={[f.name, 'title']}
                      rules={[
                        { required: true, whitespace: true, message: '请填写节点内容' },
                        { max: 200, message: '不超过 200 个字' },
                      ]}
                    >
                      <Input placeholder="节点内容" style={{ width: 300 }} />
                    </Form.Item>
                    <Form.Item
                      name={[f.name, 'dueDate']}
                      dependencies={['dueDate']}
                      rules={[
                        {
                          validator: async (_, v: string | undefined) => {
                            const due = form.getFieldValue('dueDate');
                            if (v && due && v > due) throw new Error('节点不能晚于完成时限');
                          },
                        },
                      ]}
                    >
                      <Input type="date" style={{ width: 160 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'done']} valuePropName="checked">
                      <Checkbox>已完成</Checkbox>
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(f.name)} title="删除节点" />
                  </Space>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  disabled={fields.length >= 50}
                  onClick={() => add({ title: '', dueDate: '', done: false })}
                  data-testid="milestone-add"
                >
                  添加节点
                </Button>
              </>
            )}
          </Form.List>
        </Form.Item>
      </Form>
    </Drawer>
  );
}
