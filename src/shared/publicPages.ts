/**
 * The pages of the masses (no login, phone first): served from the small public entry of
 * the web build (`src/web/public.html`), not the staff app. A module adds its page here
 * (the server serves the public entry for these paths and everything below them) and its
 * component in `src/web/public-pages/routes.tsx`.
 */
export const PUBLIC_PAGES = [{ path: '/appeal', title: '群团维权服务' }] as const;

/** Whether a URL path is one of the public pages (or below one). */
export function isPublicPage(path: string): boolean {
  return PUBLIC_PAGES.some((p) => path === p.path || path.startsWith(`${p.path}/`));
}
