import { type APIRequestContext, expect, type Page, request, test } from '@playwright/test';
import { login, PASSWORD, pickCascader, pickOption, watchConsole } from './helpers';

/**
 * 维权平台 end to end (issue 3, "Done when"):
 * 1. a worker files on the phone form (360 px, no login) → routed to the county union of the
 *    region → county1.union signs for it and replies → the worker rates it with the tracking
 *    code → the dashboard's rates change;
 * 2. a deadline passes (test clock) → the automatic 催办 shows in the supervisor's queue →
 *    the supervisor escalates to 挂牌督办.
 */
async function apiAs(baseURL: string, username: string): Promise<{ api: APIRequestContext; csrf: string }> {
  const api = await request.newContext({ baseURL });
  const r = await api.post('/api/auth/login', { data: { username, password: PASSWORD } });
  expect(r.status()).toBe(200);
  return { api, csrf: (await r.json()).csrfToken };
}

async function setClock(baseURL: string, to: string | null) {
  const { api, csrf } = await apiAs(baseURL, 'admin');
  const r = await api.post('/api/test/clock', { data: { to }, headers: { 'x-csrf-token': csrf } });
  expect(r.status()).toBe(200);
  await api.dispose();
}

/** Region names from the province down to town1's township (the county of county1.union). */
async function town1Chain(baseURL: string): Promise<{ names: string[]; code: string }> {
  const { api } = await apiAs(baseURL, 'town1.union');
  const me = await (await api.get('/api/me')).json();
  const org = await (await api.get(`/api/orgs/${me.organization.id}`)).json();
  await api.dispose();
  const code: string = org.regionCode;
  const pub = await request.newContext({ baseURL });
  const names: string[] = [];
  let parent: string | undefined;
  for (const len of [2, 4, 6, 9]) {
    const want = code.slice(0, len).padEnd(12, '0');
    const r = await (
      await pub.get('/api/public/regions', { params: parent ? { parentCode: parent } : {} })
    ).json();
    const hit = r.items.find((x: { code: string }) => x.code === want);
    names.push(hit.name);
    parent = want;
  }
  await pub.dispose();
  return { names, code };
}

/** Picks a path in one of the public form's cascades (a native select per level). */
async function rates(page: Page) {
  await page.goto('/appeals/dashboard');
  await expect(page.getByTestId('chart-rates')).toBeVisible();
  await expect(page.getByTestId('rate-close')).not.toContainText('—');
  return {
    close: (await page.getByTestId('rate-close').textContent()) ?? '',
    satisfaction: (await page.getByTestId('rate-satisfaction').textContent()) ?? '',
  };
}

