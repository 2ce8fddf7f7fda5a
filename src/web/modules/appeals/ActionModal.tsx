import { UploadOutlined } from '@ant-design/icons';
import { Button, Form, Input, InputNumber, Modal, Radio, Select, Upload } from 'antd';
import { useState } from 'react';
import { SATISFACTION } from '../../../shared/appeals/constants';
import { APPEAL_ACTIONS, type AppealAction } from '../../../shared/appeals/machine';
import { api } from '../../api';
import { reportError } from '../../feedback';
import { type AppealDetail, uploadFile } from './api';

type Field =
  | 'orgId'
  | 'orgIds'
  | 'reason'
  | 'note'
  | 'reply'
  | 'days'
  | 'satisfaction'
  | 'level'
  | 'intoCode';
const FIELDS: Partial<Record<AppealAction, Field[]>> = {
  dispatch: ['orgId', 'note'],
  transfer: ['orgId', 'reason'],
  return: ['reason'],
  suspend: ['reason'],
  reopen: ['reason'],
  extend_reject: ['reason'],
  note: ['note'],
  assist: ['orgIds', 'note'],
  extend_request: ['days', 'reason'],
  extend_approve: ['days'],
  reply: ['reply'],
  visit: ['satisfaction', 'note'],
  supervise: ['level', 'note'],
  merge: ['intoCode'],
};
const REQUIRED_NOTE: AppealAction[] = ['note', 'assist', 'supervise'];

function OrgSelect(props: { multiple?: boolean; value?: unknown; onChange?: (v: unknown) => void }) {
  const [options, setOptions] = useState<{ value: number; label: string }[]>([]);
  const search = (q: string) =>
    api
      .get<{ items: { id: number; name: string; takesAppeals: boolean }[] }>('/api/orgs', { q, pageSize: 30 })
      .then((r) =>
        setOptions(r.items.filter((o) => o.takesAppeals).map((o) => ({ value: o.id, label: o.name }))),
      )
      .catch(reportError);
  return (
    <Select
      {...props}
      mode={props.multiple ? 'multiple' : undefined}
      showSearch
      filterOption={false}
      onSearch={search}
      onFocus={() => options.length === 0 && search('')}
      options={options}
      placeholder="输入组织名称或拼音首字母搜索"
      data-testid="org-select"
    />
  );
}

/** The form of one lifecycle action; sends it with the appeal's version. */
export function ActionModal(props: {
  appeal: AppealDetail;
  action: AppealAction | null;
  onClose: () => void;
  onDone: (a: AppealDetail | null) => void;
}) {
  const { appeal, action } = props;
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const [files, setFiles] = useState<{ id: number; name: string }[]>([]);
  if (!action) return null;
  const fields = FIELDS[action] ?? ['note'];
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    try {
      const body: Record<string, unknown> = { version: appeal.version };
      for (const [k, val] of Object.entries(v))
        if (val !== undefined && val !== '' && k !== 'intoCode') body[k] = val;
      if (v.intoCode) {
        const found = await api.get<{ items: { id: number }[] }>('/api/appeals', {
          trackingCode: v.intoCode,
        });
        if (!found.items[0]) {
          form.setFields([{ name: 'intoCode', errors: ['没有找到该查询码的诉求'] }]);
          return;
        }
        body.intoId = found.items[0].id;
      }
      if (files.length > 0) body.fileIds = files.map((f) => f.id);
      const r = await api.post<AppealDetail | undefined>(
        `/api/appeals/${appeal.id}/${action.replaceAll('_', '-')}`,
        body,
      );
      form.resetFields();
      setFiles([]);
      props.onDone(r ?? null);
    } catch (e) {
      reportError(e, { form });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={APPEAL_ACTIONS[action]}
      onCancel={props.onClose}
      onOk={submit}
      confirmLoading={busy}
      okText="确定"
      destroyOnHidden
      okButtonProps={{ id: 'action-ok' }}
    >
      <Form form={form} layout="vertical">
        {fields.includes('orgId') && (
          <Form.Item name="orgId" label="办理单位" rules={[{ required: true, message: '请选择办理单位' }]}>
            <OrgSelect />
          </Form.Item>
        )}
        {fields.includes('orgIds') && (
          <Form.Item name="orgIds" label="协办单位" rules={[{ required: true, message: '请选择协办单位' }]}>
            <OrgSelect multiple />
          </Form.Item>
        )}
        {fields.includes('days') && (
          <Form.Item name="days" label="延期工作日数" rules={[{ required: action === 'extend_request' }]}>
            <InputNumber min={1} max={10} />
          </Form.Item>
        )}
        {fields.includes('satisfaction') && (
          <Form.Item name="satisfaction" label="满意度" rules={[{ required: true, message: '请选择满意度' }]}>
            <Radio.Group options={Object.entries(SATISFACTION).map(([value, label]) => ({ value, label }))} />
          </Form.Item>
        )}
        {fields.includes('level') && (
          <Form.Item name="level" label="督办级别" rules={[{ required: true, message: '请选择督办级别' }]}>
            <Select
              data-testid="supervise-level"
              options={[
                { value: 'urge', label: '催办' },
                { value: 'supervise', label: '督办' },
                { value: 'listed', label: '挂牌督办' },
              ]}
            />
          </Form.Item>
        )}
        {fields.includes('intoCode') && (
          <Form.Item name="intoCode" label="合并到（主诉求查询码）" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
        )}
        {fields.includes('reason') && (
          <Form.Item name="reason" label="理由" rules={[{ required: true, min: 2, message: '请填写理由' }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        )}
        {fields.includes('reply') && (
          <Form.Item
            name="reply"
            label="答复内容"
            rules={[{ required: true, min: 2, message: '请填写答复内容' }]}
          >
            <Input.TextArea rows={5} maxLength={4000} data-testid="reply-text" />
          </Form.Item>
        )}
        {fields.includes('note') && (
          <Form.Item name="note" label="说明" rules={[{ required: REQUIRED_NOTE.includes(action) }]}>
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
        )}
        <Upload
          customRequest={async ({ file, onSuccess, onError }) => {
            try {
              const f = await uploadFile(`/api/appeals/${appeal.id}/files`, file as File);
              setFiles((x) => [...x, f]);
              onSuccess?.(f);
            } catch (e) {
              reportError(e);
              onError?.(e as Error);
            }
          }}
          accept=".jpg,.jpeg,.png,.gif,.webp,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx"
        >
          <Button icon={<UploadOutlined />}>附件（图片、PDF、Office，≤10 MB）</Button>
        </Upload>
      </Form>
    </Modal>
  );
}
