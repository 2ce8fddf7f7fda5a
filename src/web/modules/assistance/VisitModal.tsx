import { UploadOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, Modal, Space, Upload } from 'antd';
import { useState } from 'react';
import { feedback, reportError } from '../../feedback';
import { assistApi, type CaseDetail, uploadCaseFile } from './api';

/** 入户核查: who visited when, what they found, site photos and the signed authorisation. */
export function VisitModal({
  open,
  detail,
  onClose,
  onSaved,
}: {
  open: boolean;
  detail: CaseDetail;
  onClose: () => void;
  onSaved: (d: CaseDetail) => void;
}) {
  const [form] = Form.useForm();
  const [files, setFiles] = useState<{ id: number; name: string; kind: string }[]>([]);
  const [saving, setSaving] = useState(false);
  const pick = (kind: 'photo' | 'authorization') => (file: File) => {
    uploadCaseFile(detail.id, kind, file).then(
      (f) => setFiles((x) => [...x, { ...f, kind }]),
      (e) => reportError(e),
    );
    return false;
  };
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setSaving(true);
    try {
      const d = await assistApi.visit(detail.id, {
        version: detail.version,
        visitedOn: v.visitedOn.format('YYYY-MM-DD'),
        visitors: v.visitors,
        findings: v.findings,
        fileIds: files.map((f) => f.id),
      });
      feedback()?.message.success('入户核查已记录');
      setFiles([]);
      form.resetFields();
      onSaved(d);
    } catch (e) {
      reportError(e, { form });
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      title="入户核查"
      open={open}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={saving}
      destroyOnHidden
    >
      <Form form={form} layout="vertical">
        <Form.Item name="visitedOn" label="核查日期" rules={[{ required: true }]}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="visitors" label="核查人员" rules={[{ required: true, max: 200 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="findings" label="核查情况" rules={[{ required: true, max: 2000 }]}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Space>
          <Upload accept=".jpg,.jpeg,.png" showUploadList={false} beforeUpload={pick('photo')}>
            <Button icon={<UploadOutlined />}>现场照片</Button>
          </Upload>
          <Upload accept=".pdf,.jpg,.jpeg,.png" showUploadList={false} beforeUpload={pick('authorization')}>
            <Button icon={<UploadOutlined />}>签字授权书</Button>
          </Upload>
        </Space>
        <ul data-testid="visit-files">
          {files.map((f) => (
            <li key={f.id}>
              {f.kind === 'photo' ? '照片' : '授权书'}：{f.name}
            </li>
          ))}
        </ul>
      </Form>
    </Modal>
  );
}
