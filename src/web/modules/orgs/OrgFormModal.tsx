import { Col, Form, Input, InputNumber, Modal, Row, Select, Switch } from 'antd';
import { useState } from 'react';
import { LEVEL_ORDER, type OrgLevel, type OrgType } from '../../../shared/orgs';
import { ApiError } from '../../api';
import { RegionPicker } from '../../components/RegionPicker';
import { feedback, reportError } from '../../feedback';
import { fmt, useI18n } from '../../i18n';
import { type OrgDetail, type OrgUpdate, type OrgView, orgApi } from './api';

interface Values {
  name: string;
  type: OrgType;
  level: OrgLevel;
  regionCode: string;
  takesAppeals: boolean;
  contactName?: string | null;
  contactPhone?: string | null;
  sort: number;
}

interface Props {
  mode: 'create' | 'edit';
  /** the parent (create) or the organization itself (edit) */
  org: OrgDetail;
  onClose: () => void;
  onSaved: (org: OrgView) => void;
  onConflict: () => void;
}

const blank = (s: string | null | undefined) => (s == null || s.trim() === '' ? null : s.trim());

/** 新增下级 / 编辑: one form; an edit sends only the changed fields with the version. */
export function OrgFormModal({ mode, org, onClose, onSaved, onConflict }: Props) {
  const { m } = useI18n();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  const parentLevel: OrgLevel | undefined = mode === 'create' ? org.level : undefined;
  const minLevel = parentLevel ? LEVEL_ORDER.indexOf(parentLevel) : 0;
  const nextLevel = LEVEL_ORDER[Math.min(minLevel + 1, LEVEL_ORDER.length - 1)]!;
  const initial: Values =
    mode === 'create'
      ? {
          name: '',
          type: org.type,
          level: nextLevel,
          regionCode: org.regionCode,
          takesAppeals: true,
          sort: 0,
        }
      : {
          name: org.name,
          type: org.type,
          level: org.level,
          regionCode: org.regionCode,
          takesAppeals: org.takesAppeals,
          contactName: org.contactName,
          contactPhone: org.contactPhone,
          sort: org.sort,
        };

  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const clean = {
        ...v,
        name: v.name.trim(),
        contactName: blank(v.contactName),
        contactPhone: blank(v.contactPhone),
      };
      if (mode === 'create') {
        const created = await orgApi.create({ parentId: org.id, ...clean });
        feedback()?.message.success(m.common.created);
        onSaved(created);
      } else {
        const patch: OrgUpdate = { version: org.version };
        for (const k of Object.keys(clean) as (keyof Values)[]) {
          if (clean[k] !== (initial[k] ?? null)) (patch as Record<string, unknown>)[k] = clean[k];
        }
        const saved = Object.keys(patch).length > 1 ? await orgApi.update(org.id, patch) : org;
        feedback()?.message.success(m.common.saved);
        onSaved(saved);
      }
    } catch (e) {
      const constraint =
        e instanceof ApiError ? (e.details as { constraint?: unknown })?.constraint : undefined;
      if (constraint === 'orgs_sibling_name_idx')
        form.setFields([{ name: 'name', errors: [m.org.duplicateName] }]);
      else reportError(e, { form, onConflict });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={720}
      title={
        mode === 'create'
          ? fmt(m.org.createTitle, { parent: org.name })
          : fmt(m.org.editTitle, { name: org.name })
      }
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      okText={m.common.save}
      destroyOnHidden
      mask={{ closable: false }}
    >
      <Form form={form} name="org" layout="vertical" initialValues={initial} data-testid="org-form">
        <Form.Item
          name="name"
          label={m.org.name}
          rules={[
            { required: true, whitespace: true },
            { min: 2, max: 100 },
          ]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="type" label={m.org.type} rules={[{ required: true }]}>
              <Select options={Object.entries(m.orgType).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="level" label={m.org.level} rules={[{ required: true }]}>
              <Select
                options={LEVEL_ORDER.map((value, i) => ({
                  value,
                  label: m.orgLevel[value],
                  disabled: i < minLevel,
                }))}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="regionCode" label={m.org.region} rules={[{ required: true }]}>
          <RegionPicker />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="contactName" label={m.org.contactName} rules={[{ max: 50 }]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="contactPhone" label={m.org.contactPhone} rules={[{ max: 30 }]}>
              <Input maxLength={30} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="sort" label={m.org.sort} rules={[{ required: true }]}>
              <InputNumber min={0} max={100000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="takesAppeals" label={m.org.takesAppeals} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}
