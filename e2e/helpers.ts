import { type APIRequestContext, expect, type Locator, type Page, request } from '@playwright/test';

export const PASSWORD = 'Demo@2026!';
export const BASE_URL = `http://localhost:${process.env.E2E_PORT ?? 3199}`;

/** Signs in through the login page and waits for the home page. */
export async function login(page: Page, username: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByPlaceholder('用户名').fill(username);
  await page.getByPlaceholder('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page).toHaveURL(/\/$/);
}

/** An API client signed in as `username` (cookies kept), for looking up test data. */
export async function apiAs(username: string): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL: BASE_URL });
  const r = await ctx.post('/api/auth/login', { data: { username, password: PASSWORD } });
  expect(r.status()).toBe(200);
  return ctx;
}

/** The id of the one organization named exactly `name`, as the admin sees it. */
export async function orgIdByName(name: string): Promise<number> {
  const admin = await apiAs('admin');
  try {
    const r = await admin.get('/api/orgs', { params: { q: name, pageSize: 50 } });
    expect(r.status()).toBe(200);
    const body = (await r.json()) as { items: { id: number; name: string }[] };
    const hit = body.items.find((o) => o.name === name);
    if (!hit) throw new Error(`organization not found: ${name}`);
    return hit.id;
  } finally {
    await admin.dispose();
  }
}

/** Collects console errors and page errors of a page; check it at the end of a test. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/**
 * Picks an option of the select's dropdown (the first, or the first containing `text`) and
 * waits until the dropdown has closed. A click that lands while the dropdown is still
 * opening is lost and leaves it open over the dialog's buttons, so it is repeated until
 * the dropdown closes; a dropdown that closed before anything was picked (its options
 * still loading) is opened again, so the helper never returns without a pick.
 */
export async function pickOption(page: Page, select: Locator, text?: string): Promise<void> {
  const dropdown = page.locator('.ant-select-dropdown:visible');
  const options = dropdown.locator('.ant-select-item-option');
  const option = text ? options.filter({ hasText: text }).first() : options.first();
  let picked = false;
  await expect(async () => {
    if (!picked && !(await dropdown.isVisible())) await select.click();
    if (await dropdown.isVisible()) {
      await option.click({ timeout: 2000 });
      picked = true;
    }
    expect(picked, 'an option was picked').toBe(true);
    await expect(dropdown).toBeHidden({ timeout: 1000 });
  }).toPass({ timeout: 15_000 });
}
