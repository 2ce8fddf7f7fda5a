import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Radio, Select, Space, Table, Tag, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { APPEAL_GROUPS } from '../../../../shared/appeals/constants';
import { ORG_LEVELS, ORG_TYPES } from '../../../../shared/orgs';
import { type CategoryRow, categoryOptions, configApi, namesOf, type RoutingRule, toTree } from './api';
import { useVersionedList } from './useVersionedList';

interface Props {
  categories: CategoryRow[];
}

const renumber = (rules: RoutingRule[]) => rules.map((r, i) => ({ ...r, seq: (i + 1) * 10 }));

/** 分派规则: evaluated top to bottom, the first active match names the organization type. */
export function RoutingTab({ categories }: Props) {
  const [form] = Form.useForm();
  const list = useVersionedList(configApi.rules, configApi.putRules);
  const rules = list.items;
  const [editing, setEditing] = useState<{ index: number | null } | null>(null);
  const [type, setType] = useState<string | undefined>();
  const names = useMemo(() => namesOf(categories), [categories]);
  const tree = useMemo(() => toTree(categories), [categories]);
  const ordered = useMemo(() => [...rules].sort((a, b) => a.seq - b.seq), [rules]);
  const shown = type ? ordered.filter((r) => r.orgType === type) : ordered;

  const saveAll = (next: RoutingRule[], done: string) => list.save(renumber(next), done, form);

  function open(index: number | null) {
    setEditing({ index });
    form.resetFields();
    const r = index === null ? undefined : ordered[index];
    form.setFieldsValue(
      r
        ? { ...r, groups: r.groups ?? [], categoryCodes: r.categoryCodes ?? [] }
        : { groups: [], categoryCodes: [], lowestLevel: 'county', active: true },
    );
  }

  async function submit() {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is wrong
    const rule: RoutingRule = {
      seq: 0,
      name: v.name.trim(),
      groups: v.groups?.length ? v.groups : null,
      categoryCodes: v.categoryCodes?.length ? v.categoryCodes : null,
      orgType: v.orgType,
      lowestLevel: v.lowestLevel,
      active: v.active,
    };
    const i = editing?.index ?? null;
    const next = i === null ? [...ordered, rule] : ordered.map((r, k) => (k === i ? rule : r));
    // saved, or refused because someone else saved first (the list is reloaded): the edit ends
    if ((await saveAll(next, i === null ? '规则已新增' : '规则已修改')) !== 'failed') setEditing(null);
  }

  function move(i: number, d: -1 | 1) {
    const next = [...ordered];
    const [r] = next.splice(i, 1);
    next.splice(i + d, 0, r!);
    void saveAll(next, '顺序已调整');
  }

  function remove(i: number) {
    Modal.confirm({
      title: `删除规则「${ordered[i]!.name}」？`,
      okButtonProps: { danger: true },
      okText: '删除',
      onOk: () =>
        saveAll(
          ordered.filter((_, k) => k !== i),
          '规则已删除',
        ),
    });
  }

  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title="诉求按顺序逐条匹配：第一条适用（群体和分类都符合）的启用规则决定交办的组织类型，再按诉求发生地交给该类型最低一级的组织；没有适用规则的诉求留在市群团工作部门待人工派单。分类包含其全部下级分类。"
      />
      <Space style={{ marginBottom: 12 }} wrap>
        <Select
          allowClear
          placeholder="交办组织类型"
          style={{ width: 180 }}
          value={type}
          onChange={setType}
          options={Object.entries(ORG_TYPES).map(([value, label]) => ({ value, label }))}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open(null)} data-testid="rule-add">
          新增规则
        </Button>
      </Space>
      <Table<RoutingRule>
        rowKey={(r) => `${r.seq}-${r.name}`}
        size="small"
        loading={list.loading || list.saving}
        dataSource={shown}
        data-testid="rule-table"
        pagination={{ pageSize: 20, showTotal: (t) => `共 ${t} 条`, hideOnSinglePage: true }}
        columns={[
          { title: '顺序', width: 60, render: (_: unknown, r) => ordered.indexOf(r) + 1 },
          { title: '规则名称', dataIndex: 'name' },
          {
            title: '适用群体',
            render: (_: unknown, r) =>
              r.groups ? r.groups.map((g) => <Tag key={g}>{APPEAL_GROUPS[g]}</Tag>) : <Tag>全部</Tag>,
          },
          {
            title: '适用分类（含下级）',
            render: (_: unknown, r) =>
              r.categoryCodes ? (
                r.categoryCodes.map((c) => <Tag key={c}>{names.get(c) ?? c}</Tag>)
              ) : (
                <Tag>全部</Tag>
              ),
          },
          { title: '交办组织类型', width: 140, render: (_: unknown, r) => ORG_TYPES[r.orgType] },
          { title: '最低层级', width: 100, render: (_: unknown, r) => ORG_LEVELS[r.lowestLevel] },
          {
            title: '状态',
            width: 70,
            render: (_: unknown, r) => (r.active ? <Tag color="success">启用</Tag> : <Tag>停用</Tag>),
          },
          {
            title: '操作',
            width: 200,
            render: (_: unknown, r) => {
              const i = ordered.indexOf(r);
              return (
                <Space size={0}>
                  <Button
                    type="link"
                    size="small"
                    icon={<ArrowUpOutlined />}
                    disabled={i === 0 || !!type}
                    title="上移"
                    onClick={() => move(i, -1)}
                  />
                  <Button
                    type="link"
                    size="small"
                    icon={<ArrowDownOutlined />}
                    disabled={i === ordered.length - 1 || !!type}
                    title="下移"
                    onClick={() => move(i, 1)}
                  />
                  <Button type="link" size="small" onClick={() => open(i)}>
                    修改
                  </Button>
                  <Button type="link" size="small" danger onClick={() => remove(i)}>
                    删除
                  </Button>
                </Space>
              );
            },
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing?.index === null ? '新增分派规则' : '修改分派规则'}
        onCancel={() => setEditing(null)}
        onOk={submit}
        confirmLoading={list.saving}
        okText="保存"
        forceRender
        width={640}
      >
        <Form form={form} layout="vertical" name="rule">
          <Form.Item
            name="name"
            label="规则名称"
            rules={[
              { required: true, whitespace: true, message: '请填写规则名称' },
              { min: 2, max: 60, message: '规则名称应为 2 到 60 个字' },
            ]}
          >
            <Input maxLength={60} />
          </Form.Item>
          <Form.Item name="groups" label="适用群体" extra="不选则适用于全部群体">
            <Select
              mode="multiple"
              allowClear
              options={Object.entries(APPEAL_GROUPS).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item
            name="categoryCodes"
            label="适用分类"
            extra="不选则适用于全部分类；选上级分类即包含其下级"
          >
            <TreeSelect
              multiple
              allowClear
              treeData={categoryOptions(tree)}
              showSearch={{ treeNodeFilterProp: 'title' }}
            />
          </Form.Item>
          <Space size="large" wrap>
            <Form.Item
              name="orgType"
              label="交办组织类型"
              rules={[{ required: true, message: '请选择组织类型' }]}
            >
              <Select
                style={{ width: 200 }}
                options={Object.entries(ORG_TYPES).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
            <Form.Item
              name="lowestLevel"
              label="最低交办层级"
              rules={[{ required: true, message: '请选择层级' }]}
            >
              <Select
                style={{ width: 140 }}
                options={Object.entries(ORG_LEVELS).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
            <Form.Item name="active" label="状态">
              <Radio.Group
                options={[
                  { value: true, label: '启用' },
                  { value: false, label: '停用' },
                ]}
              />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </>
  );
}
