import {
  DownOutlined,
  KeyOutlined,
  LogoutOutlined,
  TranslationOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { App, Avatar, Button, Dropdown, Space, Typography } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { Notifications } from './Notifications';

/** Right side of the top bar: notifications, language, the user with their organization. */
export function HeaderBar({ compact = false }: { compact?: boolean }) {
  const { m, lang, setLang } = useI18n();
  const { me, logout } = useSession();
  const navigate = useNavigate();
  const { message } = App.useApp();
  if (!me) return null;

  const onLogout = async () => {
    await logout().catch(() => {});
    message.success(m.layout.loggedOut);
  };

  return (
    <Space size={4} align="center">
      <Notifications />
      <Button
        type="text"
        icon={<TranslationOutlined />}
        onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
        data-testid="lang-switch"
        aria-label={m.app.language}
      >
        {compact ? null : m.app.language}
      </Button>
      <Dropdown
        menu={{
          items: [
            {
              key: 'password',
              icon: <KeyOutlined />,
              label: m.menu.password,
              onClick: () => navigate('/personal/password'),
            },
            { type: 'divider' },
            { key: 'logout', icon: <LogoutOutlined />, label: m.layout.logout, onClick: onLogout },
          ],
        }}
      >
        <Button type="text" style={{ height: 48 }} data-testid="user-menu">
          <Space size={8}>
            <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1677ff' }} />
            <span
              style={{
                display: compact ? 'none' : 'inline-flex',
                flexDirection: 'column',
                lineHeight: 1.3,
                textAlign: 'left',
              }}
            >
              <Typography.Text strong data-testid="user-name">
                {me.user.displayName}
              </Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="user-org">
                {me.organization.name}
              </Typography.Text>
            </span>
            <DownOutlined style={{ fontSize: 10 }} />
          </Space>
        </Button>
      </Dropdown>
      <Button
        type="text"
        icon={<LogoutOutlined />}
        onClick={onLogout}
        aria-label={m.layout.logout}
        title={m.layout.logout}
      />
    </Space>
  );
}
