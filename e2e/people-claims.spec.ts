import { randomInt } from 'node:crypto';
import { expect, request, test } from '@playwright/test';
import { makeIdNumber } from '../src/shared/rules/idNumber';
import { login, PASSWORD, pickOption, watchConsole } from './helpers';

/**
 * 关联申请 (docs/people.md): county2 registers someone county1 keeps; the form says only that a
 * request was filed; county1 approves it on 人员关联申请, and county2 then sees the person.
 */
test('registering a person kept by another county files a request the keeping county approves', async ({
  page,
  browser,
  baseURL,
}) => {
  const errors = watchConsole(page);
  const year = new Date().getFullYear() - 34;
  const id = makeIdNumber('130702', `${year}05${String(randomInt(10, 29))}`, String(randomInt(100, 999)));
  const name = `关联${randomInt(100, 999)}`;
  const api = await request.newContext({ baseURL });
  const signed = await api.post('/api/auth/login', {
    data: { username: 'county1.union', password: PASSWORD },
  });
  const csrf = ((await signed.json()) as { csrfToken: string }).csrfToken;
  const me = await (await api.get('/api/me')).json();
  const kept = await api.post('/api/persons', {
    headers: { 'x-csrf-token': csrf },
    data: { name, idNumber: id, orgId: me.organization.id, membership: {} },
  });
  expect(kept.status()).toBe(201);
  const person = await kept.json();

  await login(page, 'county2.union');
  await page.goto('/people');
  await page.getByRole('button', { name: /登记人员/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('姓名').fill(name);
  await dialog.getByLabel('身份证号').fill(id);
  await pickOption(page, dialog.getByLabel('登记组织'), '桥西区总工会', { search: true });
  await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(page.getByText('已在其他组织登记，已提交关联申请', { exact: false })).toBeVisible();
  await expect(dialog).toBeHidden();

  const keeper = await browser.newPage();
  await login(keeper, 'county1.union');
  await keeper.goto('/people/claims');
  const row = keeper.locator('.ant-table-row', { hasText: name });
  await expect(row).toContainText('桥西区总工会');
  await row.getByRole('button', { name: /^同\s*意$/ }).click();
  await keeper
    .getByRole('dialog')
    .getByRole('button', { name: /^同\s*意$/ })
    .click();
  await expect(keeper.getByText('已同意', { exact: true }).first()).toBeVisible();

  // county2 now reaches the record through the membership the approval added
  const seen = await page.request.get(`/api/persons/${person.id}`);
  expect(seen.status()).toBe(200);
  expect(errors).toEqual([]);
  await api.dispose();
});
