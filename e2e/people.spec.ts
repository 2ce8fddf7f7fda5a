import { randomInt } from 'node:crypto';
import { type APIRequestContext, expect, type Page, request, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { IMPORT_HEADERS } from '../src/shared/people/importColumns';
import { makeIdNumber } from '../src/shared/rules/idNumber';
import { login, PASSWORD, pickOption, watchConsole } from './helpers';

/** A fresh valid ID number (random sequence, so runs against one server do not collide). */
function idNumber(age: number): string {
  const year = new Date().getFullYear() - age;
  return makeIdNumber(
    '130702',
    `${year}0${randomInt(1, 10)}${String(randomInt(10, 29))}`,
    String(randomInt(100, 999)),
  );
}
const badChecksum = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

async function apiAs(baseURL: string, username: string): Promise<{ ctx: APIRequestContext; csrf: string }> {
  const ctx = await request.newContext({ baseURL });
  const r = await ctx.post('/api/auth/login', { data: { username, password: PASSWORD } });
  expect(r.status()).toBe(200);
  return { ctx, csrf: ((await r.json()) as { csrfToken: string }).csrfToken };
}

async function writeXlsx(path: string, rows: Record<string, string>[]) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人员');
  ws.addRow(IMPORT_HEADERS);
  for (const r of rows) ws.addRow(IMPORT_HEADERS.map((h) => r[h] ?? null));
  await wb.xlsx.writeFile(path);
}

async function uploadAndWait(page: Page, file: string) {
  await page.locator('input[type=file]').setInputFiles(file);
  const row = page.locator('.ant-table-row', { hasText: file.split('/').pop()! }).first();
  await expect(row.getByText(/已完成|失败/)).toBeVisible({ timeout: 90_000 });
  return row;
}

test('import an .xlsx with bad rows: the error report names them, and the fixed file imports the rest', async ({
  page,
}, info) => {
  const errors = watchConsole(page);
  const good = [idNumber(30), idNumber(41), idNumber(26)];
  const fixable = idNumber(35);
  const rows: Record<string, string>[] = [
    { 姓名: '浏览器甲', 身份证号: good[0]!, 手机号码: '13700001111' },
    { 姓名: '浏览器乙', 身份证号: good[1]!, 一线职工: '是' },
    { 姓名: '浏览器丙', 身份证号: badChecksum(fixable) },
    { 姓名: '浏览器丁', 身份证号: good[2]!, 手机号码: '12345' },
  ];
  const first = info.outputPath('名单-第一次.xlsx');
  await writeXlsx(first, rows);
  await login(page, 'county1.union');
  await page.goto('/people/import');
  await expect(page.getByText('批量导入人员')).toBeVisible();
  const row1 = await uploadAndWait(page, first);
  await expect(row1).toContainText('新增 2 人');
  await expect(row1.locator('[data-testid^=import-errors-]')).toHaveText('2');
  await row1.getByRole('button', { name: '查看' }).click();
  const report = page.locator('.ant-table-expanded-row').first();
  await expect(report).toContainText('校验位');
  await expect(report).toContainText('手机号码');
  await expect(report.locator('tr', { hasText: '校验位' })).toContainText('4');
  await expect(report.locator('tr', { hasText: '手机号码' })).toContainText('5');
  // the downloadable report
  const dl = page.waitForEvent('download');
  await row1.getByRole('link', { name: 'Excel' }).click();
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(await (await dl).path());
  expect(wb.worksheets[0]!.getRow(2).getCell(1).value).toBe(4);

  // the fixed file: the two bad rows corrected, the good ones as they were
  const fixed = info.outputPath('名单-修正.xlsx');
  await writeXlsx(fixed, [
    rows[0]!,
    rows[1]!,
    { 姓名: '浏览器丙', 身份证号: fixable },
    { 姓名: '浏览器丁', 身份证号: good[2]!, 手机号码: '13700002222' },
  ]);
  const row2 = await uploadAndWait(page, fixed);
  await expect(row2).toContainText('新增 2 人，已存在 2');
  await expect(row2.locator('[data-testid^=import-errors-]')).toHaveText('0');
  expect(errors).toEqual([]);
});

