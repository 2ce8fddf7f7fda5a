import { Alert, Button } from 'antd';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import PasswordPage from './PasswordPage';

/**
 * Shown instead of every page while the user is signed in with a one-time password (the
 * server answers 403 to everything else until POST /api/auth/password).
 */
export default function FirstPasswordPage() {
  const { m } = useI18n();
  const { reload, logout } = useSession();
  return (
    <div style={{ maxWidth: 600, margin: '10vh auto', padding: 16 }}>
      <Alert
        type="warning"
        showIcon
        title={m.onboarding.mustChangePassword}
        style={{ marginBottom: 16 }}
        data-testid="must-change-password"
      />
      <PasswordPage onChanged={() => void reload()} />
      <Button type="link" onClick={() => void logout()} style={{ marginTop: 8 }}>
        {m.layout.logout}
      </Button>
    </div>
  );
}
