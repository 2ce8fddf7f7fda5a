import { readFile } from 'node:fs/promises';
import { type APIRequestContext, expect, type Page, request, test } from '@playwright/test';
import ExcelJS from 'exceljs';
import { login, PASSWORD } from './helpers';

/**
 * 统计报表 and 考核 end to end: a small form (one error rule, one warning rule) filled by two
 * townships, returned by the county with a reason on a cell, corrected, approved, summed for the
 * city and exported; a scheme with a computed 满意率 and a veto, computed, a vetoed unit
 * ungraded, its explanation with the appeals behind, the notice exported.
 */
async function apiAs(baseURL: string, username: string): Promise<{ api: APIRequestContext; csrf: string }> {
  const api = await request.newContext({ baseURL });
  const r = await api.post('/api/auth/login', { data: { username, password: PASSWORD } });
  expect(r.status()).toBe(200);
  return { api, csrf: (await r.json()).csrfToken };
}

const PERIOD = String(new Date().getFullYear() - 1);

async function fill(page: Page, cells: Record<string, number>) {
  for (const [k, v] of Object.entries(cells)) await page.getByTestId(`cell-${k}`).fill(String(v));
}

test('a form filled by two townships, returned, corrected, approved, summed and exported', async ({
  page,
  baseURL,
}) => {
  // five sign-ins on a shared two-core machine: a little over the usual minute
  test.setTimeout(100_000);
  const admin = await apiAs(baseURL!, 'admin');
  const me = async (u: string) => {
    const c = await apiAs(baseURL!, u);
    const r = await (await c.api.get('/api/me')).json();
    await c.api.dispose();
    return r.organization.id as number;
  };
  const county = await me('county1.union');
  const town1 = await me('town1.union');
  const form = await admin.api.post('/api/stats/forms', {
    headers: { 'x-csrf-token': admin.csrf },
    data: {
      code: `E2E-${Date.now() % 100000}`,
      name: '浏览器测试表',
      periodType: 'year',
      orgTypes: ['union'],
      orgLevels: ['township'],
      window: { openDays: -366, dueDays: 30, graceDays: 0, lockDays: 730 },
      definition: {
        cells: [
          { code: 'A1', label: '会员', type: 'integer', required: true },
          { code: 'A2', label: '新入会', type: 'integer', required: true },
        ],
        rules: [
          { code: 'E1', label: '新入会不能多于会员', expr: 'A2 <= A1', severity: 'error' },
          { code: 'W1', label: '会员少于10人', expr: 'A1 >= 10', severity: 'warning' },
        ],
      },
    },
  });
  expect(form.status()).toBe(201);
  const formId = (await form.json()).id as number;
  const children = (
    await (await admin.api.get('/api/orgs', { params: { parentId: county, pageSize: 50 } })).json()
  ).items as { id: number; level: string }[];
  const town2 = children.find((o) => o.id !== town1 && o.level === 'township')!.id;
  // the second township fills through the API (as the administrator on its behalf)
  const q = (org: number) => `period=${PERIOD}&orgId=${org}`;
  const s2 = await admin.api.put(`/api/stats/forms/${formId}/report?${q(town2)}`, {
    headers: { 'x-csrf-token': admin.csrf },
    data: { values: { A1: 40, A2: 4 }, version: 0 },
  });
  expect(s2.status()).toBe(200);
  const sub2 = await admin.api.post(`/api/stats/forms/${formId}/report/submit?${q(town2)}`, {
    headers: { 'x-csrf-token': admin.csrf },
    data: { version: (await s2.json()).version },
  });
  expect(sub2.status()).toBe(200);

  // the first township fills in the browser: the error blocks, the warning is explained
  await login(page, 'town1.union');
  await page.goto(`/stats/forms/${formId}/report?${q(town1)}`);
  await fill(page, { A1: 5, A2: 6 });
  await page.getByTestId('report-save').click();
  await expect(page.locator('.ant-alert-error')).toContainText('新入会不能多于会员');
  await page.getByTestId('report-submit').click();
  await expect(page.getByTestId('report-status')).toHaveText('草稿');
  await fill(page, { A2: 2 });
  await page.getByTestId('report-save').click();
  // the saved report no longer breaks the error rule; the warning waits for its explanation
  await expect(page.locator('.ant-alert-error')).toHaveCount(0);
  await expect(page.getByTestId('explain-W1')).toBeVisible();
  await page.getByTestId('explain-W1').fill('本乡镇新建工会，会员较少');
  await page.getByTestId('report-submit').click();
  await expect(page.getByTestId('report-status')).toHaveText('已提交');

  // the county returns it with a reason on a cell
  await page.context().clearCookies();
  await login(page, 'county1.union');
  await page.goto(`/stats/forms/${formId}/report?${q(town1)}`);
  await page.getByTestId('reason-A1').fill('会员数与会员库不符');
  await page.getByTestId('review-return').click();
  await expect(page.getByTestId('report-status')).toHaveText('已退回');

  // corrected and resubmitted
  await page.context().clearCookies();
  await login(page, 'town1.union');
  await page.goto(`/stats/forms/${formId}/report?${q(town1)}`);
  await expect(page.getByTestId('returned-A1')).toHaveText('会员数与会员库不符');
  await fill(page, { A1: 12 });
  await page.getByTestId('report-save').click();
  await expect(page.getByTestId('explain-W1')).toHaveCount(0);
  await page.getByTestId('report-submit').click();
  await expect(page.getByTestId('report-status')).toHaveText('已提交');

  // approved by the county
  await page.context().clearCookies();
  await login(page, 'county1.union');
  for (const org of [town1, town2]) {
    await page.goto(`/stats/forms/${formId}/report?${q(org)}`);
    await page.getByTestId('review-approve').click();
    await expect(page.getByTestId('report-status')).toHaveText('已审核');
  }

  // the city sees the 汇总 and the completion tree, and the Excel has the same totals
  await page.context().clearCookies();
  await login(page, 'admin');
  await page.goto('/stats');
  await page.getByTestId('stats-form').click();
  await page.getByTitle(/浏览器测试表/).click();
  await page.getByTestId('stats-period').fill(PERIOD);
  await page.getByTestId('stats-load').click();
  await expect(page.getByTestId('stats-counts')).toContainText('已审核 2');
  await expect(page.getByTestId(`completion-${town1}`)).toContainText('已审核');
  const summary = await (
    await admin.api.get(
      `/api/stats/forms/${formId}/summary?period=${PERIOD}&orgId=${(await (await admin.api.get('/api/me')).json()).organization.id}`,
    )
  ).json();
  expect(summary.cells).toEqual({ A1: 52, A2: 6 });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('stats-export').click(),
  ]);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const last = ws.getRow(ws.rowCount);
  expect(last.getCell(1).value).toBe('合计');
  expect([last.getCell(2).value, last.getCell(3).value]).toEqual([52, 6]);
  await admin.api.dispose();
});

