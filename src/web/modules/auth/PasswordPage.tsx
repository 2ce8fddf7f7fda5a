import { Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { api } from '../../api';
import { feedback, reportError } from '../../feedback';
import { useI18n } from '../../i18n';

interface Values {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

/** 个人中心 → 修改密码 (POST /api/auth/password). */
export default function PasswordPage({ onChanged }: { onChanged?: () => void } = {}) {
  const { m } = useI18n();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);

  const onFinish = async (v: Values) => {
    setBusy(true);
    try {
      await api.post('/api/auth/password', { oldPassword: v.oldPassword, newPassword: v.newPassword });
      feedback()?.message.success(m.password.changed);
      form.resetFields();
      onChanged?.();
    } catch (e) {
      reportError(e, { form, rulesField: 'newPassword' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={m.password.title} style={{ maxWidth: 560 }}>
      <Form form={form} name="password" layout="vertical" onFinish={onFinish} autoComplete="off">
        <Form.Item name="oldPassword" label={m.password.old} rules={[{ required: true }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={m.password.new}
          rules={[{ required: true }]}
          extra={m.user.passwordPolicy}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={m.password.confirm}
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_, v) =>
                !v || v === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error(m.password.mismatch)),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {m.common.save}
        </Button>
      </Form>
    </Card>
  );
}
