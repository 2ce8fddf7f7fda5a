import { LockOutlined, TranslationOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../../api';
import { fmt, useI18n } from '../../i18n';
import { type LoginState, useSession } from '../../session';

interface Values {
  username: string;
  password: string;
}

/** Sign-in: the server's message is shown as is (wrong password, account locked …). */
export default function LoginPage() {
  const { m, lang, setLang } = useI18n();
  const { me, login, mustChangePassword } = useSession();
  const navigate = useNavigate();
  const state = (useLocation().state ?? {}) as LoginState;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (me || mustChangePassword) return <Navigate to={state.from ?? '/'} replace />;

  // the server answers in Chinese; the two answers of this page also exist in the chosen language
  const messageOf = (e: ApiError) => {
    if (lang === 'zh') return e.message;
    if (e.code === 'UNAUTHENTICATED') return m.login.badCredentials;
    const minutes = (e.details as { minutes?: unknown } | undefined)?.minutes;
    if (e.code === 'LOCKED' && typeof minutes === 'number') return fmt(m.login.locked, { minutes });
    return e.message;
  };

  const onFinish = async (v: Values) => {
    setBusy(true);
    setError(null);
    try {
      await login(v.username.trim(), v.password);
      navigate(state.from && state.from !== '/login' ? state.from : '/', { replace: true });
    } catch (e) {
      setError(e instanceof ApiError && e.code !== 'NETWORK' ? messageOf(e) : m.errors.network);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(135deg, #8f1d1d 0%, #c62f2f 45%, #e8a33d 100%)',
        padding: 16,
      }}
    >
      <Button
        type="text"
        icon={<TranslationOutlined />}
        style={{ position: 'absolute', top: 16, right: 16, color: '#fff' }}
        onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
      >
        {m.app.language}
      </Button>
      <Card style={{ width: 400, boxShadow: '0 8px 32px rgba(0,0,0,.2)' }}>
        <div style={{ textAlign: 'center', marginBottom: 24 }}>
          <Typography.Title level={2} style={{ marginBottom: 4, letterSpacing: 4 }}>
            {m.app.name}
          </Typography.Title>
          <Typography.Text strong>{m.app.fullName}</Typography.Text>
          <div>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {m.login.slogan}
            </Typography.Text>
          </div>
        </div>
        {state.expired && !error && (
          <Alert type="warning" showIcon title={m.errors.sessionExpired} style={{ marginBottom: 16 }} />
        )}
        {error && (
          <Alert
            type="error"
            showIcon
            title={error}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
            role="alert"
          />
        )}
        <Form<Values> name="login" size="large" onFinish={onFinish} autoComplete="off">
          <Form.Item name="username" rules={[{ required: true, message: m.login.usernameRequired }]}>
            <Input
              prefix={<UserOutlined />}
              placeholder={m.login.username}
              autoFocus
              autoComplete="username"
            />
          </Form.Item>
          <Form.Item name="password" rules={[{ required: true, message: m.login.passwordRequired }]}>
            <Input.Password
              prefix={<LockOutlined />}
              placeholder={m.login.password}
              autoComplete="current-password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {m.login.submit}
          </Button>
        </Form>
        <div style={{ textAlign: 'center', marginTop: 20 }}>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {m.login.footer}
          </Typography.Text>
        </div>
      </Card>
    </div>
  );
}
