import { Button, Col, Drawer, Form, Input, InputNumber, Row, Select, Space } from 'antd';
import { useState } from 'react';
import type { UnitKind, UnitOwnership } from '../../../shared/orgs';
import { validateCreditCode } from '../../../shared/rules/creditCode';
import { RegionPicker } from '../../components/RegionPicker';
import { feedback, reportError } from '../../feedback';
import { fmt, useI18n } from '../../i18n';
import { OrgPicker } from '../orgs/OrgPicker';
import { type UnitUpdate, type UnitView, unitApi } from './api';

interface Values {
  name: string;
  kind: UnitKind;
  ownership: UnitOwnership;
  creditCode?: string | null;
  regionCode: string;
  orgId: number;
  headcount: number;
  address?: string | null;
  coveringOrgIds: number[];
  status?: 'active' | 'inactive';
}

interface Props {
  unit: UnitView | null;
  onClose: () => void;
  onSaved: () => void;
}

const blank = (s: string | null | undefined) => (s == null || s.trim() === '' ? null : s.trim());
const sameIds = (a: number[], b: number[]) =>
  a.length === b.length && [...a].sort().join() === [...b].sort().join();

/** Create or edit a grassroots unit; an edit sends the changed fields with the version. */
export function UnitDrawer({ unit: initialUnit, onClose, onSaved }: Props) {
  const { m } = useI18n();
  const [form] = Form.useForm<Values>();
  const [unit, setUnit] = useState(initialUnit);
  const [busy, setBusy] = useState(false);
  const kind = Form.useWatch('kind', form);
  const pick = (label: string) => fmt(m.common.selectRequired, { label });

  const initialOf = (u: UnitView | null): Partial<Values> =>
    u
      ? {
          name: u.name,
          kind: u.kind,
          ownership: u.ownership,
          creditCode: u.creditCode,
          regionCode: u.regionCode,
          orgId: u.orgId,
          headcount: u.headcount,
          address: u.address,
          coveringOrgIds: u.coveringOrgs.map((o) => o.id),
          status: u.status,
        }
      : { headcount: 0, coveringOrgIds: [] };

  const reload = async () => {
    if (!unit) return;
    const fresh = await unitApi.get(unit.id);
    setUnit(fresh);
    form.setFieldsValue(initialOf(fresh));
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
      const clean = { ...v, name: v.name.trim(), creditCode: blank(v.creditCode), address: blank(v.address) };
      if (!unit) {
        const { status: _s, ...body } = clean;
        await unitApi.create(body);
        feedback()?.message.success(m.common.created);
      } else {
        const before = initialOf(unit);
        const patch: UnitUpdate = { version: unit.version };
        const out = patch as Record<string, unknown>;
        for (const k of [
          'name',
          'kind',
          'ownership',
          'creditCode',
          'regionCode',
          'headcount',
          'address',
          'status',
        ] as const) {
          if (clean[k] !== (before[k] ?? null)) out[k] = clean[k];
        }
        if (!sameIds(clean.coveringOrgIds, before.coveringOrgIds ?? []))
          out.coveringOrgIds = clean.coveringOrgIds;
        if (Object.keys(patch).length > 1) await unitApi.update(unit.id, patch);
        feedback()?.message.success(m.common.saved);
      }
      onSaved();
    } catch (e) {
      reportError(e, { form, onConflict: () => void reload().catch(reportError) });
    } finally {
      setBusy(false);
    }
  };

  const labels = Object.fromEntries((unit?.coveringOrgs ?? []).map((o) => [o.id, o.name]));
  if (unit) labels[unit.orgId] = unit.orgName;

  return (
    <Drawer
      open
      size={640}
      title={unit ? fmt(m.unit.editTitle, { name: unit.name }) : m.unit.createTitle}
      onClose={onClose}
      destroyOnHidden
      mask={{ closable: false }}
      extra={
        <Space>
          <Button onClick={onClose}>{m.common.cancel}</Button>
          <Button type="primary" loading={busy} onClick={submit}>
            {m.common.save}
          </Button>
        </Space>
      }
    >
      <Form form={form} name="unit" layout="vertical" initialValues={initialOf(unit)}>
        <Form.Item
          name="name"
          label={m.unit.name}
          rules={[
            { required: true, whitespace: true },
            { min: 2, max: 200 },
          ]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item
              name="kind"
              label={m.unit.kind}
              rules={[{ required: true, message: pick(m.unit.kind) }]}
            >
              <Select options={Object.entries(m.unitKind).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item
              name="ownership"
              label={m.unit.ownership}
              rules={[{ required: true, message: pick(m.unit.ownership) }]}
            >
              <Select options={Object.entries(m.unitOwnership).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="creditCode"
          label={m.unit.creditCode}
          rules={[
            { required: kind === 'enterprise' },
            {
              validator: async (_, v?: string | null) => {
                // a stored code is not re-judged: only a new or changed one is checked here
                if (!v?.trim() || v.trim().toUpperCase() === unit?.creditCode) return;
                const r = validateCreditCode(v);
                if (!r.ok) throw new Error(m.unit.creditCodeInvalid[r.reason]);
              },
            },
          ]}
        >
          <Input maxLength={18} style={{ textTransform: 'uppercase' }} />
        </Form.Item>
        <Form.Item
          name="regionCode"
          label={m.unit.region}
          rules={[{ required: true, message: pick(m.unit.region) }]}
        >
          <RegionPicker />
        </Form.Item>
        <Form.Item name="orgId" label={m.unit.org} rules={[{ required: true, message: pick(m.unit.org) }]}>
          <OrgPicker disabled={!!unit} labels={labels} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Form.Item name="headcount" label={m.unit.headcount} rules={[{ required: true }]}>
              <InputNumber min={0} max={10_000_000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          {unit && (
            <Col span={12}>
              <Form.Item name="status" label={m.common.status}>
                <Select
                  options={[
                    { value: 'active', label: m.common.active },
                    { value: 'inactive', label: m.common.inactive },
                  ]}
                />
              </Form.Item>
            </Col>
          )}
        </Row>
        <Form.Item name="address" label={m.unit.address} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="coveringOrgIds" label={m.unit.covering}>
          <OrgPicker multiple labels={labels} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
