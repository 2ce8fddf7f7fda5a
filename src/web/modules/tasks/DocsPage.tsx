import { UploadOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, Select, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { DOC_KINDS } from '../../../shared/tasks/constants';
import { api } from '../../api';
import { usePaged } from '../../components/usePaged';
import { feedback, reportError } from '../../feedback';
import { formatTime } from '../../format';
import { useSession } from '../../session';
import { OrgPicker } from '../orgs/OrgPicker';
import { type DocView, uploadRaw } from './api';

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

/** 文档分解: paste or upload a speech, plan or minutes; then review its decomposition. */
export default function DocsPage() {
  const { me, can } = useSession();
  const navigate = useNavigate();
  const [form] = Form.useForm();
  const [saving, setSaving] = useState(false);
  const list = usePaged<DocView>('/api/task-docs');

  async function onUpload(file: File) {
    try {
      const r = await uploadRaw<{ text: string; fileHash: string; name: string; notices: string[] }>(
        '/api/task-docs/extract',
        file,
      );
      form.setFieldsValue({
        body: r.text,
        fileHash: r.fileHash,
        sourceName: r.name,
        title: form.getFieldValue('title') || r.name.replace(/\.[^.]+$/, ''),
      });
      feedback()?.message.success(`已读取「${r.name}」`);
      for (const n of r.notices ?? []) feedback()?.message.warning(n);
    } catch (e) {
      feedback()?.message.error((e as Error).message);
    }
    return false;
  }

  async function submit(v: Record<string, unknown>) {
    setSaving(true);
    try {
      const d = await api.post<DocView>('/api/task-docs', { ...v, docNo: v.docNo || null });
      navigate(`/tasks/docs/${d.id}/review`);
    } catch (e) {
      reportError(e, { form });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      {can('task:write') && (
        <Card title="录入文档（讲话、方案、通知、会议纪要）" data-testid="doc-form">
          <Form
            form={form}
            layout="vertical"
            onFinish={submit}
            initialValues={{ kind: 'speech', docDate: today(), orgId: me?.organization.id }}
          >
            <Space wrap align="start">
              <Form.Item name="title" label="标题" rules={[{ required: true, message: '请填写标题' }]}>
                <Input style={{ width: 320 }} placeholder="如：全市群团工作会议讲话" />
              </Form.Item>
              <Form.Item name="kind" label="类型">
                <Select
                  style={{ width: 140 }}
                  options={Object.entries(DOC_KINDS).map(([value, label]) => ({ value, label }))}
                />
              </Form.Item>
              <Form.Item
                name="orgId"
                label="发文单位"
                rules={[{ required: true, message: '请选择发文单位' }]}
              >
                <OrgPicker
                  style={{ width: 260 }}
                  labels={me ? { [me.organization.id]: me.organization.name } : undefined}
                />
              </Form.Item>
              <Form.Item name="docNo" label="发文字号">
                <Input style={{ width: 200 }} placeholder="张政发〔2026〕37号" />
              </Form.Item>
              <Form.Item name="docDate" label="成文日期" rules={[{ required: true }]}>
                <Input type="date" style={{ width: 160 }} data-testid="doc-date" />
              </Form.Item>
            </Space>
            <Form.Item
              name="body"
              label="正文（粘贴文本，或上传 .txt / .docx / .doc / .xlsx / PDF；任务分工表按表头读取）"
              rules={[{ required: true, message: '请粘贴正文或上传文件' }]}
            >
              <Input.TextArea rows={10} data-testid="doc-body" placeholder="同志们：……" />
            </Form.Item>
            <Form.Item name="fileHash" hidden>
              <Input />
            </Form.Item>
            <Form.Item name="sourceName" hidden>
              <Input />
            </Form.Item>
            <Space>
              <Upload accept=".txt,.docx,.doc,.xlsx,.pdf" showUploadList={false} beforeUpload={onUpload}>
                <Button icon={<UploadOutlined />}>上传文件</Button>
              </Upload>
              <Button type="primary" htmlType="submit" loading={saving} data-testid="doc-submit">
                保存并分解
              </Button>
            </Space>
          </Form>
        </Card>
      )}
      <Card title="文档">
        <Table<DocView>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data.items}
          pagination={list.pagination}
          columns={[
            {
              title: '标题',
              dataIndex: 'title',
              render: (t, d) => <Link to={`/tasks/docs/${d.id}/review`}>{t}</Link>,
            },
            { title: '发文字号', dataIndex: 'docNo', width: 180 },
            { title: '发文单位', render: (_, d) => d.org.name, width: 200 },
            { title: '日期', dataIndex: 'docDate', width: 110 },
            { title: '字数', dataIndex: 'chars', width: 80 },
            { title: '任务', dataIndex: 'taskCount', width: 70 },
            {
              title: '状态',
              dataIndex: 'status',
              width: 90,
              render: (s) => (s === 'published' ? <Tag color="success">已发布</Tag> : <Tag>草稿</Tag>),
            },
            { title: '录入', render: (_, d) => `${d.createdBy} ${formatTime(d.createdAt)}`, width: 220 },
          ]}
        />
      </Card>
    </Space>
  );
}
