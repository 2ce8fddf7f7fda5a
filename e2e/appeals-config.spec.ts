import { expect, type Page, request, test } from '@playwright/test';
import { login, PASSWORD, pickOption, watchConsole } from './helpers';

/**
 * 诉求配置: the administrator adds a category under 劳动争议, a time limit for it and a local
 * holiday; each shows up on the screen (and the category in the public form's list). A save
 * after another administrator changed the list meanwhile is refused (409) and the screen
 * shows the latest list.
 */
const CODE = `E2E_${Date.now().toString(36).toUpperCase()}`.slice(0, 20);
const NAME = '外卖骑手权益';
const DAY = '2027-03-17'; // a Wednesday
const THEIR_DAY = '2027-03-18'; // added by another administrator meanwhile
const MY_DAY = '2027-03-19'; // this screen's save on the old version, refused

const modal = (page: Page) => page.locator('.ant-modal:visible');

test('the administrator adds a category, a time limit and a holiday', async ({ page, baseURL }) => {
  const errors = watchConsole(page);
  await login(page, 'admin');
  await page.goto('/appeals/config');
  await expect(page.getByTestId('appeal-config')).toBeVisible();
  const cats = page.getByTestId('category-table');
  const labor = cats.getByRole('row').filter({ has: page.getByRole('cell', { name: 'LABOR', exact: true }) });
  await expect(labor).toBeVisible();

  // 1. a category under 劳动争议: a bad code is refused in the form, a good one is saved
  await labor.getByRole('button', { name: '新增下级' }).click();
  const dlg = modal(page);
  await expect(dlg).toContainText('新增诉求分类');
  await dlg.getByLabel('分类编码').fill('1abc');
  await dlg.getByLabel('分类名称').fill(NAME);
  await dlg.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dlg).toContainText('分类编码不正确');
  await dlg.getByLabel('分类编码').fill(CODE.toLowerCase());
  await dlg.getByRole('button', { name: /保\s*存/ }).click();
  await expect(dlg).toBeHidden();
  const row = cats.getByRole('row').filter({ has: page.getByRole('cell', { name: CODE, exact: true }) });
  await expect(row).toContainText(NAME);
  await expect(row).toContainText('正常');
  // the public form lists it at once
  const anon = await request.newContext({ baseURL });
  const pub = await (await anon.get('/api/public/appeal-categories')).json();
  const laborNode = pub.items.find((c: { code: string }) => c.code === 'LABOR');
  expect(laborNode.children.map((c: { name: string }) => c.name)).toContain(NAME);
  await anon.dispose();

  // 2. the routing rules are listed in order
  await page.getByRole('tab', { name: '分派规则' }).click();
  await expect(page.getByTestId('rule-table')).toContainText('工会');

  // 3. a time limit for the new category: 7 working days to reply
  await page.getByRole('tab', { name: '办理时限' }).click();
  await page.getByTestId('sla-add').click();
  const sla = modal(page);
  await expect(sla).toContainText('新增办理时限');
  await pickOption(page, sla.getByTestId('sla-category'), NAME, { search: true });
  await sla.getByTestId('sla-replyDays').fill('7');
  await sla.getByRole('button', { name: /保\s*存/ }).click();
  await expect(sla).toBeHidden();
  const slaRow = page.getByTestId('sla-table').getByRole('row').filter({ hasText: CODE });
  await expect(slaRow).toContainText(NAME);
  await expect(slaRow.getByRole('cell', { name: '7', exact: true })).toBeVisible();

  // 4. a local holiday; a Saturday is refused (it is not a working day anyway)
  await page.getByRole('tab', { name: '工作日历' }).click();
  await page.getByTestId('holiday-add').click();
  const cal = modal(page);
  await cal.getByTestId('holiday-day').fill('2027-03-20');
  await cal.getByRole('button', { name: /保\s*存/ }).click();
  await expect(cal).toContainText('无需设为放假');
  await cal.getByTestId('holiday-day').fill(DAY);
  await cal.getByTestId('holiday-note').fill('本市防汛停工（测试）');
  await cal.getByRole('button', { name: /保\s*存/ }).click();
  await expect(cal).toBeHidden();
  const dayRow = page.getByTestId('holiday-table').getByRole('row').filter({ hasText: DAY });
  await expect(dayRow).toContainText('放假');
  await expect(dayRow).toContainText('周三');
  await expect(dayRow).toContainText('工作日');
  await expect(dayRow).toContainText('本市防汛停工（测试）');

  // after a reload everything is still there
  await page.reload();
  await expect(page.getByTestId('holiday-table')).toContainText(DAY);
  await page.screenshot({ path: 'test-results/appeals-config-calendar.png', fullPage: true });
  await page.getByRole('tab', { name: '办理时限' }).click();
  await expect(page.getByTestId('sla-table')).toContainText(CODE);
  await page.screenshot({ path: 'test-results/appeals-config-sla.png', fullPage: true });
  await page.getByRole('tab', { name: '诉求分类' }).click();
  await page.getByTestId('category-search').locator('input').fill(NAME);
  await page.getByTestId('category-search').locator('input').press('Enter');
  await expect(cats).toContainText(CODE);
  await page.screenshot({ path: 'test-results/appeals-config-categories.png', fullPage: true });

  // 5. another administrator changes the calendar while this screen shows it: the save made
  // here on the old version is refused, the notice says so and the latest list is shown
  await page.getByRole('tab', { name: '工作日历' }).click();
  await expect(page.getByTestId('holiday-table')).toContainText(DAY);
  const other = await request.newContext({ baseURL });
  const signedIn = await other.post('/api/auth/login', { data: { username: 'admin', password: PASSWORD } });
  const csrf = ((await signedIn.json()) as { csrfToken: string }).csrfToken;
  const current = await (await other.get('/api/appeal-config/calendar')).json();
  const theirs = await other.put('/api/appeal-config/calendar', {
    headers: { 'x-csrf-token': csrf },
    data: {
      version: current.version,
      overrides: [
        ...current.items.map((o: { day: string; kind: string; note: string | null }) => ({
          day: o.day,
          kind: o.kind,
          ...(o.note ? { note: o.note } : {}),
        })),
        { day: THEIR_DAY, kind: 'holiday', note: '他人添加（测试）' },
      ],
    },
  });
  expect(theirs.status()).toBe(200);
  await other.dispose();
  await page.getByTestId('holiday-add').click();
  await cal.getByTestId('holiday-day').fill(MY_DAY);
  await cal.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.locator('.ant-notification')).toContainText('数据已被他人修改');
  await expect(cal).toBeHidden();
  const table = page.getByTestId('holiday-table');
  await expect(table).toContainText(THEIR_DAY);
  await expect(table).toContainText('他人添加（测试）');
  await expect(table).not.toContainText(MY_DAY);

  // leave the calendar as it was for the other specs
  for (const d of [DAY, THEIR_DAY]) {
    await table
      .getByRole('row')
      .filter({ hasText: d })
      .getByRole('button', { name: /删\s*除/ })
      .click();
    await page
      .locator('.ant-modal-confirm')
      .getByRole('button', { name: /删\s*除/ })
      .click();
    await expect(table).not.toContainText(d);
  }
  // the browser logs the expected 409 of the refused save
  expect(errors.filter((e) => !e.includes('409'))).toEqual([]);
});

test('a user without appeal:config sees neither the menu entry nor the page', async ({ page }) => {
  await login(page, 'county1.union');
  await expect(page.getByRole('menuitem', { name: '诉求配置' })).toHaveCount(0);
  await page.goto('/appeals/config');
  await expect(page.getByTestId('appeal-config')).toHaveCount(0);
});
