import { expect, request, test } from '@playwright/test';
import { login, PASSWORD, pickOption } from './helpers';

/**
 * A plan uploaded as .docx with prose and a 任务分工表 (two-row header, a lead cell merged over
 * two rows): every table row becomes a draft task beside the prose tasks, each with its
 * confidence; the reviewer maps a unit and publishes. Fixture: scripts/gen-table-fixtures.ts.
 */
const PLAN = new URL('../test/fixtures/tables/plan.docx', import.meta.url).pathname;

async function setClock(baseURL: string, local: string | null) {
  const api = await request.newContext({ baseURL });
  const r = await api.post('/api/auth/login', { data: { username: 'admin', password: PASSWORD } });
  const csrf = (await r.json()).csrfToken as string;
  const c = await api.post('/api/test/clock', {
    data: { to: local === null ? null : `${local}+08:00` },
    headers: { 'x-csrf-token': csrf },
  });
  expect(c.status()).toBe(200);
  await api.dispose();
}

test('upload a .docx with a merged-cell task table and prose, review, publish', async ({ page, baseURL }) => {
  test.setTimeout(90_000);
  await setClock(baseURL!, '2026-03-10T09:00:00');
  const api = await request.newContext({ baseURL });
  await api.post('/api/auth/login', { data: { username: 'town1.union', password: PASSWORD } });
  const townName = (await (await api.get('/api/me')).json()).organization.name as string;
  await api.dispose();

  await login(page, 'admin');
  await page.goto('/tasks/docs');
  const form = page.getByTestId('doc-form');
  await form.locator('input[type=file]').setInputFiles(PLAN);
  await expect(page.getByTestId('doc-body')).toHaveValue(/牵头单位/);
  await page.getByTestId('doc-date').fill('2026-03-10');
  await page.getByTestId('doc-submit').click();

  await expect(page).toHaveURL(/\/tasks\/docs\/\d+\/review$/);
  // 2 prose tasks + 5 table rows; the row under the merged lead cell keeps 县住建局
  await expect(page.locator('[data-testid^="draft-t"]')).toHaveCount(7, { timeout: 30_000 });
  await expect(page.getByTestId('span-t5')).toContainText('开展涉企收费专项检查');
  await expect(page.getByTestId('draft-t5')).toContainText('县住建局');
  await expect(page.getByTestId('confidence-t3')).toContainText('置信度 95%');
  await page.getByTestId('confidence-t3').hover();
  await expect(page.getByRole('tooltip')).toContainText('任务分工表');

  await pickOption(page, page.locator('[id="unit-map-县市场监管局"]'), townName, { search: true });
  await page.getByTestId('keep-mapped').click();
  await expect(page.getByTestId('due-t3')).toHaveValue('2026-04-30');
  await page.getByTestId('publish').click();
  await expect(page).toHaveURL(/\/tasks\?documentId=\d+$/);
  const rows = page.getByTestId('task-table').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(townName);
  await expect(rows.first()).toContainText('压缩企业开办时间');
  await setClock(baseURL!, null);
});
