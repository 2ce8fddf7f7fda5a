import { Spin } from 'antd';
import { lazy, type ReactNode, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { Permission } from '../shared/permissions';
import { Forbidden, NotFound } from './components/Results';
import { AppLayout } from './layout/AppLayout';
import { PAGES } from './routes';
import { type LoginState, useSession } from './session';

const LoginPage = lazy(() => import('./modules/auth/LoginPage'));
const FirstPasswordPage = lazy(() => import('./modules/auth/FirstPasswordPage'));

function RequireAuth({ children }: { children: ReactNode }) {
  const { me, loading, expired, mustChangePassword } = useSession();
  const location = useLocation();
  if (loading) return <Spin size="large" style={{ display: 'block', margin: '30vh auto' }} />;
  if (mustChangePassword) return <FirstPasswordPage />;
  if (!me) {
    const state: LoginState = { from: location.pathname + location.search, expired };
    return <Navigate to="/login" replace state={state} />;
  }
  return children;
}

function Guard({ permission, children }: { permission?: Permission; children: ReactNode }) {
  const { can } = useSession();
  return can(permission) ? children : <Forbidden />;
}

/** The router, generated from the one route table. */
export function AppRoutes() {
  return (
    <Suspense fallback={<Spin size="large" style={{ display: 'block', margin: '30vh auto' }} />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          element={
            <RequireAuth>
              <AppLayout />
            </RequireAuth>
          }
        >
          {PAGES.map((r) => {
            const Page = r.page!;
            return (
              <Route
                key={r.path}
                path={r.path}
                element={
                  <Guard permission={r.permission}>
                    <Page />
                  </Guard>
                }
              />
            );
          })}
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
