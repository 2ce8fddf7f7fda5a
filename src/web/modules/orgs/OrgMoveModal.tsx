import { Form, Modal } from 'antd';
import { useState } from 'react';
import { feedback, reportError } from '../../feedback';
import { fmt, useI18n } from '../../i18n';
import { type OrgDetail, orgApi } from './api';
import { OrgPicker } from './OrgPicker';

interface Props {
  org: OrgDetail;
  onClose: () => void;
  onMoved: (newParentId: number) => void;
  onConflict: () => void;
}

/** 移动: re-parents the organization with its subtree (the server refuses cycles). */
export function OrgMoveModal({ org, onClose, onMoved, onConflict }: Props) {
  const { m } = useI18n();
  const [form] = Form.useForm<{ parentId: number }>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    let v: { parentId: number };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      await orgApi.move(org.id, { version: org.version, parentId: v.parentId });
      feedback()?.message.success(m.org.moved);
      onMoved(v.parentId);
    } catch (e) {
      reportError(e, { form, onConflict });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={fmt(m.org.moveTitle, { name: org.name })}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Form form={form} name="move" layout="vertical" initialValues={{ parentId: org.parentId ?? undefined }}>
        <Form.Item name="parentId" label={m.org.moveTarget} rules={[{ required: true }]}>
          <OrgPicker disabledIds={[org.id]} allowClear={false} labels={parentLabel(org)} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function parentLabel(org: OrgDetail): Record<number, string> {
  const p = org.ancestors[org.ancestors.length - 1];
  return p && p.id === org.parentId ? { [p.id]: p.name } : {};
}
