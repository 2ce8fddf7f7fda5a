import { readFile } from 'node:fs/promises';
import { type APIRequestContext, expect, type Page, request, test } from '@playwright/test';
import { login, PASSWORD, pickOption } from './helpers';

/**
 * 部署督办 end to end: paste speech-05 → review → publish tasks mapped to organizations →
 * the unit reports progress → the deadline passes (test clock) → 催办 → the period notice
 * lists the unit. The speech is the seed's, kept in test/fixtures/seed.
 */
const SPEECH = new URL('../test/fixtures/seed/speeches/speech-05.txt', import.meta.url);

async function apiAs(baseURL: string, username: string): Promise<{ api: APIRequestContext; csrf: string }> {
  const api = await request.newContext({ baseURL });
  const r = await api.post('/api/auth/login', { data: { username, password: PASSWORD } });
  expect(r.status()).toBe(200);
  return { api, csrf: (await r.json()).csrfToken };
}

async function setClock(baseURL: string, local: string | null) {
  const { api, csrf } = await apiAs(baseURL, 'admin');
  const r = await api.post('/api/test/clock', {
    data: { to: local === null ? null : `${local}+08:00` },
    headers: { 'x-csrf-token': csrf },
  });
  expect(r.status()).toBe(200);
  await api.dispose();
}

async function signOut(page: Page) {
  await page.context().clearCookies();
}

test('deploy speech-05, report, miss the deadline, get 催办, appear in the period notice', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const base = baseURL!;
  await setClock(base, '2026-03-02T09:00:00');
  const town = await apiAs(base, 'town1.union');
  const townName = (await (await town.api.get('/api/me')).json()).organization.name as string;
  await town.api.dispose();

  // 1. paste the speech
  await login(page, 'admin');
  await page.goto('/tasks/docs');
  const form = page.getByTestId('doc-form');
  await form.getByLabel('标题').fill('全市环境保护工作会议讲话');
  await form.getByLabel('发文字号').fill('张政发〔2026〕37号');
  await page.getByTestId('doc-date').fill('2026-03-02');
  await page.getByTestId('doc-body').fill(await readFile(SPEECH, 'utf8'));
  await page.getByTestId('doc-submit').click();

  // 2. review: spans highlighted, draft tasks listed, units to map
  await expect(page).toHaveURL(/\/tasks\/docs\/\d+\/review$/);
  await expect(page.getByTestId('draft-t1')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('span-t1')).toContainText('市水利局');
  const mapping = page.getByTestId('unit-mapping');
  await expect(mapping).toContainText('市水利局');
  await pickOption(page, page.locator('[id="unit-map-市水利局"]'), townName, { search: true });
  await page.getByTestId('keep-mapped').click();
  await page.getByTestId('due-t1').fill('2026-04-30');
  await page.getByTestId('due-t2').fill('2026-04-30');
  await page.getByTestId('publish').click();
  await expect(page).toHaveURL(/\/tasks\?documentId=\d+$/);
  // this document's tasks (other specs leave tasks of their own, some overdue, sorted first)
  const listUrl = new URL(page.url()).pathname + new URL(page.url()).search;
  const rows = page.getByTestId('task-table').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText(townName);

  // 3. the unit reports progress
  await signOut(page);
  await login(page, 'town1.union');
  await page.goto(listUrl);
  await page.getByTestId('task-table').locator('tbody tr').first().getByRole('link').click();
  await expect(page.getByTestId('task-status')).toHaveText('未启动');
  await page.getByTestId('report-percent').fill('30');
  await page.getByTestId('report-content').fill('已完成河道现状摸排，制定调水方案');
  await page.getByTestId('report-submit').click();
  await expect(page.getByTestId('task-status')).toHaveText('推进中');
  await expect(page.getByTestId('task-timeline')).toContainText('报送进展');
  const taskUrl = page.url();

  // 4. the deadline passes (4月30日; 5月1日–5日 holidays): 催办 on 5月6日
  await setClock(base, '2026-05-06T09:00:00');
  const sup = await apiAs(base, 'supervisor');
  const sweep = await sup.api.post('/api/task-supervision/sweep', { headers: { 'x-csrf-token': sup.csrf } });
  expect(sweep.status()).toBe(200);
  await sup.api.dispose();
  // two months later the old session has long expired: sign in again
  await signOut(page);
  await login(page, 'town1.union');
  await page.goto(taskUrl);
  await expect(page.getByTestId('task-status')).toHaveText('逾期');
  await expect(page.getByTestId('task-escalation')).toHaveText('催办');
  await expect(page.getByTestId('task-timeline')).toContainText('自动催办');

  // 5. the period notice lists the unit
  await signOut(page);
  await login(page, 'supervisor');
  await page.goto('/tasks/notices');
  await page.getByTestId('period-from').fill('2026-04-01');
  await page.getByTestId('period-from').press('Enter');
  await page.getByTestId('period-to').fill('2026-05-31');
  await page.getByTestId('period-to').press('Enter');
  await page.getByTestId('rank-query').click();
  await expect(page.getByTestId('rank-table')).toContainText(townName);
  await page.getByTestId('notice-comment').fill('逾期单位要认真整改，按期完成。');
  await page.getByTestId('notice-issue').click();
  await page.getByTestId('notice-issue-confirm').click();
  const notice = page.getByTestId('notice-view');
  await expect(notice).toContainText(townName);
  await expect(notice).toContainText('逾期单位要认真整改');
});

// the other specs run on real time
test.afterEach(async ({ baseURL }) => setClock(baseURL!, null));