test('a worker files on the phone, the county union answers, the worker rates, the rates change', async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const base = baseURL!;
  await setClock(base, null);
  const chain = await town1Chain(base);

  // the handler's dashboard before
  const staff = await browser.newPage();
  const staffErrors = watchConsole(staff);
  await login(staff, 'county1.union');
  const before = await rates(staff);

  // 1. the phone form, 360 px wide, nobody signed in
  const phone = await browser.newPage({
    viewport: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
  });
  const phoneErrors = watchConsole(phone);
  await phone.goto('/appeal');
  await expect(phone.getByText('群团维权服务')).toBeVisible();
  await pickCascader(phone, 'public-category', ['劳动争议', '欠薪']);
  await pickCascader(phone, 'public-region', chain.names);
  await phone
    .getByTestId('public-content')
    .fill('我在镇上的建筑工地打工，包工头拖欠三个月工资，多次讨要无果。');
  const mobile = `1390${String(Date.now()).slice(-7)}`;
  await phone.getByTestId('public-phone').fill(mobile);
  const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
  expect(wide).toBeLessThanOrEqual(360);
  await phone.getByTestId('public-submit').click();
  const code = (await phone.getByTestId('public-code').textContent())!.trim();
  expect(code).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/);

  // 2. routed to the county union: county1.union sees it, signs for it and replies
  await staff.goto('/appeals');
  await staff.getByRole('tab', { name: '全部' }).click();
  await staff.getByTestId('appeal-search').locator('input').fill(code);
  await staff.getByTestId('appeal-search').locator('input').press('Enter');
  await staff.getByTestId(`appeal-${code.replace('-', '')}`).click();
  await expect(staff.getByTestId('appeal-status')).toHaveText('已派单');
  await expect(staff.getByText('职工维权找工会').first()).toBeVisible();
  await staff.getByTestId('action-accept').click();
  await expect(staff.getByTestId('appeal-status')).toHaveText('已签收');
  await staff.getByTestId('action-start').click();
  await expect(staff.getByTestId('appeal-status')).toHaveText('办理中');
  await staff.getByTestId('action-reply').click();
  await staff.getByTestId('reply-text').fill('经县总工会协调，施工单位已于本周补发全部拖欠工资。');
  await staff.locator('#action-ok').click();
  await expect(staff.getByTestId('appeal-status')).toHaveText('已答复');

  // 3. the worker looks it up with the code and the last four digits, and rates it
  await phone.getByRole('button', { name: '查询进度' }).click();
  await expect(phone.getByTestId('track-status')).toHaveText('已答复');
  await expect(phone.getByTestId('track-reply')).toContainText('补发全部拖欠工资');
  await phone.getByText('基本满意').click();
  await phone.getByTestId('track-rate').click();
  await expect(phone.getByTestId('track-status')).toHaveText('已办结');
  // a wrong code answers like wrong digits
  await phone.getByTestId('track-phone4').fill(mobile.slice(-4) === '0000' ? '1111' : '0000');
  await phone.getByTestId('track-submit').click();
  await expect(phone.getByTestId('track-error')).toContainText('查询码或手机号码后四位不正确');

  // 4. the dashboard's rates change
  const after = await rates(staff);
  expect(after.close).not.toBe(before.close);
  expect(phoneErrors.filter((e) => !e.includes('404'))).toEqual([]);
  expect(staffErrors).toEqual([]);
});

test('a deadline passes: the 催办 appears and the supervisor escalates to 挂牌督办', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const base = baseURL!;
  const chain = await town1Chain(base);
  await setClock(base, '2026-09-30T10:00:00+08:00');
  try {
    const pub = await request.newContext({ baseURL: base });
    const filed = await pub.post('/api/public/appeals', {
      data: {
        content: '电子厂拖欠加班费，车间主任拒绝沟通（超期督办测试）',
        group: 'worker',
        categoryCode: 'LABOR_HOURS',
        regionCode: chain.code,
        phone: `1370${String(Date.now()).slice(-7)}`,
      },
    });
    expect(filed.status()).toBe(201);
    const code: string = (await filed.json()).trackingCode;
    await pub.dispose();
    // 13 working days → Oct 23; the 催办 comes on the next working day, Monday Oct 26
    await setClock(base, '2026-10-26T09:00:00+08:00');

    await login(page, 'supervisor');
    await page.goto('/appeals/supervision');
    await page.getByRole('tab', { name: '催办/督办中' }).click();
    // the sweep runs every few seconds with the test clock
    await expect(async () => {
      await page.getByTestId('appeal-search').locator('input').fill(code);
      await page.getByTestId('appeal-search').locator('input').press('Enter');
      await expect(page.getByTestId(`appeal-${code}`)).toBeVisible({ timeout: 2000 });
    }).toPass({ timeout: 30_000 });
    await expect(page.getByTestId('appeal-table')).toContainText('催办');
    await page.getByTestId(`appeal-${code}`).click();
    await expect(page.getByTestId('appeal-supervision')).toHaveText('催办');
    await page.getByTestId('action-supervise').click();
    await pickOption(page, page.getByTestId('supervise-level'), '挂牌督办');
    await page.getByLabel('说明').fill('超期未办结，挂牌督办，限期三个工作日办结');
    await page.locator('#action-ok').click();
    await expect(page.getByTestId('appeal-supervision')).toHaveText('挂牌督办');
    await expect(page.getByText('超期未办结，挂牌督办')).toBeVisible();
  } finally {
    await setClock(base, null);
  }
});