test('a member is transferred from one union to another, and both sides see the history', async ({
  browser,
}, info) => {
  const baseURL = info.project.use.baseURL!;
  const c1 = await apiAs(baseURL, 'county1.union');
  const c2 = await apiAs(baseURL, 'county2.union');
  const me1 = await (await c1.ctx.get('/api/me')).json();
  const me2 = await (await c2.ctx.get('/api/me')).json();
  const town1 = (
    await (await c1.ctx.get('/api/orgs', { params: { parentId: me1.organization.id, type: 'union' } })).json()
  ).items[0];
  const town2 = (
    await (await c2.ctx.get('/api/orgs', { params: { parentId: me2.organization.id, type: 'union' } })).json()
  ).items[0];
  const name = `转接${randomInt(100, 999)}`;
  const created = await c1.ctx.post('/api/persons', {
    headers: { 'x-csrf-token': c1.csrf },
    data: { name, idNumber: idNumber(33), orgId: town1.id, membership: {} },
  });
  expect(created.status()).toBe(201);
  const person = await created.json();

  // the sending county starts it from the person's page
  const sender = await browser.newPage();
  await login(sender, 'county1.union');
  await sender.goto(`/people/${person.id}`);
  await sender.getByRole('button', { name: '转接' }).click();
  const dialog = sender.getByRole('dialog');
  await pickOption(sender, dialog.getByTestId('transfer-target'), town2.name, { search: true });
  await dialog.getByLabel('转接原因').fill('工作调动');
  await dialog.getByRole('button', { name: /提\s*交/ }).click();
  await expect(sender.getByText('待接收方审批', { exact: true })).toBeVisible();

  // the receiving county approves it
  const receiver = await browser.newPage();
  await login(receiver, 'county2.union');
  await receiver.goto('/people/transfers');
  const pending = receiver.locator('.ant-table-row', { hasText: name });
  await expect(pending).toContainText(town1.name);
  await pending.getByRole('button', { name: /同\s*意/ }).click();
  // a confirmation names the person and both organizations before anything moves
  const confirm = receiver.getByRole('dialog');
  await expect(confirm).toContainText(`同意接收${name}的组织关系`);
  await confirm.getByRole('button', { name: /同\s*意/ }).click();
  await expect(pending).toHaveCount(0);
  await receiver.getByRole('tab', { name: '全部记录' }).click();
  const done = receiver.locator('.ant-table-row', { hasText: name });
  await expect(done).toContainText('已转接');
  await done.locator('.ant-table-row-expand-icon').click();
  await expect(receiver.locator('.ant-timeline')).toContainText('发起转接');
  await expect(receiver.locator('.ant-timeline')).toContainText('同意接收');

  // and the sender sees the same history
  await sender.goto('/people/transfers');
  await sender.getByRole('tab', { name: '我方转出' }).click();
  const out = sender.locator('.ant-table-row', { hasText: name });
  await expect(out).toContainText('已转接');
  await out.locator('.ant-table-row-expand-icon').click();
  await expect(sender.locator('.ant-timeline')).toContainText('同意接收');
  await c1.ctx.dispose();
  await c2.ctx.dispose();
});

test('a member opens 我的会籍, sees the record masked, applies for a transfer and withdraws it', async ({
  page,
}) => {
  const errors = watchConsole(page);
  await login(page, 'member');
  await page.goto('/personal/membership');
  // the menu opens its group on the current page and shows the entry
  await expect(page.getByRole('menuitem', { name: '我的会籍' })).toBeVisible();
  await expect(page.getByTestId('id-number')).toHaveText(/^\d{6}\*{8}\d{3}[\dX]$/);
  const row = page.locator('.ant-table-row', { hasText: '会员' }).first();
  await expect(row).toContainText('在册');
  await row.getByRole('button', { name: '申请转接' }).click();
  const dialog = page.getByRole('dialog').filter({ hasText: '组织关系转接' });
  await pickOption(page, dialog.getByTestId('transfer-target'));
  await dialog.getByRole('button', { name: /提\s*交/ }).click();
  await expect(dialog).toContainText('请填写转接原因');
  await dialog.getByLabel('转接原因').fill('搬家到新城区');
  await dialog.getByRole('button', { name: /提\s*交/ }).click();
  await expect(page.getByText('已发起转接，待接收方审批')).toBeVisible();
  await expect(row).toContainText('转接审批中');
  const mine = page.locator('.ant-card', { hasText: '我的转接申请' }).locator('.ant-table-row').first();
  await expect(mine).toContainText('待接收方审批');
  await expect(mine).toContainText('本人');
  // withdrawn, the membership can be moved again
  await mine.getByRole('button', { name: /撤\s*回/ }).click();
  // the transfer dialog may still be closing: address the confirmation by its title
  const confirmWithdraw = page.getByRole('dialog').filter({ hasText: '撤回转接' });
  await confirmWithdraw.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(mine).toContainText('已撤回');
  await expect(row.getByRole('button', { name: '申请转接' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('the coverage page lists an uncovered enterprise of the demo city, with the region chart', async ({
  page,
}) => {
  const errors = watchConsole(page);
  await login(page, 'county1.union');
  await page.goto('/coverage');
  await expect(page.getByTestId('coverage-chart').locator('canvas')).toBeVisible();
  const table = page.getByTestId('uncovered-table');
  await expect(table).toContainText('示范市新业态物流科技有限公司');
  await expect(table.locator('.ant-table-row', { hasText: '示范市新业态物流科技有限公司' })).toContainText(
    '2600',
  );
  expect(errors).toEqual([]);
});
