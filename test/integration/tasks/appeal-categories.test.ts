import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';

/**
 * GET /api/appeal-config/categories: the flat category list of the configuration screen
 * (disabled categories and their order included, which the public tree leaves out).
 */
let sys: TestSystem;
let admin: Client;

beforeAll(async () => {
  sys = await createTestSystem();
  admin = await sys.login('admin');
});
afterAll(() => sys?.close());

describe('the category list of the configuration screen', () => {
  it('lists disabled categories with their order; needs appeal:config', async () => {
    const put = await admin.request('PUT', '/api/appeal-config/categories/LABOR_TEST_OFF', {
      parentCode: 'LABOR',
      name: '测试停用分类',
      kind: 'help',
      sort: 77,
      active: false,
      version: null,
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const r = await admin.get('/api/appeal-config/categories');
    expect(r.status).toBe(200);
    const off = r.body.items.find((c: { code: string }) => c.code === 'LABOR_TEST_OFF');
    expect(off).toEqual({
      code: 'LABOR_TEST_OFF',
      parentCode: 'LABOR',
      name: '测试停用分类',
      kind: 'help',
      sort: 77,
      active: false,
      version: 1,
    });
    // the tree the forms use leaves it out
    const tree = (await admin.get('/api/appeal-config')).body.categories;
    const labor = tree.find((c: { code: string }) => c.code === 'LABOR');
    expect(labor.children.map((c: { code: string }) => c.code)).not.toContain('LABOR_TEST_OFF');
    // enabled again, it is back
    await admin.request('PUT', '/api/appeal-config/categories/LABOR_TEST_OFF', {
      parentCode: 'LABOR',
      name: '测试停用分类',
      kind: 'help',
      sort: 77,
      active: true,
      version: 1,
    });
    const tree2 = (await admin.get('/api/appeal-config')).body.categories;
    expect(
      tree2.find((c: { code: string }) => c.code === 'LABOR').children.map((c: { code: string }) => c.code),
    ).toContain('LABOR_TEST_OFF');

    for (const u of ['county1.union', 'supervisor', 'hotline'])
      expect((await (await sys.login(u)).get('/api/appeal-config/categories')).status).toBe(403);
  });
});
