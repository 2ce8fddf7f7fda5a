import { MenuFoldOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Grid, Layout, Menu, type MenuProps, Spin, theme } from 'antd';
import { Suspense, useMemo, useState } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useI18n } from '../i18n';
import { type AppRoute, findRoute, menuKeyOf, ROUTES } from '../routes';
import { useSession } from '../session';
import { HeaderBar } from './HeaderBar';

type MenuItem = Required<MenuProps>['items'][number];

/**
 * RuoYi / ant-design-pro style frame: side menu from the route table, top bar, content. On a
 * phone (narrower than 768 px) the menu is hidden behind the menu button and opens over the
 * page, the breadcrumb is left out and the content uses the whole width.
 */
export function AppLayout() {
  const { m } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const [wideCollapsed, setWideCollapsed] = useState(false);
  const [phoneOpen, setPhoneOpen] = useState(false);
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const collapsed = phone ? !phoneOpen : wideCollapsed;
  const setCollapsed = (c: boolean) => (phone ? setPhoneOpen(!c) : setWideCollapsed(c));
  const { token } = theme.useToken();

  const items = useMemo(() => {
    const visible = (r: AppRoute) => !r.hideInMenu && can(r.permission);
    const out: MenuItem[] = [];
    for (const r of ROUTES) {
      if (r.children) {
        const kids = r.children.filter(visible);
        if (kids.length === 0) continue;
        out.push({
          key: r.path,
          icon: r.icon,
          label: m.menu[r.label],
          children: kids.map((c) => ({ key: c.path, icon: c.icon, label: m.menu[c.label] })),
        });
      } else if (visible(r)) out.push({ key: r.path, icon: r.icon, label: m.menu[r.label] });
    }
    return out;
  }, [can, m]);

  const { route, group } = findRoute(pathname);
  const selected = menuKeyOf(route);
  const [openKeys, setOpenKeys] = useState<string[]>(() =>
    ROUTES.filter((r) => r.children).map((r) => r.path),
  );

  return (
    <Layout style={{ minHeight: '100vh' }} data-layout={phone ? 'phone' : 'wide'}>
      <Layout.Sider
        collapsible
        collapsed={collapsed}
        trigger={null}
        width={208}
        collapsedWidth={phone ? 0 : 80}
        style={
          phone
            ? { position: 'fixed', left: 0, top: 0, height: '100vh', overflow: 'auto', zIndex: 100 }
            : { position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }
        }
      >
        <div
          style={{
            height: 56,
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            color: '#fff',
            fontWeight: 600,
            fontSize: collapsed ? 16 : 18,
            letterSpacing: 2,
            whiteSpace: 'nowrap',
          }}
        >
          {m.app.name}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          items={items}
          selectedKeys={selected ? [selected] : []}
          openKeys={collapsed ? undefined : openKeys}
          onOpenChange={setOpenKeys}
          onClick={(e) => {
            navigate(e.key);
            if (phone) setPhoneOpen(false);
          }}
          data-testid="side-menu"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            background: token.colorBgContainer,
            padding: '0 16px 0 0',
            display: 'flex',
            alignItems: 'center',
            height: 56,
            lineHeight: '56px',
            boxShadow: '0 1px 4px rgba(0,21,41,.08)',
            position: 'sticky',
            top: 0,
            zIndex: 10,
          }}
        >
          <Button
            type="text"
            aria-label={collapsed ? m.layout.expand : m.layout.collapse}
            icon={collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!collapsed)}
            style={{ width: 56, height: 56 }}
          />
          <Breadcrumb
            style={{ flex: 1, minWidth: 0, visibility: phone ? 'hidden' : undefined }}
            items={[
              ...(group ? [{ title: m.menu[group.label] }] : []),
              ...(route && route.path !== '/' ? [{ title: m.menu[route.label] }] : [{ title: m.menu.home }]),
            ]}
          />
          <HeaderBar compact={phone} />
        </Layout.Header>
        {phone && phoneOpen && (
          <div
            aria-hidden
            onClick={() => setPhoneOpen(false)}
            style={{ position: 'fixed', inset: 0, background: 'rgba(0,0,0,.35)', zIndex: 99 }}
          />
        )}
        <Layout.Content style={{ margin: phone ? 8 : 16, minWidth: 0 }}>
          <Suspense fallback={<Spin style={{ display: 'block', margin: '80px auto' }} />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
