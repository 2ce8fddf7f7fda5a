import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Col, Form, Input, InputNumber, Modal, Row, Select, Space } from 'antd';
import { useState } from 'react';
import {
  CATEGORIES,
  CAUSES,
  EMPLOYMENT,
  HEALTH,
  HOUSING,
  RELATIONS,
  SCHOOLING,
} from '../../../shared/assistance/constants';
import { feedback, reportError } from '../../feedback';
import { useSession } from '../../session';
import { OrgPicker } from '../orgs/OrgPicker';
import { assistApi, type CaseDetail } from './api';

const options = (d: Record<string, string>) => Object.entries(d).map(([value, label]) => ({ value, label }));

/** 帮扶申请: the household (applicant first), hardship, income per member, bank account. */
export function CaseFormModal({
  open,
  onClose,
  onSaved,
}: {
  open: boolean;
  onClose: () => void;
  onSaved: (c: CaseDetail) => void;
}) {
  const [form] = Form.useForm();
  const { me } = useSession();
  const [saving, setSaving] = useState(false);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setSaving(true);
    try {
      const r = await assistApi.create({
        orgId: v.orgId,
        temporary: !!v.temporary,
        category: v.category,
        primaryCause: v.primaryCause,
        secondaryCauses: v.secondaryCauses ?? [],
        health: v.health,
        housing: v.housing,
        employment: v.employment,
        description: v.description ?? '',
        members: v.members.map((m: Record<string, unknown>) => ({
          ...m,
          monthlyIncome: m.monthlyIncome ?? 0,
        })),
        ...(v.account ? { bank: { bankName: v.bankName, account: v.account } } : {}),
      });
      feedback()?.message.success('申请已提交');
      form.resetFields();
      onSaved(r);
    } catch (e) {
      reportError(e, { form });
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      title="帮扶申请"
      open={open}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={saving}
      destroyOnHidden
      width={820}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ orgId: me?.organization.id, members: [{ relation: 'self', schooling: 'none' }] }}
      >
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="orgId" label="建档组织" rules={[{ required: true }]}>
              <OrgPicker labels={me ? { [me.organization.id]: me.organization.name } : undefined} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="category" label="困难类别" rules={[{ required: true }]}>
              <Select options={options(CATEGORIES)} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="temporary" label=" " valuePropName="checked">
              <Checkbox>临时救助</Checkbox>
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="primaryCause" label="主要致困原因" rules={[{ required: true }]}>
              <Select options={options(CAUSES)} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name="secondaryCauses" label="次要原因">
              <Select mode="multiple" options={options(CAUSES)} />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="health" label="健康状况" rules={[{ required: true }]}>
              <Select options={options(HEALTH)} />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="housing" label="住房" rules={[{ required: true }]}>
              <Select options={options(HOUSING)} />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item name="employment" label="就业" rules={[{ required: true }]}>
              <Select options={options(EMPLOYMENT)} />
            </Form.Item>
          </Col>
        </Row>
        <Form.List name="members">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Space key={f.key} align="baseline" wrap>
                  <Form.Item
                    name={[f.name, 'name']}
                    label={i === 0 ? '姓名（第一位为申请人）' : undefined}
                    rules={[{ required: true, max: 50 }]}
                  >
                    <Input placeholder="姓名" style={{ width: 110 }} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'idNumber']}
                    label={i === 0 ? '身份证号' : undefined}
                    rules={[{ required: true, pattern: /^\d{17}[\dXx]$/, message: '18位身份证号' }]}
                  >
                    <Input placeholder="身份证号" autoComplete="off" style={{ width: 190 }} />
                  </Form.Item>
                  <Form.Item
                    name={[f.name, 'relation']}
                    label={i === 0 ? '关系' : undefined}
                    rules={[{ required: true }]}
                  >
                    <Select options={options(RELATIONS)} style={{ width: 100 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'schooling']} label={i === 0 ? '在校' : undefined}>
                    <Select options={options(SCHOOLING)} style={{ width: 130 }} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'monthlyIncome']} label={i === 0 ? '月收入（元）' : undefined}>
                    <InputNumber min={0} precision={2} placeholder="0" style={{ width: 110 }} />
                  </Form.Item>
                  {i > 0 && <MinusCircleOutlined onClick={() => remove(f.name)} />}
                </Space>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ relation: 'child', schooling: 'none' })}
              >
                添加家庭成员
              </Button>
            </>
          )}
        </Form.List>
        <Row gutter={12} style={{ marginTop: 16 }}>
          <Col span={8}>
            <Form.Item name="bankName" label="开户行">
              <Input />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item name="account" label="银行账号（加密保存）">
              <Input autoComplete="off" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="description" label="困难情况说明">
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
