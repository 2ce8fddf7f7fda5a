import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { expect, type Page, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { pickCascader } from './helpers';

/**
 * Going live for 邯郸市 (1304) on an empty database, in its own server (no demo city): `init`
 * prints the first administrator's one-time password, which must be changed at the first
 * login; the organization tree template is downloaded, filled with a three-level tree (one
 * row wrong, then fixed), checked and imported; then the public appeal form routes a worker's
 * appeal in that city to the imported county union.
 */
const PORT = Number(process.env.E2E_PORT ?? 3199) + 100;
const BASE = `http://localhost:${PORT}`;
const DATA_DIR = `.tmp/e2e-golive-${PORT}`;
const NEW_PASSWORD = 'Handan#2027go';
const env = {
  ...process.env,
  PORT: String(PORT),
  NIUDAI_DATA_DIR: DATA_DIR,
  NIUDAI_SEED_DEMO: 'false',
  NIUDAI_RATE_LIMIT: '1000',
  LOG_LEVEL: 'warn',
};

let server: ChildProcess | undefined;
let password = '';

test.describe.configure({ timeout: 150_000 });

test.beforeAll(async () => {
  test.setTimeout(150_000);
  rmSync(DATA_DIR, { recursive: true, force: true });
  mkdirSync(DATA_DIR, { recursive: true });
  const init = await promisify(execFile)(
    'npx',
    ['tsx', 'src/server/cli/main.ts', 'init', '--city', '1304', '--admin', 'hd.admin'],
    { env },
  );
  password = /^password: (.+)$/m.exec(init.stdout)![1]!;
  server = spawn('npx', ['tsx', 'src/server/cli/main.ts', 'serve'], { env, stdio: 'ignore', detached: true });
  for (let i = 0; ; i++) {
    const ok = await fetch(`${BASE}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (i > 120) throw new Error('the go-live server did not start');
    await new Promise((r) => setTimeout(r, 500));
  }
});

test.afterAll(() => {
  if (server?.pid) process.kill(-server.pid, 'SIGTERM');
  rmSync(DATA_DIR, { recursive: true, force: true });
});

async function fillTree(template: string, out: string, countyRegion: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(template);
  const ws = wb.worksheets[0]!;
  const header = (ws.getRow(1).values as string[]).slice(1);
  expect(header).toContain('*组织全称');
  // children before their parents, parents by name path
  const rows = [
    ['', '焦窑社区工会联合会', '', '工会', '村社区', '火磨街道总工会', '130402001006', '', '', '', ''],
    ['', '火磨街道总工会', '', '工会', '乡镇街道', '邯郸市总工会/邯山区总工会', '130402001', '', '', '', ''],
    ['', '邯山区总工会', '', '工会', '县区', '邯郸市总工会', '130402', '', '张主席', '0310-1234567', '是'],
    ['', '丛台区总工会', '', '工会', '县区', '邯郸市总工会', countyRegion, '', '', '', '是'],
  ];
  rows.forEach((r, i) => {
    const row = ws.getRow(2 + i);
    r.forEach((v, j) => {
      row.getCell(j + 1).value = v;
    });
    row.commit();
  });
  await wb.xlsx.writeFile(out);
}

async function check(page: Page, file: string) {
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByTestId('dry-run').click();
}

test('init → one-time password → template → tree imported → an appeal routed to the imported county union', async ({
  browser,
}, info) => {
  const page = await browser.newPage({ baseURL: BASE });
  // 1. the one-time password signs in, and must be changed before anything else
  await page.goto('/login');
  await page.getByPlaceholder('用户名').fill('hd.admin');
  await page.getByPlaceholder('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page.getByTestId('must-change-password')).toBeVisible();
  expect((await page.request.get('/api/me')).status()).toBe(403);
  await page.locator('#password_oldPassword').fill(password);
  await page.locator('#password_newPassword').fill(NEW_PASSWORD);
  await page.locator('#password_confirm').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByTestId('must-change-password')).toBeHidden();

  // 2. the checklist of a fresh city: nothing imported yet
  await page.goto('/onboarding');
  await expect(page.getByTestId('check-orgs')).toContainText('待办');

  // 3. the template, filled with a three-level tree and one wrong row
  await page.goto('/onboarding/import?kind=orgs');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('template-xlsx').click(),
  ]);
  const template = info.outputPath('template.xlsx');
  await download.saveAs(template);
  const wrong = info.outputPath('tree-wrong.xlsx');
  await fillTree(template, wrong, '130702');
  await check(page, wrong);
  await expect(page.getByTestId('import-message')).toContainText('1 行有错误');
  await expect(page.getByTestId('import-errors')).toContainText('行政区划不在本市范围内');
  await expect(page.getByTestId('apply')).toBeDisabled();

  // 4. fixed: the check shows the tree, the import writes it
  const fixed = info.outputPath('tree.xlsx');
  await fillTree(template, fixed, '130403');
  await check(page, fixed);
  await expect(page.getByTestId('import-message')).toContainText('预检通过');
  const preview = page.getByTestId('import-preview');
  await expect(preview).toContainText('邯郸市总工会');
  await expect(preview).toContainText('火磨街道总工会');
  await expect(preview).toContainText('焦窑社区工会联合会');
  await page.getByTestId('apply').click();
  await expect(page.getByTestId('import-message')).toContainText('导入完成：新增 4');
  await page.goto('/onboarding');
  await expect(page.getByTestId('check-orgs')).toContainText('已完成');

  // 5. the public phone form: a worker's appeal in 邯山区 goes to the imported county union
  const phone = await browser.newPage({
    baseURL: BASE,
    viewport: { width: 360, height: 740 },
    isMobile: true,
  });
  await phone.goto('/appeal');
  await pickCascader(phone, 'public-category', ['劳动争议', '欠薪']);
  await pickCascader(phone, 'public-region', ['河北省', '邯郸市', '邯山区', '火磨街道']);
  await phone.getByTestId('public-content').fill('公司拖欠我们三个月工资，多次讨要无果，请帮忙维权。');
  await phone.getByTestId('public-phone').fill('13912340000');
  await phone.getByTestId('public-submit').click();
  await expect(phone.getByTestId('public-code')).toBeVisible();
  await phone.getByRole('button', { name: '查询进度' }).click();
  await phone.getByTestId('track-submit').click();
  await expect(phone.getByTestId('track-result')).toContainText('邯山区总工会');
});
