import { Checkbox, Form, Input, Modal, Select, Switch } from 'antd';
import { useState } from 'react';
import { EDUCATION, PERSON_GROUPS, POLITICAL_STATUS } from '../../../shared/people/dicts';
import { feedback, reportError } from '../../feedback';
import { OrgPicker } from '../orgs/OrgPicker';
import { type PersonDetail, peopleApi } from './api';

const options = (d: Record<string, string>) => Object.entries(d).map(([value, label]) => ({ value, label }));

/** 登记人员: a real-name person and (optionally) their membership in the chosen organization. */
export function PersonFormModal({
  open,
  onClose,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: (p: PersonDetail) => void;
}) {
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setSaving(true);
    try {
      const r = await peopleApi.create({
        name: v.name,
        idNumber: v.idNumber,
        phone: v.phone || undefined,
        education: v.education,
        politicalStatus: v.politicalStatus,
        frontline: !!v.frontline,
        groups: v.groups ?? [],
        orgId: v.orgId,
        ...(v.member ? { membership: {} } : {}),
      });
      form.resetFields();
      if ('claimId' in r) {
        // kept by an organization outside the caller's scope: a 关联申请 was filed, nothing is shown
        feedback()?.message.info(r.message);
        onClose();
        return;
      }
      feedback()?.message.success(
        r.existing ? '此人已登记（同一身份证号只有一条记录），已关联到本组织' : '已登记',
      );
      onSaved(r);
    } catch (e) {
      reportError(e, { form });
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      title="登记人员"
      open={open}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={saving}
      destroyOnHidden
      width={560}
    >
      <Form form={form} layout="vertical" initialValues={{ member: true, frontline: false }}>
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
        <Form.Item name="phone" label="手机号码">
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item name="orgId" label="登记组织" rules={[{ required: true }]}>
          <OrgPicker />
        </Form.Item>
        <Form.Item name="member" valuePropName="checked">
          <Checkbox>同时登记为该组织会员</Checkbox>
        </Form.Item>
        <Form.Item name="education" label="学历">
          <Select allowClear options={options(EDUCATION)} />
        </Form.Item>
        <Form.Item name="politicalStatus" label="政治面貌">
          <Select allowClear options={options(POLITICAL_STATUS)} />
        </Form.Item>
        <Form.Item name="groups" label="人员类别">
          <Select
            mode="multiple"
            allowClear
            options={options(PERSON_GROUPS).filter(
              (o) => o.value !== 'disabled' && o.value !== 'hardship_worker',
            )}
          />
        </Form.Item>
        <Form.Item name="frontline" label="一线职工" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