test('a scheme with a computed 满意率 and a veto: the vetoed unit is ungraded, explained, the notice exported', async ({
  page,
  baseURL,
}) => {
  const county = await apiAs(baseURL!, 'county1.union');
  const scheme = await county.api.post('/api/assessments/schemes', {
    headers: { 'x-csrf-token': county.csrf },
    data: {
      name: `浏览器测试考核${Date.now() % 100000}`,
      periodType: 'year',
      orgTypes: ['union'],
      orgLevels: ['township'],
      definition: {
        groups: [{ code: 'G1', name: '维权服务', weight: 100 }],
        items: [
          {
            code: 'S1',
            group: 'G1',
            name: '满意率',
            kind: 'computed',
            weight: 100,
            indicator: 'appeals.satisfaction_rate',
            curve: { zero: 60, full: 100 },
          },
        ],
        vetoes: [{ code: 'V1', name: '弄虚作假', indicator: null }],
      },
    },
  });
  expect(scheme.status()).toBe(201);
  const schemeId = (await scheme.json()).id as number;
  const period = String(new Date().getFullYear());
  const run = await county.api.post(`/api/assessments/schemes/${schemeId}/runs`, {
    headers: { 'x-csrf-token': county.csrf },
    data: { period },
  });
  expect(run.status()).toBe(200);
  const runId = (await run.json()).id as number;
  const results = (
    await (await county.api.get(`/api/assessments/results?schemeId=${schemeId}&period=${period}`)).json()
  ).items as { orgId: number; orgName: string }[];
  const target = results[0]!;
  const unit = await (await county.api.get(`/api/assessments/runs/${runId}/units/${target.orgId}`)).json();
  const veto = await county.api.put(`/api/assessments/runs/${runId}/scores/${target.orgId}`, {
    headers: { 'x-csrf-token': county.csrf },
    data: { kind: 'review', scores: { V1: { score: 1, reason: '会员数据造假' } }, version: unit.version },
  });
  expect(veto.status()).toBe(200);

  await login(page, 'county1.union');
  await page.goto('/assessments');
  await page.getByTestId('assess-scheme').click();
  await page.getByTitle(/浏览器测试考核/).click();
  await page.getByTestId('assess-period').fill(period);
  await page.getByTestId('assess-load').click();
  const row = page.getByRole('row', { name: new RegExp(target.orgName) });
  await expect(row).toContainText('一票否决');
  await row.click();
  await expect(page.getByTestId('veto-V1')).toHaveText('触发');
  await expect(page.getByTestId('item-S1')).toContainText('满意及基本满意件数');
  const shown = await (await county.api.get(`/api/assessments/runs/${runId}/units/${target.orgId}`)).json();
  for (const r of shown.items[0].records.slice(0, 3))
    await expect(page.getByTestId('item-S1')).toContainText(r.title);
  await page.keyboard.press('Escape');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('assess-docx').click(),
  ]);
  const bytes = await readFile((await download.path())!);
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
  await county.api.dispose();
});
