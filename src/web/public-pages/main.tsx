import { StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { PUBLIC_ROUTES, titleOf } from './routes';
import './public.css';

/** The public entry: picks the page of the path from the route table (no router library needed). */
function PublicApp() {
  const path = window.location.pathname.replace(/\/+$/, '') || '/';
  const route = PUBLIC_ROUTES.find((r) => path === r.path || path.startsWith(`${r.path}/`));
  if (!route)
    return (
      <div className="pub-page">
        <h1 className="pub-title">页面不存在</h1>
      </div>
    );
  document.title = titleOf(route.path);
  const Page = route.page;
  return (
    <Suspense fallback={<div className="pub-boot">{titleOf(route.path)}</div>}>
      <Page />
    </Suspense>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PublicApp />
  </StrictMode>,
);
