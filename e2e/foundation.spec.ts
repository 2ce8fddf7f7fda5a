import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { pinyin } from 'pinyin-pro';
import { apiAs, login, orgIdByName, PASSWORD, watchConsole } from './helpers';

const initialsOf = (name: string) =>
  pinyin(name, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase();

test('login: a wrong password shows the server message, the right one lands on home with the organization', async ({
  page,
}) => {
  const errors = watchConsole(page);
  await page.goto('/');
  await expect(page).toHaveURL(/\/login$/);

  await page.getByPlaceholder('用户名').fill('county1.union');
  await page.getByPlaceholder('密码').fill('wrong-password');
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page.getByTestId('login-error')).toContainText('用户名或密码错误');
  await expect(page).toHaveURL(/\/login$/);

  await page.getByPlaceholder('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('home-greeting')).toContainText('桥东区总工会管理员');
  await expect(page.getByTestId('home-org')).toHaveText('桥东区总工会');
  await expect(page.getByTestId('user-org')).toHaveText('桥东区总工会');
  // 401s are answers on the login page, not errors of the app
  expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
});

test('admin creates an organization and finds it by name and by pinyin initials', async ({ page }) => {
  const errors = watchConsole(page);
  const parent = '红旗楼街道总工会';
  const name = '春晓科技职工联合会';
  // a short window: the new organization is below the fold of its parent's level, so the
  // tree has to scroll to it
  await page.setViewportSize({ width: 1366, height: 600 });
  await login(page, 'admin');
  await page.goto('/orgs');

  const search = page.getByRole('searchbox');
  await search.fill(parent);
  await search.press('Enter');
  const results = page.getByTestId('org-search-results');
  await results.getByText(parent, { exact: true }).click();
  await expect(page.getByTestId('org-detail-name')).toHaveText(parent);

  await page.getByTestId('org-add-child').click();
  const form = page.getByTestId('org-form');
  await form.getByLabel('组织名称').fill(name);
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByTestId('org-detail-name')).toHaveText(name);
  await expect(page.getByTestId('org-breadcrumb')).toContainText(parent);
  // the new organization is selected in the tree, under its parent
  await expect(page.getByTestId('org-tree').getByText(name, { exact: true })).toBeVisible();

  for (const q of [name, initialsOf(name)]) {
    await page.goto('/orgs');
    await search.fill(q);
    await search.press('Enter');
    await expect(results.getByText(name, { exact: true })).toBeVisible();
  }
  expect(initialsOf(name)).toBe('cxkjzglhh');
  await results.getByText(name, { exact: true }).click();
  await expect(page.getByTestId('org-detail-name')).toHaveText(name);
  await expect(page.getByTestId('org-tree').getByText(name, { exact: true })).toBeVisible();
  expect(errors).toEqual([]);
});

test('county1.union cannot see the organizations of county2.union', async ({ page }) => {
  const own = await orgIdByName('桥东区总工会');
  const other = await orgIdByName('桥西区总工会');
  await login(page, 'county1.union');
  await page.goto('/orgs');

  const tree = page.getByTestId('org-tree');
  await expect(tree.getByText('桥东区总工会', { exact: true })).toBeVisible();
  await expect(tree).not.toContainText('桥西区');

  const search = page.getByRole('searchbox');
  const results = page.getByTestId('org-search-results');
  await search.fill('桥东区总工会');
  await search.press('Enter');
  await expect(results.getByText('桥东区总工会', { exact: true })).toBeVisible();
  for (const q of ['桥西区总工会', initialsOf('桥西区总工会')]) {
    await search.fill(q);
    await search.press('Enter');
    await expect(results).toContainText('未找到匹配的组织');
    await expect(results).not.toContainText('桥西区总工会');
  }

  await page.goto(`/orgs/${other}`);
  await expect(page.getByText('组织不存在或无权访问').first()).toBeVisible();
  await expect(page.getByTestId('org-detail-name')).toHaveCount(0);

  const denied = await page.request.get(`/api/orgs/${other}`);
  expect(denied.status()).toBe(404);
  expect((await denied.json()).error.code).toBe('NOT_FOUND');
  const allowed = await page.request.get(`/api/orgs/${own}`);
  expect(allowed.status()).toBe(200);
});

