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
 * Picks an option of a single select or tree select (the first, or the one reading exactly
 * `text`; with `search`, typed in first) and waits until its dropdown has closed and, given
 * `text`, the select shows it. Each of these happened and was tried again: another select's
 * dropdown still closing, taken for this one's; a click landing while the dropdown opens,
 * lost, leaving it open over the dialog's buttons; the dropdown closing before anything was
 * picked (its options still loading). The helper never returns without the pick made.
 */
export async function pickOption(
  page: Page,
  select: Locator,
  text?: string,
  opts: { search?: boolean } = {},
): Promise<void> {
  const combo = (await select.getAttribute('role')) === 'combobox' ? select : select.getByRole('combobox');
  const root = combo.locator(
    'xpath=ancestor-or-self::*[contains(concat(" ", @class, " "), " ant-select ")][1]',
  );
  const dropdown = page.locator('.ant-select-dropdown:visible');
  const options = dropdown.locator('.ant-select-item-option, .ant-select-tree-node-content-wrapper');
  const option = text
    ? options.filter({ has: page.getByText(text, { exact: true }) }).first()
    : options.first();
  await expect(async () => {
    if ((await combo.getAttribute('aria-expanded')) !== 'true') {
      await expect(dropdown).toHaveCount(0, { timeout: 2000 });
      await combo.click();
      if (text && opts.search) await combo.fill(text);
    }
    await expect(dropdown).toHaveCount(1, { timeout: 2000 });
    await option.click({ timeout: 2000 });
    await expect(dropdown).toHaveCount(0, { timeout: 1000 });
    if (text) await expect(root).toContainText(text, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
}

/** Picks a path in the public pages' cascade (one native select per level, each filled after the one before). */
export async function pickCascader(page: Page, testId: string, names: string[]) {
  const selects = page.getByTestId(testId).locator('select');
  for (const [i, n] of names.entries()) {
    await expect(selects.nth(i).locator('option', { hasText: n }).first()).toBeAttached();
    await selects.nth(i).selectOption({ label: n });
  }
}
