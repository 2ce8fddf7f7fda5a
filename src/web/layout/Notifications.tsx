import { BellOutlined } from '@ant-design/icons';
import { Badge, Button, Empty, List, Popover, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { api } from '../api';
import { reportError } from '../feedback';
import { formatTime } from '../format';
import { useI18n } from '../i18n';
import { useLive } from '../live';

interface Notice {
  id: number;
  title: string;
  body: string;
  link: string | null;
  readAt: string | null;
  createdAt: string;
}

/**
 * The bell in the top bar. Refreshed when the user navigates and live when the user's
 * notices change (`useLive`: server-sent events, never a timer, so an idle session still
 * ends after its idle time). 全部已读 marks them all.
 */
export function Notifications() {
  const { m } = useI18n();
  const [data, setData] = useState<{ unread: number; items: Notice[] }>({ unread: 0, items: [] });
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();

  const load = useCallback(() => {
    api
      .get<{ unread: number; items: Notice[] }>('/api/notifications')
      .then(setData)
      .catch(() => {});
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: refresh on every navigation
  useEffect(load, [location.pathname]);
  useLive((kind) => {
    if (kind === 'notices') load();
  });

  const readAll = async () => {
    try {
      await api.post('/api/notifications/read-all');
      load();
    } catch (e) {
      reportError(e);
    }
  };

  const openNotice = async (n: Notice) => {
    try {
      if (!n.readAt) await api.post(`/api/notifications/${n.id}/read`);
      load();
      if (n.link?.startsWith('/')) {
        setOpen(false);
        navigate(n.link);
      }
    } catch (e) {
      reportError(e);
    }
  };

  const content = (
    <div style={{ width: 'min(340px, calc(100vw - 48px))', maxHeight: 420, overflow: 'auto' }}>
      {data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={m.layout.noNotifications} />
      ) : (
        <List
          size="small"
          dataSource={data.items}
          renderItem={(n) => (
            <List.Item
              onClick={() => openNotice(n)}
              style={{ cursor: 'pointer', opacity: n.readAt ? 0.6 : 1 }}
            >
              <List.Item.Meta
                title={
                  <Badge dot={!n.readAt} offset={[6, 0]}>
                    {n.title}
                  </Badge>
                }
                description={
                  <>
                    <div>{n.body}</div>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {formatTime(n.createdAt)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover
      content={content}
      title={
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
          <span>{m.layout.notifications}</span>
          <Button
            size="small"
            type="link"
            disabled={data.unread === 0}
            onClick={readAll}
            data-testid="notices-read-all"
          >
            {m.layout.readAll}
          </Button>
        </div>
      }
      trigger="click"
      open={open}
      onOpenChange={setOpen}
      placement="bottomRight"
    >
      <Button type="text" aria-label={m.layout.notifications} data-testid="notifications">
        <Badge count={data.unread} size="small" data-testid="notifications-count" data-count={data.unread}>
          <BellOutlined style={{ fontSize: 17 }} />
        </Badge>
      </Button>
    </Popover>
  );
}
