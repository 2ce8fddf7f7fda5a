import { type APIRequestContext, expect, request, test } from '@playwright/test';
import { BASE_URL, login, PASSWORD, watchConsole } from './helpers';

/**
 * 活动平台 end to end (issue 15, "Done when"): county1.union publishes a two-shift activity →
 * on a 360-px phone page the demo member signs up with an SMS code → the organizer approves →
 * the volunteer signs in by the rotating QR code and signs out (controllable clock) → the
 * hours appear in the ledger and on 个人中心 → a certificate is issued and its public
 * verification page says genuine. Clock steps stay under the 30-minute session idle limit.
 */
async function apiAs(username: string): Promise<{ api: APIRequestContext; csrf: string }> {
  const api = await request.newContext({ baseURL: BASE_URL });
  const r = await api.post('/api/auth/login', { data: { username, password: PASSWORD } });
  expect(r.status()).toBe(200);
  return { api, csrf: (await r.json()).csrfToken };
}

async function setClock(local: string | null) {
  const { api, csrf } = await apiAs('admin');
  const r = await api.post('/api/test/clock', {
    data: { to: local ? `${local}+08:00` : null },
    headers: { 'x-csrf-token': csrf },
  });
  expect(r.status()).toBe(200);
  await api.dispose();
}

const DAY = '2027-03-05';
const TITLE = `社区助老志愿服务${Date.now().toString(36).slice(-4)}`;

test.afterAll(async () => {
  await setClock(null);
});

