import { type ComponentType, type LazyExoticComponent, lazy } from 'react';
import { PUBLIC_PAGES } from '../../shared/publicPages';

/**
 * The route table of the public entry (the masses' pages: no login, phone first, no staff
 * bundle, no antd). To add a page: its path in `src/shared/publicPages.ts` (the server then
 * serves this entry there) and its component here.
 */
export interface PublicRoute {
  path: (typeof PUBLIC_PAGES)[number]['path'];
  page: LazyExoticComponent<ComponentType>;
}

export const PUBLIC_ROUTES: PublicRoute[] = [
  { path: '/appeal', page: lazy(() => import('./appeal/AppealPage')) },
];

export function titleOf(path: string): string {
  return PUBLIC_PAGES.find((p) => p.path === path)?.title ?? '群团服务';
}
