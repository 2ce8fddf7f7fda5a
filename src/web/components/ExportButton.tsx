import { DownloadOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { type Query, withQuery } from '../api';
import { useI18n } from '../i18n';

/** 导出: downloads what the list shows under its current filters (the server applies the data scope). */
export function ExportButton(props: { path: string; filters: Query; empty: boolean; testId: string }) {
  const { m } = useI18n();
  return (
    <Button
      icon={<DownloadOutlined />}
      href={withQuery(props.path, props.filters)}
      disabled={props.empty}
      data-testid={props.testId}
    >
      {m.common.export}
    </Button>
  );
}
