import { randomInt } from 'node:crypto';
import { type APIRequestContext, expect, type Page, request, test } from '@playwright/test';
import { makeIdNumber } from '../src/shared/rules/idNumber';
import { login, PASSWORD, pickOption, watchConsole } from './helpers';

const idNumber = (age: number) =>
  makeIdNumber(
    '130702',
    `${new Date().getFullYear() - age}0${randomInt(1, 10)}${randomInt(10, 29)}`,
    String(randomInt(100, 999)),
  );
const JPG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 74, 70, 73, 70, 0, 1, 1, 0, 0, 1]);
const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');

async function apiAs(baseURL: string, username: string): Promise<{ ctx: APIRequestContext; csrf: string }> {
  const ctx = await request.newContext({ baseURL });
  const r = await ctx.post('/api/auth/login', { data: { username, password: PASSWORD } });
  expect(r.status()).toBe(200);
  return { ctx, csrf: ((await r.json()) as { csrfToken: string }).csrfToken };
}

async function relogin(page: Page, username: string) {
  await page.context().clearCookies();
  await login(page, username);
}

test('a household from application to archive, relief computed, a duplicate caught, disbursed, all on its timeline', async ({
  page,
  baseURL,
}) => {
  // long: every step of the flow in the browser, on a shared machine
  test.setTimeout(240_000);
  const errors = watchConsole(page);
  const child = `学${randomInt(100, 999)}`;
  const childId = idNumber(19);

  // the grassroots union files the application
  await login(page, 'town1.union');
  await page.goto('/assistance/cases');
  await page.getByRole('button', { name: '帮扶申请' }).click();
  const dialog = page.getByRole('dialog', { name: '帮扶申请' });
  await pickOption(page, dialog.locator('#category'), '因病致困');
  await pickOption(page, dialog.locator('#primaryCause'), '因病');
  await pickOption(page, dialog.locator('#health'), '重大疾病');
  await pickOption(page, dialog.locator('#housing'), '自有住房');
  await pickOption(page, dialog.locator('#employment'), '灵活就业');
  await dialog.locator('#members_0_name').fill('浏览器户主');
  await dialog.locator('#members_0_idNumber').fill(idNumber(46));
  await dialog.locator('#members_0_monthlyIncome').fill('900');
  await dialog.getByRole('button', { name: '添加家庭成员' }).click();
  await dialog.locator('#members_1_name').fill(child);
  await dialog.locator('#members_1_idNumber').fill(childId);
  await pickOption(page, dialog.locator('#members_1_schooling'), '高等教育在读');
  await dialog.locator('#bankName').fill('中国农业银行');
  await dialog.locator('#account').fill('6228480100001234567');
  await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(page).toHaveURL(/\/assistance\/cases\/\d+$/);
  const caseUrl = page.url();
  await expect(page.getByText('**** **** 4567')).toBeVisible();

  // 基层初审, then the home visit with a photo and the signed authorisation
  await page.getByRole('button', { name: '基层初审通过' }).click();
  await page.getByRole('button', { name: '入户核查' }).click();
  const visit = page.getByRole('dialog', { name: '入户核查' });
  await visit.locator('#visitedOn').fill(new Date().toISOString().slice(0, 10));
  await visit.locator('#visitedOn').press('Enter');
  await visit.locator('#visitors').fill('王五、赵六');
  await visit.locator('#findings').fill('家中确有困难，情况属实');
  await visit
    .locator('input[type=file]')
    .nth(0)
    .setInputFiles({ name: '现场.jpg', mimeType: 'image/jpeg', buffer: JPG });
  await expect(visit.getByTestId('visit-files')).toContainText('现场.jpg');
  await visit
    .locator('input[type=file]')
    .nth(1)
    .setInputFiles({ name: '授权书.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(visit.getByTestId('visit-files')).toContainText('授权书.pdf');
  await visit.getByRole('button', { name: /确\s*定|OK/ }).click();
  await expect(page.getByText('审核', { exact: true }).first()).toBeVisible();

  // the county reviews: 公示 on the working-day calendar, then 在档 once it has passed
  await relogin(page, 'county1.union');
  await page.goto(caseUrl);
  await page.getByRole('button', { name: '审核通过，进入公示' }).click();
  await expect(page.getByText('公示期', { exact: true })).toBeVisible();
  const caseId = Number(caseUrl.split('/').pop());
  const admin = await apiAs(baseURL!, 'admin');
  const c = await (await admin.ctx.get(`/api/assistance/cases/${caseId}`)).json();
  await admin.ctx.post('/api/test/clock', {
    headers: { 'x-csrf-token': admin.csrf },
    data: { to: `${c.publicityUntil}T12:00:00+08:00` },
  });
  await admin.ctx.post('/api/test/clock', {
    headers: { 'x-csrf-token': admin.csrf },
    data: {
      to: new Date(new Date(`${c.publicityUntil}T12:00:00+08:00`).getTime() + 86_400_000).toISOString(),
    },
  });
  try {
    await relogin(page, 'county1.union');
    await page.goto(caseUrl);
    await page.getByRole('button', { name: '公示期满，纳入在档' }).click();
    await expect(page.locator('.ant-tag', { hasText: '在档' })).toBeVisible();

    // the city union's 金秋助学 cycle computes the child's entitlement
    const admin2 = await apiAs(baseURL!, 'admin');
    const cycles = (await (await admin2.ctx.get('/api/assistance/cycles')).json()).items as {
      id: number;
      name: string;
    }[];
    const edu = cycles.find((y) => y.name.endsWith('金秋助学'))!;
    await relogin(page, 'admin');
    await page.goto(`/assistance/cycles/${edu.id}`);
    await page.getByRole('button', { name: '按规则计算' }).click();
    const row = page.locator('tr', { hasText: child });
    await expect(row).toBeVisible();

    // a second organization (county2's union) proposes the same child and its reviewer sees the warning
    const c2 = await apiAs(baseURL!, 'county2.union');
    const me = await (await c2.ctx.get('/api/me')).json();
    const prog = await c2.ctx.post('/api/assistance/programs', {
      headers: { 'x-csrf-token': c2.csrf },
      data: {
        orgId: me.organization.id,
        name: `县助学${randomInt(1000, 9999)}`,
        kind: 'education',
        target: 'student',
        mode: 'cash',
        eligibility: 'schooling == "higher"',
        amounts: [{ when: 'true', amount: 2000, label: '一档' }],
      },
    });
    expect(prog.status()).toBe(201);
    const y = new Date().getFullYear();
    const cyc = await c2.ctx.post(`/api/assistance/programs/${(await prog.json()).id}/cycles`, {
      headers: { 'x-csrf-token': c2.csrf },
      data: { name: '外县助学批次', periodStart: `${y}-08-01`, periodEnd: `${y}-09-30`, budget: 10000 },
    });
    const cycle2 = (await cyc.json()).id;
    await relogin(page, 'county2.union');
    await page.goto(`/assistance/cycles/${cycle2}`);
    await page.getByRole('button', { name: '提名救助对象' }).click();
    const prop = page.getByRole('dialog', { name: '提名救助对象' });
    await prop.locator('#name').fill(child);
    await prop.locator('#idNumber').fill(childId);
    await prop.locator('#amount').fill('2000');
    await prop.getByRole('button', { name: /确\s*定|OK/ }).click();
    await expect(page.locator('tr', { hasText: child }).getByTestId('duplicate-warning')).toBeVisible();
    await expect(page.getByText(/疑似重复救助 1 人/)).toBeVisible();

    // the city union approves its own entitlement and disburses it
    await relogin(page, 'admin');
    await page.goto(`/assistance/cycles/${edu.id}`);
    await expect(row.getByTestId('duplicate-warning')).toBeVisible();
    await row.getByRole('button', { name: /^审\s*核$/ }).click();
    await row.getByRole('button', { name: /^审\s*批$/ }).click();
    await expect(row).toContainText('已审批');
    await page.getByRole('button', { name: '生成发放批次' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: '导出银行文件' }).click();
    await download;
    await expect(page.getByText('已导出')).toBeVisible();
    await row.getByRole('button', { name: '已发放' }).click();
    await expect(row).toContainText('已发放');

    // the household's timeline shows it all
    await page.goto(caseUrl);
    const items = page.getByTestId('timeline-item');
    for (const step of [
      '提交申请',
      '基层初审通过',
      '入户核查完成',
      '审核通过，进入公示',
      '公示期满，纳入在档',
      '纳入救助名单',
      '救助审批通过',
      '发放记录',
    ])
      await expect(items.filter({ hasText: step }).first()).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    await admin.ctx
      .post('/api/test/clock', { headers: { 'x-csrf-token': admin.csrf }, data: { to: null } })
      .catch(() => {});
  }
});
