import { PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Form, InputNumber, Modal, Select, Space, Table, Tag, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { APPEAL_PRIORITIES } from '../../../../shared/appeals/constants';
import { type CategoryRow, categoryOptions, configApi, namesOf, type SlaRule, toTree } from './api';
import { useVersionedList } from './useVersionedList';

interface Props {
  categories: CategoryRow[];
}

const DAY_FIELDS = [
  ['signDays', '签收', 30],
  ['returnDays', '退单', 30],
  ['replyDays', '答复', 120],
  ['visitDays', '回访', 30],
  ['maxExtensionDays', '最长延期', 60],
] as const;

const isDefault = (r: SlaRule) => r.categoryCode === null && r.priority === null;
const keyOf = (r: Pick<SlaRule, 'categoryCode' | 'priority'>) =>
  `${r.categoryCode ?? '*'}|${r.priority ?? '*'}`;
const ANY = '__any__';

/** 办理时限 per category (and below) and priority, in working days. */
export function SlaTab({ categories }: Props) {
  const [form] = Form.useForm();
  const list = useVersionedList(configApi.sla, configApi.putSla);
  const rules = list.items;
  const [editing, setEditing] = useState<{ rule: SlaRule | null } | null>(null);
  const [category, setCategory] = useState<string | undefined>();
  const [priority, setPriority] = useState<string | undefined>();
  const names = useMemo(() => namesOf(categories), [categories]);
  const tree = useMemo(() => toTree(categories), [categories]);
  const sorted = useMemo(
    () =>
      [...rules].sort(
        (a, b) =>
          Number(!isDefault(a)) - Number(!isDefault(b)) ||
          (a.categoryCode ?? '').localeCompare(b.categoryCode ?? '') ||
          (a.priority ?? '').localeCompare(b.priority ?? ''),
      ),
    [rules],
  );
  const shown = sorted.filter(
    (r) =>
      (!category || (category === ANY ? r.categoryCode === null : r.categoryCode === category)) &&
      (!priority || (priority === ANY ? r.priority === null : r.priority === priority)),
  );

  const saveAll = (next: SlaRule[], done: string) => list.save(next, done, form);

  function open(rule: SlaRule | null) {
    setEditing({ rule });
    form.resetFields();
    form.setFieldsValue(
      rule
        ? { ...rule, categoryCode: rule.categoryCode ?? undefined, priority: rule.priority ?? ANY }
        : { priority: ANY, signDays: 1, returnDays: 2, replyDays: 5, visitDays: 1, maxExtensionDays: 10 },
    );
  }

  async function submit() {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is wrong
    const rule: SlaRule = {
      categoryCode: v.categoryCode ?? null,
      priority: v.priority === ANY ? null : v.priority,
      signDays: v.signDays,
      returnDays: v.returnDays,
      replyDays: v.replyDays,
      visitDays: v.visitDays,
      maxExtensionDays: v.maxExtensionDays,
    };
    const old = editing?.rule;
    const next = old ? rules.map((r) => (r === old ? rule : r)) : [...rules, rule];
    // saved, or refused because someone else saved first (the list is reloaded): the edit ends
    if ((await saveAll(next, old ? '时限已修改' : '时限已新增')) !== 'failed') setEditing(null);
  }

  function remove(rule: SlaRule) {
    Modal.confirm({
      title: '删除这条时限？',
      content: '删除后此分类按上级分类或默认时限计算。',
      okText: '删除',
      okButtonProps: { danger: true },
      onOk: () =>
        saveAll(
          rules.filter((r) => r !== rule),
          '时限已删除',
        ),
    });
  }

  const categoryFilter = [
    { value: ANY, title: '默认（全部分类）' },
    ...categoryOptions(tree, { withInactive: true }),
  ];
  return (
    <>
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 12 }}
        title="时限按工作日计算（法定节假日和调休见“工作日历”）。最具体的一条生效：分类的规则也适用于其下级分类；指定优先级的规则优先于任何分类（紧急即紧急）。0 天表示当日办结。"
      />
      <Space style={{ marginBottom: 12 }} wrap>
        <TreeSelect
          allowClear
          placeholder="分类"
          style={{ width: 220 }}
          value={category}
          onChange={setCategory}
          treeData={categoryFilter}
          showSearch={{ treeNodeFilterProp: 'title' }}
        />
        <Select
          allowClear
          placeholder="优先级"
          style={{ width: 120 }}
          value={priority}
          onChange={setPriority}
          options={[
            { value: ANY, label: '全部优先级' },
            ...Object.entries(APPEAL_PRIORITIES).map(([value, label]) => ({ value, label })),
          ]}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => open(null)} data-testid="sla-add">
          新增时限
        </Button>
      </Space>
      <Table<SlaRule>
        rowKey={keyOf}
        size="small"
        loading={list.loading || list.saving}
        dataSource={shown}
        data-testid="sla-table"
        pagination={{ pageSize: 20, showTotal: (t) => `共 ${t} 条`, hideOnSinglePage: true }}
        columns={[
          {
            title: '分类',
            render: (_: unknown, r) =>
              r.categoryCode ? (
                `${names.get(r.categoryCode) ?? r.categoryCode}（${r.categoryCode}）`
              ) : (
                <Tag color="blue">默认（全部分类）</Tag>
              ),
          },
          {
            title: '优先级',
            width: 100,
            render: (_: unknown, r) => (r.priority ? APPEAL_PRIORITIES[r.priority] : '全部'),
          },
          ...DAY_FIELDS.map(([k, label]) => ({
            title: `${label}（工作日）`,
            dataIndex: k,
            width: 110,
          })),
          {
            title: '操作',
            width: 120,
            render: (_: unknown, r: SlaRule) => (
              <Space size={0}>
                <Button type="link" size="small" onClick={() => open(r)}>
                  修改
                </Button>
                {!isDefault(r) && (
                  <Button type="link" size="small" danger onClick={() => remove(r)}>
                    删除
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing?.rule ? '修改办理时限' : '新增办理时限'}
        onCancel={() => setEditing(null)}
        onOk={submit}
        confirmLoading={list.saving}
        okText="保存"
        forceRender
        width={620}
      >
        <Form form={form} layout="vertical" name="sla" data-testid="sla-form">
          <Space size="large" wrap>
            <Form.Item
              name="categoryCode"
              label="分类"
              extra="不选则为默认时限"
              rules={[
                {
                  validator: async (_, v: string | undefined) => {
                    const p = form.getFieldValue('priority');
                    const key = keyOf({ categoryCode: v ?? null, priority: p === ANY ? null : p });
                    if (rules.some((r) => keyOf(r) === key && r !== editing?.rule))
                      throw new Error('同一分类和优先级已有一条时限，请修改那一条');
                  },
                },
              ]}
            >
              <TreeSelect
                allowClear
                style={{ width: 300 }}
                disabled={!!editing?.rule && isDefault(editing.rule)}
                treeData={categoryOptions(tree)}
                showSearch={{ treeNodeFilterProp: 'title' }}
                data-testid="sla-category"
              />
            </Form.Item>
            <Form.Item name="priority" label="优先级">
              <Select
                style={{ width: 140 }}
                disabled={!!editing?.rule && isDefault(editing.rule)}
                onChange={() => void form.validateFields(['categoryCode']).catch(() => {})}
                options={[
                  { value: ANY, label: '全部优先级' },
                  ...Object.entries(APPEAL_PRIORITIES).map(([value, label]) => ({ value, label })),
                ]}
              />
            </Form.Item>
          </Space>
          <Space size="middle" wrap>
            {DAY_FIELDS.map(([k, label, max]) => (
              <Form.Item
                key={k}
                name={k}
                label={`${label}（工作日）`}
                rules={[{ required: true, message: `请填写${label}时限` }]}
              >
                <InputNumber
                  min={0}
                  max={max}
                  precision={0}
                  style={{ width: 100 }}
                  data-testid={`sla-${k}`}
                />
              </Form.Item>
            ))}
          </Space>
        </Form>
      </Modal>
    </>
  );
}
