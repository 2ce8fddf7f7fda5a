import { Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { feedback, reportError } from '../../feedback';
import { fmt, useI18n } from '../../i18n';
import { type UserView, userApi } from './api';

interface Props {
  user: UserView;
  onClose: () => void;
  onDone: () => void;
}

/** 重置密码: PATCH with the version and the new password; the user's sessions end. */
export function ResetPasswordModal({ user, onClose, onDone }: Props) {
  const { m } = useI18n();
  const [form] = Form.useForm<{ password: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    let v: { password: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      await userApi.update(user.id, { version: user.version, password: v.password });
      feedback()?.message.success(m.user.passwordReset);
      onDone();
    } catch (e) {
      reportError(e, { form, rulesField: 'password', onConflict: onDone });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={fmt(m.user.resetTitle, { name: user.displayName })}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={busy}
      destroyOnHidden
    >
      <Form form={form} name="reset" layout="vertical" autoComplete="off">
        <Form.Item
          name="password"
          label={m.user.newPassword}
          rules={[{ required: true }]}
          extra={m.user.passwordPolicy}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
