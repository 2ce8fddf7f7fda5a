import { Button, Result } from 'antd';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n';

/** Shown when the user opens a page their permissions do not include. */
export function Forbidden() {
  const { m } = useI18n();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={m.errors.forbiddenTitle}
      subTitle={m.errors.forbiddenText}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {m.errors.backHome}
        </Button>
      }
    />
  );
}

/** Shown for an unknown address, or a record that does not exist or is out of scope. */
export function NotFound({ title, text }: { title?: string; text?: string }) {
  const { m } = useI18n();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={title ?? m.errors.notFoundTitle}
      subTitle={text ?? m.errors.notFoundText}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {m.errors.backHome}
        </Button>
      }
    />
  );
}
