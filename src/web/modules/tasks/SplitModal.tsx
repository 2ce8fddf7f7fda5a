import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Select, Space } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api } from '../../api';
import { feedback, reportError } from '../../feedback';
import { OrgPicker } from '../orgs/OrgPicker';
import type { TaskDetail } from './api';

interface Props {
  task: TaskDetail;
  open: boolean;
  onClose: () => void;
  onDone: () => Promise<void>;
}

interface Row {
  orgId?: number;
  title: string;
  dueDate?: string;
  handler?: string;
}

/** 层层分解: child tasks for subordinate organizations, deployed together; their progress rolls up. */
export function SplitModal({ task, open, onClose, onDone }: Props) {
  const [form] = Form.useForm<{ ownerOrgId?: number; rows: Row[] }>();
  const [saving, setSaving] = useState(false);
  const units = [...task.lead, ...task.co];
  const { title, dueDate } = task;
  const blank = useCallback((): Row => ({ title, dueDate: dueDate ?? '', handler: '' }), [title, dueDate]);

  // the rows start over each time the dialog opens
  useEffect(() => {
    if (open) form.setFieldsValue({ ownerOrgId: undefined, rows: [blank(), blank()] });
  }, [open, form, blank]);

  async function submit() {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is wrong
    setSaving(true);
    try {
      const r = await api.post<{ childIds: number[] }>(`/api/tasks/${task.id}/split`, {
        version: task.version,
        ...(v.ownerOrgId ? { ownerOrgId: v.ownerOrgId } : {}),
        tasks: v.rows.map((x) => ({
          title: x.title.trim(),
          content: task.content,
          leadOrgIds: [x.orgId],
          handler: x.handler?.trim() || null,
          dueDate: x.dueDate || null,
          cadence: task.cadence,
          targets: task.targets,
        })),
      });
      feedback()?.message.success(`已分解为 ${r.childIds.length} 项子任务`);
      onClose();
      await onDone();
    } catch (e) {
      reportError(e, { form, onConflict: () => void onDone() });
      if (e instanceof ApiError && e.code === 'CONFLICT') onClose();
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      title={`分解任务：${task.title}`}
      onCancel={onClose}
      onOk={submit}
      okText="分解下达"
      confirmLoading={saving}
      width={860}
      forceRender
      okButtonProps={{ 'data-testid': 'split-submit' } as Record<`data-${string}`, string>}
    >
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title={`每一行为一项子任务，交给一个下级单位牵头。子任务的完成时限不能晚于本任务（${task.dueDate ?? '不定期'}）；子任务报送的进度自动汇总为本任务的进度，全部完成时本任务随之完成。`}
      />
      <Form form={form} layout="vertical" name="split" data-testid="split-form">
        {units.length > 1 && (
          <Form.Item name="ownerOrgId" label="分解单位" extra="不选则为您所在的责任单位">
            <Select
              allowClear
              style={{ width: 320 }}
              options={units.map((o) => ({ value: o.id, label: o.name }))}
            />
          </Form.Item>
        )}
        <Form.List
          name="rows"
          rules={[
            {
              validator: async (_, rows: Row[] | undefined) => {
                if (!rows?.length) throw new Error('至少分解出一项子任务');
                const ids = rows.map((r) => r.orgId).filter(Boolean);
                if (new Set(ids).size !== ids.length) throw new Error('同一单位只需一项子任务');
              },
            },
          ]}
        >
          {(fields, { add, remove }, { errors }) => (
            <>
              {fields.map((f, i) => (
                <Space key={f.key} align="start" wrap data-testid={`split-row-${i}`}>
                  <Form.Item
                    name={[f.name, 'orgId']}
                    label={i === 0 ? '牵头单位' : undefined}
                    rules={[{ required: true, message: '请选择单位' }]}
                  >
                    <OrgPicker style={{ width: 240 }} id={`split-org-${i}`} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'title']}
                    label={i === 0 ? '子任务名称' : undefined}
                    rules={[
                      { required: true, whitespace: true, message: '请填写子任务名称' },
                      { max: 200, message: '不超过 200 个字' },
                    ]}
                  >
                    <Input style={{ width: 260 }} data-testid={`split-title-${i}`} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'dueDate']}
                    label={i === 0 ? '完成时限' : undefined}
                    rules={[
                      {
                        validator: async (_, v: string | undefined) => {
                          if (v && task.dueDate && v > task.dueDate)
                            throw new Error(`不能晚于 ${task.dueDate}`);
                        },
                      },
                    ]}
                  >
                    <Input type="date" style={{ width: 150 }} data-testid={`split-due-${i}`} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'handler']}
                    label={i === 0 ? '承办人' : undefined}
                    rules={[{ max: 40, message: '不超过 40 个字' }]}
                  >
                    <Input style={{ width: 100 }} />
                  </Form.Item>
                  <Form.Item label={i === 0 ? ' ' : undefined}>
                    <MinusCircleOutlined
                      onClick={() => remove(f.name)}
                      title="删除这一行"
                      style={{ visibility: fields.length > 1 ? 'visible' : 'hidden' }}
                    />
                  </Form.Item>
                </Space>
              ))}
              <Form.ErrorList errors={errors} />
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add(blank())}
                disabled={fields.length >= 50}
                data-testid="split-add"
              >
                添加一项子任务
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
