import { PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, InputNumber, Modal, Radio, Select, Space, Table, Tag, TreeSelect } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { CATEGORY_KINDS } from '../../../../shared/appeals/constants';
import { feedback, reportError } from '../../../feedback';
import {
  type CategoryRow,
  type CategoryTreeRow,
  CODE_PATTERN,
  categoryOptions,
  configApi,
  toTree,
} from './api';

interface Props {
  categories: CategoryRow[];
  loading: boolean;
  reload: () => Promise<void>;
}

interface Editing {
  mode: 'add' | 'edit';
  row?: CategoryRow;
  parentCode?: string | null;
}

/** Keeps the nodes that match (and the path to them). */
function filterTree(nodes: CategoryTreeRow[], keep: (n: CategoryRow) => boolean): CategoryTreeRow[] {
  const out: CategoryTreeRow[] = [];
  for (const n of nodes) {
    const children = n.children ? filterTree(n.children, keep) : [];
    if (keep(n) || children.length) out.push({ ...n, children: children.length ? children : undefined });
  }
  return out;
}

/** The category tree: add (top level or below), edit, disable and enable again. */
export function CategoryTab({ categories, loading, reload }: Props) {
  const [form] = Form.useForm();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [saving, setSaving] = useState(false);
  const [q, setQ] = useState('');
  const [status, setStatus] = useState<'active' | 'inactive' | undefined>();
  const [expanded, setExpanded] = useState<readonly React.Key[]>([]);
  const tree = useMemo(() => toTree(categories), [categories]);
  const shown = useMemo(() => {
    const s = q.trim().toUpperCase();
    if (!s && !status) return tree;
    return filterTree(
      tree,
      (n) =>
        (!s || n.name.toUpperCase().includes(s) || n.code.includes(s)) &&
        (!status || n.active === (status === 'active')),
    );
  }, [tree, q, status]);

  // a search opens the branches that hold its matches
  useEffect(() => {
    if (!q.trim() && !status) return;
    const keys: string[] = [];
    const walk = (ns: CategoryTreeRow[]) => {
      for (const n of ns)
        if (n.children) {
          keys.push(n.code);
          walk(n.children);
        }
    };
    walk(shown);
    setExpanded(keys);
  }, [shown, q, status]);

  function open(e: Editing) {
    setEditing(e);
    form.resetFields();
    form.setFieldsValue(
      e.row
        ? { ...e.row }
        : {
            parentCode: e.parentCode ?? null,
            kind: categories.find((c) => c.code === e.parentCode)?.kind ?? 'help',
            sort: 0,
            active: true,
          },
    );
  }

  async function save() {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is wrong
    setSaving(true);
    try {
      await configApi.putCategory(v.code, {
        parentCode: v.parentCode ?? null,
        name: v.name.trim(),
        kind: v.kind,
        sort: v.sort ?? 0,
        active: v.active,
        // the version the edit started from; a new category has none
        version: editing?.mode === 'edit' && editing.row ? editing.row.version : null,
      });
      feedback()?.message.success(editing?.mode === 'add' ? '分类已新增' : '分类已修改');
      setEditing(null);
      await reload();
      const parent: string | null = v.parentCode ?? null;
      if (parent) setExpanded((k) => [...new Set([...k, parent])]);
    } catch (e) {
      // changed by someone else meanwhile: the notice, the latest tree, the edit ends
      reportError(e, {
        form,
        onConflict: () => {
          setEditing(null);
          void reload();
        },
      });
    } finally {
      setSaving(false);
    }
  }

  function toggle(row: CategoryRow) {
    const disabling = row.active;
    Modal.confirm({
      title: `${disabling ? '停用' : '启用'}分类「${row.name}」？`,
      content: disabling
        ? '停用后群众和坐席不能再选择此分类（及其下级分类），已受理的诉求不受影响。'
        : '启用后此分类重新出现在受理表单中。',
      okText: disabling ? '停用' : '启用',
      okButtonProps: { danger: disabling },
      onOk: async () => {
        try {
          // the row's own fields only (a tree row also has its children), with its version
          const { code, parentCode, name, kind, sort, version } = row;
          await configApi.putCategory(code, { parentCode, name, kind, sort, active: !row.active, version });
          feedback()?.message.success(disabling ? '已停用' : '已启用');
          await reload();
        } catch (e) {
          reportError(e, { onConflict: () => void reload() });
        }
      },
    });
  }

  return (
    <>
      <Space style={{ marginBottom: 12 }} wrap>
        <Input.Search
          placeholder="分类名称或编码"
          allowClear
          style={{ width: 220 }}
          onSearch={setQ}
          data-testid="category-search"
        />
        <Select
          allowClear
          placeholder="状态"
          style={{ width: 110 }}
          value={status}
          onChange={setStatus}
          options={[
            { value: 'active', label: '正常' },
            { value: 'inactive', label: '停用' },
          ]}
        />
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => open({ mode: 'add', parentCode: null })}
        >
          新增分类
        </Button>
      </Space>
      <Table<CategoryTreeRow>
        rowKey="code"
        size="small"
        loading={loading}
        dataSource={shown}
        pagination={false}
        data-testid="category-table"
        expandable={{ expandedRowKeys: expanded, onExpandedRowsChange: setExpanded }}
        columns={[
          { title: '分类名称', dataIndex: 'name' },
          { title: '编码', dataIndex: 'code', width: 200 },
          {
            title: '类型',
            dataIndex: 'kind',
            width: 90,
            render: (k: CategoryRow['kind']) => CATEGORY_KINDS[k],
          },
          { title: '排序', dataIndex: 'sort', width: 80 },
          {
            title: '状态',
            dataIndex: 'active',
            width: 80,
            render: (a: boolean) => (a ? <Tag color="success">正常</Tag> : <Tag>停用</Tag>),
          },
          {
            title: '操作',
            width: 220,
            render: (_: unknown, r: CategoryRow) => (
              <Space size={0}>
                <Button
                  type="link"
                  size="small"
                  disabled={!r.active}
                  onClick={() => open({ mode: 'add', parentCode: r.code })}
                >
                  新增下级
                </Button>
                <Button type="link" size="small" onClick={() => open({ mode: 'edit', row: r })}>
                  修改
                </Button>
                <Button type="link" size="small" danger={r.active} onClick={() => toggle(r)}>
                  {r.active ? '停用' : '启用'}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing?.mode === 'add' ? '新增诉求分类' : '修改诉求分类'}
        onCancel={() => setEditing(null)}
        onOk={save}
        confirmLoading={saving}
        okText="保存"
        forceRender
      >
        <Form form={form} layout="vertical" name="category" data-testid="category-form">
          <Form.Item name="parentCode" label="上级分类">
            <TreeSelect
              allowClear
              placeholder="不选则为一级分类"
              treeData={categoryOptions(tree, { exclude: editing?.row?.code })}
              treeDefaultExpandAll={false}
              showSearch={{ treeNodeFilterProp: 'title' }}
            />
          </Form.Item>
          <Form.Item
            name="code"
            label="分类编码"
            extra="大写字母开头，2 到 20 位大写字母、数字或下划线，保存后不能修改"
            normalize={(v: string) => v?.toUpperCase()}
            rules={[
              { required: true, message: '请填写分类编码' },
              {
                pattern: CODE_PATTERN,
                message: '分类编码不正确：应为大写字母开头的 2 到 20 位大写字母、数字或下划线',
              },
              {
                validator: (_, v: string) =>
                  editing?.mode === 'add' && categories.some((c) => c.code === v)
                    ? Promise.reject(
                        new Error(`编码 ${v} 已被「${categories.find((c) => c.code === v)?.name}」使用`),
                      )
                    : Promise.resolve(),
              },
            ]}
          >
            <Input disabled={editing?.mode === 'edit'} maxLength={20} />
          </Form.Item>
          <Form.Item
            name="name"
            label="分类名称"
            rules={[
              { required: true, whitespace: true, message: '请填写分类名称' },
              { min: 2, max: 40, message: '分类名称应为 2 到 40 个字' },
            ]}
          >
            <Input maxLength={40} showCount />
          </Form.Item>
          <Space size="large" wrap>
            <Form.Item name="kind" label="类型" rules={[{ required: true, message: '请选择类型' }]}>
              <Select
                style={{ width: 140 }}
                options={Object.entries(CATEGORY_KINDS).map(([value, label]) => ({ value, label }))}
              />
            </Form.Item>
            <Form.Item name="sort" label="排序（小的在前）">
              <InputNumber min={0} max={100000} precision={0} style={{ width: 140 }} />
            </Form.Item>
            <Form.Item name="active" label="状态">
              <Radio.Group
                options={[
                  { value: true, label: '正常' },
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
