import { UploadOutlined } from '@ant-design/icons';
import { Button, Card, Form, Input, InputNumber, Select, Upload, type UploadFile } from 'antd';
import { useState } from 'react';
import { MAX_UPLOAD_BYTES } from '../../../shared/tasks/constants';
import { api } from '../../api';
import { feedback, reportError } from '../../feedback';
import { type TaskDetail, uploadRaw } from './api';

const ACCEPT = '.jpg,.jpeg,.png,.pdf,.doc,.docx,.xls,.xlsx,.txt';

/** 报送进展: percent, what was done, attachments (uploaded first, linked by id on submit). */
export function ReportForm({ task, onDone }: { task: TaskDetail; onDone: () => Promise<void> }) {
  const [form] = Form.useForm();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [saving, setSaving] = useState(false);
  const uploading = files.some((f) => f.status === 'uploading');
  const units = [...task.lead, ...task.co];

  async function submit(v: { percent: number; content: string; orgId?: number }) {
    setSaving(true);
    try {
      await api.post(`/api/tasks/${task.id}/reports`, {
        version: task.version,
        percent: v.percent,
        content: v.content.trim(),
        ...(v.orgId ? { orgId: v.orgId } : {}),
        fileIds: files.filter((f) => f.status === 'done').map((f) => (f.response as { id: number }).id),
      });
      feedback()?.message.success('进展已报送');
      form.resetFields();
      setFiles([]);
      await onDone();
    } catch (e) {
      reportError(e, { form, onConflict: () => void onDone() });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card title="报送进展" size="small" style={{ width: 440 }} data-testid="report-form">
      <Form
        form={form}
        layout="vertical"
        name="report"
        onFinish={submit}
        initialValues={{ percent: task.progress }}
      >
        {units.length > 1 && (
          <Form.Item name="orgId" label="报送单位" extra="不选则为您所在的责任单位">
            <Select allowClear options={units.map((o) => ({ value: o.id, label: o.name }))} />
          </Form.Item>
        )}
        <Form.Item
          name="percent"
          label="完成进度（%）"
          rules={[
            { required: true, message: '请填写完成进度' },
            { type: 'integer', min: 0, max: 100, message: '进度应为 0 到 100 的整数' },
          ]}
        >
          <InputNumber min={0} max={100} precision={0} style={{ width: 120 }} data-testid="report-percent" />
        </Form.Item>
        <Form.Item
          name="content"
          label="进展情况"
          rules={[
            { required: true, whitespace: true, message: '请填写进展情况' },
            { min: 2, max: 5000, message: '进展情况应为 2 到 5000 个字' },
          ]}
        >
          <Input.TextArea rows={3} data-testid="report-content" />
        </Form.Item>
        <Form.Item label="附件" extra="图片、PDF、Word、Excel 或文本，每个不超过 10 MB，最多 20 个">
          <div data-testid="report-upload">
            <Upload
              accept={ACCEPT}
              fileList={files}
              multiple
              maxCount={20}
              onChange={({ fileList }) => setFiles(fileList)}
              beforeUpload={(file) => {
                if (file.size > MAX_UPLOAD_BYTES) {
                  feedback()?.message.error(`「${file.name}」超过 10 MB`);
                  return Upload.LIST_IGNORE;
                }
                return true;
              }}
              customRequest={({ file, onSuccess, onError }) => {
                uploadRaw<{ id: number; name: string; size: number }>(
                  `/api/tasks/${task.id}/files`,
                  file as File,
                )
                  .then((r) => onSuccess?.(r))
                  .catch((e: Error) => {
                    feedback()?.message.error(`「${(file as File).name}」上传失败：${e.message}`);
                    onError?.(e);
                  });
              }}
            >
              <Button icon={<UploadOutlined />}>选择文件</Button>
            </Upload>
          </div>
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={saving}
          disabled={uploading}
          data-testid="report-submit"
        >
          报送
        </Button>
      </Form>
    </Card>
  );
}
