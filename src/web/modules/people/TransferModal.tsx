import { Form, Input, Modal, Select } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { feedback, reportError } from '../../feedback';
import { peopleApi } from './api';

/**
 * 发起组织关系转接 for one membership: the receiving organization (same type, searched on the
 * server) and a reason. Used by the office on a person's page and by the person on 我的会籍.
 */
export function TransferModal({
  membership,
  reasonRequired,
  onClose,
  onDone,
}: {
  membership: { id: number; orgName: string } | null;
  reasonRequired?: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      title={`组织关系转接：${membership?.orgName ?? ''}`}
      open={!!membership}
      onCancel={onClose}
      destroyOnHidden
      confirmLoading={busy}
      okText="提交"
      onOk={async () => {
        // an incomplete form shows its messages; the dialog stays open
        const v = await form.validateFields().catch(() => null);
        if (!v) return;
        setBusy(true);
        try {
          await peopleApi.transfer({ membershipId: membership!.id, toOrgId: v.toOrgId, reason: v.reason });
          feedback()?.message.success('已发起转接，待接收方审批');
          onClose();
          onDone();
        } catch (e) {
          reportError(e, { onConflict: onDone });
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item
          name="toOrgId"
          label="接收组织（须为同类组织）"
          rules={[{ required: true, message: '请选择接收组织' }]}
        >
          {membership && <TargetSelect membershipId={membership.id} />}
        </Form.Item>
        <Form.Item
          name="reason"
          label="转接原因"
          rules={reasonRequired ? [{ required: true, whitespace: true, message: '请填写转接原因' }] : []}
        >
          <Input maxLength={200} placeholder="如：工作调动、搬家" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The organizations a membership may move to, searched by name on the server. */
function TargetSelect({
  membershipId,
  value,
  onChange,
}: {
  membershipId: number;
  value?: number;
  onChange?: (v: number) => void;
}) {
  const [items, setItems] = useState<{ id: number; name: string }[]>([]);
  const search = useCallback(
    (q: string) => {
      api
        .get<{ id: number; name: string }[]>('/api/transfers/targets', { membershipId, q })
        .then(setItems)
        .catch(reportError);
    },
    [membershipId],
  );
  useEffect(() => search(''), [search]);
  return (
    <Select
      showSearch
      value={value}
      onChange={onChange}
      filterOption={false}
      onSearch={search}
      placeholder="输入组织名称搜索"
      options={items.map((o) => ({ value: o.id, label: o.name }))}
      data-testid="transfer-target"
    />
  );
}
