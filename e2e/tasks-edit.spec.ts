import { type APIRequestContext, expect, type Page, request, test } from '@playwright/test';
import { login, PASSWORD, pickOption, watchConsole } from './helpers';

/**
 * 部署督办 on the task page: the deploying side edits a task (persons, target, milestone, due
 * date with a reason; a concurrent change is a clear 409), the lead unit splits it to the two
 * county unions, a county reports progress with an attachment, the parent's progress rolls up,
 * and the work logs show every step.
 */
async function session(
  baseURL: string,
  username: string,
): Promise<{ api: APIRequestContext; csrf: string; me: any }> {
  const api = await request.newContext({ baseURL });
  const r = await api.post('/api/auth/login', { data: { username, password: PASSWORD } });
  expect(r.status()).toBe(200);
  const csrf = (await r.json()).csrfToken as string;
  const me = await (await api.get('/api/me')).json();
  return { api, csrf, me };
}
const day = (offset: number) =>
  new Date(Date.now() + offset * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

async function switchUser(page: Page, username: string) {
  await page.context().clearCookies();
  await login(page, username);
}

test('edit, split to two counties, report with an attachment, roll up, and the timeline', async ({
  page,
  baseURL,
}) => {
  test.setTimeout(180_000);
  const errors = watchConsole(page);
  const admin = await session(baseURL!, 'admin');
  await admin.api.post('/api/test/clock', { data: { to: null }, headers: { 'x-csrf-token': admin.csrf } });
  const city = await session(baseURL!, 'city.union');
  const c1 = await session(baseURL!, 'county1.union');
  const c2 = await session(baseURL!, 'county2.union');
  const cityOrg = city.me.organization as { id: number; name: string };
  const county1 = c1.me.organization.name as string;
  const county2 = c2.me.organization.name as string;
  const due = day(90);
  const created = await admin.api.post('/api/tasks', {
    headers: { 'x-csrf-token': admin.csrf },
    data: {
      ownerOrgId: cityOrg.id,
      title: `全市职工之家建设 ${Date.now().toString(36)}`,
      leadOrgIds: [cityOrg.id],
      dueDate: due,
      cadence: 'monthly',
    },
  });
  expect(created.status()).toBe(201);
  const task = (await created.json()) as { id: number; title: string };

  // 1. the deploying side edits it
  await login(page, 'city.union');
  await page.goto(`/tasks/${task.id}`);
  await expect(page.getByTestId('task-title')).toHaveText(task.title);
  await page.getByTestId('task-edit-open').click();
  const edit = page.getByTestId('task-edit');
  await edit.getByTestId('edit-leader').fill('王副主席');
  await edit.getByTestId('edit-owner-person').fill('李部长');
  await edit.getByTestId('edit-handler').fill('张干事');
  await edit.getByTestId('edit-targets').locator('input').fill('建成 20 个职工之家');
  await edit.getByTestId('edit-targets').locator('input').press('Enter');
  await edit.getByTestId('milestone-add').click();
  await edit.getByTestId('milestone-0').getByPlaceholder('节点内容').fill('完成选址');
  const newDue = day(80);
  await edit.getByTestId('edit-due').fill(newDue);
  await page.getByTestId('edit-save').click();
  await expect(edit).toContainText('调整完成时限须说明理由');
  await edit.getByTestId('edit-reason').fill('按市委要求提前完成');
  await page.getByTestId('edit-save').click();
  await expect(page.getByTestId('task-edit')).toBeHidden();
  const info = page.getByTestId('task-info');
  await expect(info).toContainText('王副主席');
  await expect(info).toContainText('张干事');
  await expect(page.getByTestId('task-due')).toHaveText(newDue);
  await expect(page.getByTestId('task-milestones')).toContainText('完成选址');
  await expect(page.getByTestId('task-target')).toHaveText('建成 20 个职工之家');

  // someone else changes it while the drawer is open: a clear 409, the latest shown
  await page.getByTestId('task-edit-open').click();
  const current = await (await city.api.get(`/api/tasks/${task.id}`)).json();
  const other = await city.api.patch(`/api/tasks/${task.id}`, {
    headers: { 'x-csrf-token': city.csrf },
    data: { version: current.version, ownerPerson: '赵部长' },
  });
  expect(other.status()).toBe(200);
  await edit.getByTestId('edit-handler').fill('钱干事');
  await page.getByTestId('edit-save').click();
  await expect(page.getByTestId('edit-conflict')).toContainText('数据已被他人修改');
  await expect(edit.getByTestId('edit-owner-person')).toHaveValue('赵部长');
  await page.getByRole('button', { name: /取\s*消/ }).click();

  // 2. split to the two county unions
  await page.getByTestId('task-split-open').click();
  const split = page.getByTestId('split-form');
  for (const [i, name] of [county1, county2].entries()) {
    await pickOption(page, page.locator(`[id="split-org-${i}"]`), name, { search: true });
    await split.getByTestId(`split-title-${i}`).fill(`${name}职工之家建设`);
  }
  await page.getByTestId('split-submit').click();
  const children = page.getByTestId('task-children');
  await expect(children.locator('tbody tr')).toHaveCount(2);
  await expect(children).toContainText(county1);
  await expect(children).toContainText(county2);
  await page.screenshot({ path: 'test-results/tasks-edit-parent.png', fullPage: true });
  const parent = await (await city.api.get(`/api/tasks/${task.id}`)).json();
  const child1 = parent.children.find((c: { lead: { name: string }[] }) => c.lead[0]?.name === county1);

  // 3. the first county reports 60 % with an attachment
  await switchUser(page, 'county1.union');
  await page.goto(`/tasks/${child1.id}`);
  await expect(page.getByTestId('task-edit-open')).toHaveCount(0);
  await page.getByTestId('report-percent').fill('60');
  await page.getByTestId('report-content').fill('已完成 12 个职工之家的选址和设计');
  await page
    .getByTestId('report-upload')
    .locator('input[type=file]')
    .setInputFiles({
      name: '进展说明.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('选址清单：一号、二号'),
    });
  await expect(page.locator('.ant-upload-list-item-done')).toContainText('进展说明.txt');
  await page.getByTestId('report-submit').click();
  await expect(page.getByTestId('task-status')).toHaveText('推进中');
  const file = page.getByTestId('report-list').getByTestId('report-file');
  await expect(file).toContainText('进展说明.txt');
  const [download] = await Promise.all([page.waitForEvent('download'), file.click()]);
  expect(download.suggestedFilename()).toBe('进展说明.txt');
  const childLog = page.getByTestId('task-timeline');
  await expect(childLog).toContainText('上传附件');
  await expect(childLog).toContainText('报送进展');
  await expect(childLog).toContainText('分解任务');
  await page.screenshot({ path: 'test-results/tasks-edit-child.png', fullPage: true });

  // 4. the parent: 30 % (the mean of 60 % and 0 %), and its work log has every step
  await switchUser(page, 'city.union');
  await page.goto(`/tasks/${task.id}`);
  await expect(page.getByTestId('task-progress')).toContainText('30%');
  await expect(page.getByTestId('task-status')).toHaveText('推进中');
  const log = page.getByTestId('task-timeline');
  for (const step of ['部署任务', '调整时限', '修改任务', '分解任务', '子任务进展汇总'])
    await expect(log).toContainText(step);
  await expect(log).toContainText('按市委要求提前完成');
  await expect(log).toContainText('汇总进度 30%');
  await page.screenshot({ path: 'test-results/tasks-edit-rollup.png', fullPage: true });
  // the browser logs the expected 409 of the concurrent edit
  expect(errors.filter((e) => !e.includes('409'))).toEqual([]);
  for (const s of [admin, city, c1, c2]) await s.api.dispose();
});
