import { type APIRequestContext, expect, test } from '@playwright/test';
import { apiAs, login, watchConsole } from './helpers';

/**
 * 工作台 (issue 13, "Done when"): county1.union's home page shows a newly routed appeal within
 * 5 s without navigation, 紧急 above an older one; signing it takes it off 待签收 and marks its
 * notice read; the bell follows live.
 */
async function csrfOf(api: APIRequestContext): Promise<string> {
  const me = await (await api.get('/api/me')).json();
  return me.csrfToken as string;
}

async function intake(api: APIRequestContext, regionCode: string, priority: 'normal' | 'urgent') {
  const r = await api.post('/api/appeals', {
    headers: { 'x-csrf-token': await csrfOf(api) },
    data: {
      channel: 'hotline',
      priority,
      content: `${priority === 'urgent' ? '今天上午' : '上个月'}工地拖欠农民工工资，请尽快协调解决。${Date.now()}`,
      group: 'worker',
      categoryCode: 'LABOR_WAGE',
      regionCode,
      name: '王五',
      phone: `139${String(Date.now()).slice(-8)}`,
    },
  });
  expect(r.status(), await r.text()).toBe(201);
  return (await r.json()) as { id: number };
}

test('工作台: a routed appeal arrives live, 紧急 on top; signing takes it off and reads its notice', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = watchConsole(page);
  const town1 = await apiAs('town1.union');
  const me = await (await town1.get('/api/me')).json();
  const regionCode = (await (await town1.get(`/api/orgs/${me.organization.id}`)).json()).regionCode as string;
  await town1.dispose();

  const bellLoaded = page.waitForResponse((r) => r.url().includes('/api/notifications'), { timeout: 30_000 });
  await login(page, 'county1.union');
  await expect(page.getByTestId('todo-summary')).toBeVisible({ timeout: 30_000 });
  await bellLoaded;
  const bell = page.getByTestId('notifications-count');
  const unreadBefore = Number((await bell.getAttribute('data-count')) ?? 0);

  const hotline = await apiAs('hotline');
  const older = await intake(hotline, regionCode, 'normal');
  const urgent = await intake(hotline, regionCode, 'urgent');
  await hotline.dispose();

  // no navigation: the page learns it from the live stream
  const urgentItem = page.locator(`[data-testid="todo-item"][data-href="/appeals/${urgent.id}"]`);
  const olderItem = page.locator(`[data-testid="todo-item"][data-href="/appeals/${older.id}"]`);
  await expect(urgentItem).toBeVisible({ timeout: 5_000 });
  await expect(olderItem).toBeVisible({ timeout: 5_000 });
  await expect(urgentItem).toHaveAttribute('data-kind', 'appeal.sign');
  await expect(urgentItem).toContainText('紧急');
  const hrefs = await page
    .getByTestId('todo-item')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-href')));
  expect(hrefs.indexOf(`/appeals/${urgent.id}`)).toBeLessThan(hrefs.indexOf(`/appeals/${older.id}`));
  await expect(bell).toHaveAttribute('data-count', String(unreadBefore + 2), { timeout: 5_000 });

  // sign it from the inbox
  await urgentItem.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/appeals/${urgent.id}$`));
  await page.getByTestId('action-accept').click();
  await expect(page.getByTestId('appeal-status')).toHaveText('已签收');
  await expect(bell).toHaveAttribute('data-count', String(unreadBefore + 1), { timeout: 5_000 });

  const county1 = await apiAs('county1.union');
  const notices = (await (await county1.get('/api/notifications')).json()) as {
    items: { link: string | null; readAt: string | null }[];
  };
  const mine = notices.items.filter((n) => n.link === `/appeals/${urgent.id}`);
  expect(mine.length).toBeGreaterThan(0);
  expect(mine.every((n) => n.readAt !== null)).toBe(true);
  await county1.dispose();

  await page.goto('/');
  // a fresh load on a busy machine: the page's own chunks and the list may take a while
  await expect(page.getByTestId('todo-item').first()).toBeVisible({ timeout: 30_000 });
  const shown = await page
    .getByTestId('todo-item')
    .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')} ${e.getAttribute('data-href')}`));
  expect(shown, JSON.stringify(shown)).toContain(`appeal.sign /appeals/${older.id}`);
  await expect(olderItem).toBeVisible();
  await expect(
    page.locator(`[data-testid="todo-item"][data-kind="appeal.sign"][data-href="/appeals/${urgent.id}"]`),
  ).toHaveCount(0);
  await expect(urgentItem).toHaveAttribute('data-kind', 'appeal.handle');
  expect(errors).toEqual([]);
});