test('publish → phone sign-up with SMS code → approve → QR sign-in/out → ledger, 个人中心, certificate', async ({
  page,
  browser,
}) => {
  // one flow through three browsers; on a loaded 2-core machine it needs more than the default minute
  test.setTimeout(180_000);
  const errors = watchConsole(page);
  await setClock(`${DAY}T08:40:00`);

  // the member's own identity (the volunteer signs up as the person linked to the `member` account)
  const member = await apiAs('member');
  const me = await (await member.api.get('/api/me/person')).json();
  const admin = await apiAs('admin');
  const revealed = await (
    await admin.api.post(`/api/persons/${me.id}/reveal`, {
      data: { reason: '浏览器测试' },
      headers: { 'x-csrf-token': admin.csrf },
    })
  ).json();
  expect(revealed.idNumber).toMatch(/^\d{17}[\dX]$/);

  // 1. the organizer publishes a two-shift activity
  await login(page, 'county1.union');
  await page.goto('/activities');
  await page.getByTestId('activity-new').click();
  const drawer = page.locator('.ant-drawer');
  await drawer.getByLabel('活动名称').fill(TITLE);
  await expect(drawer.getByLabel('活动地区（12位区划代码）')).toHaveValue(/^\d{12}$/);
  await drawer.getByLabel('活动地点').fill('幸福里社区服务中心');
  await page.getByTestId('recruit-from').fill(`${DAY}T08:00`);
  await page.getByTestId('recruit-until').fill(`${DAY}T08:50`);
  await page.getByTestId('shift-add').click();
  const shift = (i: number) => page.getByTestId(`shift-${i}`).locator('input');
  await shift(0).nth(0).fill(`${DAY}T09:00`);
  await shift(0).nth(1).fill(`${DAY}T09:20`);
  await shift(1).nth(0).fill(`${DAY}T10:00`);
  await shift(1).nth(1).fill(`${DAY}T10:30`);
  await page.getByTestId('activity-submit').click();
  await expect(page).toHaveURL(/\/activities\/\d+$/);
  await expect(page.getByText('第2班次').first()).toBeVisible();

  // 2. a phone (360 px, no login) signs up with the SMS code
  const phoneCtx = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'zh-CN' });
  const phone = await phoneCtx.newPage();
  const phoneErrors = watchConsole(phone);
  await phone.goto('/volunteer');
  await phone.getByText(TITLE).click();
  await phone.getByTestId('shift-1').click();
  await phone.getByTestId('shift-2').click();
  await phone.getByLabel('姓名').fill(me.name);
  await phone.getByLabel('身份证号').fill(revealed.idNumber);
  const mobile = '13912340015';
  await phone.getByLabel('手机号码').fill(mobile);
  await phone.getByTestId('send-code').click();
  await expect(phone.getByTestId('send-code')).toBeDisabled();
  const pub = await request.newContext({ baseURL: BASE_URL });
  const code = (await (await pub.get('/api/test/volunteer-sms-code', { params: { phone: mobile } })).json())
    .code;
  expect(code).toMatch(/^\d{6}$/);
  await phone.locator('input[maxlength="6"]').fill(code);
  await phone.getByTestId('signup-submit').click();
  await expect(phone.getByText('报名已提交')).toBeVisible();
  expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  // 3. the organizer approves the first shift's sign-up
  await page.reload();
  await page.locator('[data-testid^="approve-"]').first().click();
  await expect(page.locator('.ant-table-row').filter({ hasText: '已录用' })).toHaveCount(1);

  // 4. at the venue: the organizer's screen shows the rotating QR code; the phone posts it
  await setClock(`${DAY}T08:58:00`);
  await page.reload();
  await page.getByTestId('checkin-screen-1').click();
  const url = await page.getByTestId('checkin-url').getAttribute('data-url');
  expect(url).toMatch(/^\/volunteer\/checkin\?t=/);
  await phone.goto(url!);
  await phone.getByTestId('checkin-in').click();
  await expect(phone.getByTestId('checkin-result')).toContainText('签到成功');
  await page.keyboard.press('Escape');

  await setClock(`${DAY}T09:21:00`);
  await page.reload();
  await page.getByTestId('checkin-screen-1').click();
  const url2 = await page.getByTestId('checkin-url').getAttribute('data-url');
  expect(url2).not.toBe(url);
  await phone.goto(url2!);
  await phone.getByTestId('checkin-out').click();
  await expect(phone.getByTestId('checkin-result')).toContainText('0.33 小时');
  await page.keyboard.press('Escape');
  await page.reload();
  await expect(page.locator('.ant-table-row').filter({ hasText: '已录用' })).toContainText('0.33');

  // 5. the ledger and 个人中心 show the hours
  const again = await apiAs('member'); // the clock moved past the session's idle limit
  const hours = await (await again.api.get(`/api/persons/${me.id}/volunteer-hours`)).json();
  expect(hours.credited).toBeGreaterThanOrEqual(0.33);
  const memberPage = await browser.newPage({ locale: 'zh-CN' });
  await login(memberPage, 'member');
  await memberPage.goto('/personal/volunteer');
  await expect(memberPage.getByText(TITLE).first()).toBeVisible();
  await expect(memberPage.getByText('签到记录').first()).toBeVisible();

  // 6. a certificate PDF, and its public verification page says genuine
  await memberPage.getByTestId('issue-cert').click();
  await expect(memberPage.getByTestId('cert-issued')).toBeVisible();
  const number = (await memberPage.getByTestId('cert-issued').locator('code').textContent())!.trim();
  const pdf = await memberPage.request.get(`/api/volunteer-certificates/${number}/pdf`);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toContain('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await phone.goto(`/volunteer/cert/${number}`);
  await expect(phone.getByTestId('cert-genuine')).toContainText('证明真实有效');
  await phone.goto('/volunteer/cert/ZYZM20270101AAAAAAAAAA');
  await expect(phone.getByTestId('cert-bad')).toContainText('不存在');

  await Promise.all([
    member.api.dispose(),
    admin.api.dispose(),
    pub.dispose(),
    phoneCtx.close(),
    memberPage.close(),
  ]);
  expect(errors).toEqual([]);
  expect(phoneErrors.filter((e) => !e.includes('404'))).toEqual([]);
});