test('the menu of member shows neither 用户管理 nor 角色管理, and their pages answer 403', async ({
  page,
  browser,
}) => {
  await login(page, 'member');
  const menu = page.getByTestId('side-menu');
  await expect(menu).toContainText('首页');
  await expect(menu).toContainText('组织机构');
  await expect(menu).not.toContainText('用户管理');
  await expect(menu).not.toContainText('角色管理');
  await expect(menu).not.toContainText('系统管理');
  await page.goto('/system/users');
  await expect(page.getByText('无权访问')).toBeVisible();

  // the same menu for an administrator does list them
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await login(admin, 'admin');
  await expect(admin.getByTestId('side-menu')).toContainText('用户管理');
  await expect(admin.getByTestId('side-menu')).toContainText('角色管理');
  await adminContext.close();
  const api = await apiAs('member');
  expect((await api.get('/api/users')).status()).toBe(403);
  await api.dispose();
});

test('the units list exports its filtered rows as CSV, within the data scope', async ({ page }) => {
  await login(page, 'county1.union');
  await page.goto('/units?covered=no');
  await expect(page.locator('.ant-pagination-total-text')).toBeVisible();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('unit-export').click(),
  ]);
  expect(download.url()).toContain('covered=no');
  expect(download.suggestedFilename()).toBe('基层单位.csv');
  const text = readFileSync((await download.path()) ?? '', 'utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const lines = text.trim().split('\r\n');
  expect(lines[0]).toContain('单位名称');
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.slice(1).every((l) => l.includes('未建组织'))).toBe(true);
  expect(text).not.toContain('桥西区');
});

test('the users list and the operation log export what they show, within the data scope', async ({
  page,
}) => {
  await login(page, 'county1.union');
  await page.goto('/system/users');
  await page.getByLabel('关键字').fill('town1');
  await page.getByRole('button', { name: /搜\s*索/ }).click();
  await expect(page.locator('.ant-table-tbody')).toContainText('town1.union');
  const [users] = await Promise.all([page.waitForEvent('download'), page.getByTestId('user-export').click()]);
  expect(users.url()).toContain('q=town1');
  expect(users.suggestedFilename()).toBe('用户.csv');
  const usersCsv = readFileSync((await users.path()) ?? '', 'utf8');
  expect(usersCsv.startsWith('\uFEFF')).toBe(true); // Excel reads it as UTF-8
  const lines = usersCsv.trim().split('\r\n');
  expect(lines[0]).toBe('用户名,姓名,所属组织,手机号码,角色,状态,锁定,最后登录');
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['town1.union']);
  expect(lines[1]).toContain('138****0005');

  await page.goto('/logs/operations');
  await expect(page.locator('.ant-table-tbody .ant-table-row').first()).toBeVisible();
  const [ops] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
  expect(ops.suggestedFilename()).toBe('操作日志.csv');
  const opLines = readFileSync((await ops.path()) ?? '', 'utf8')
    .trim()
    .split('\r\n');
  expect(opLines[0]).toBe('时间,操作人,操作,对象类型,对象编号,IP,请求号');
  expect(opLines.some((l) => l.includes('user.export'))).toBe(true); // the users export just made
});

test('the operation log names the actions of every module in Chinese', async ({ page }) => {
  await login(page, 'admin');
  await page.goto('/logs/operations');
  const table = page.locator('.ant-table-tbody');
  await expect(table.locator('.ant-table-row').first()).toBeVisible();
  // the demo seed writes appeal events: their actions read as words, not codes
  await page.getByLabel('操作类型').fill('appeal.create');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: /搜\s*索/ }).click();
  await expect(table).toContainText('登记诉求');
  await expect(table).not.toContainText('appeal.create');
});
