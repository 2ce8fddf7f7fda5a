import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/server/platform/db/index.js';
import { createTestSystem, type TestSystem } from './support/system.js';

/**
 * 导出 of the users list and the two logs: what the list shows under the same filters and
 * within the caller's data scope, as CSV for Excel, phones masked, each export audited.
 */
let sys: TestSystem;

beforeAll(async () => {
  sys = await createTestSystem();
});
afterAll(() => sys?.close());

/** The CSV's rows as arrays of cells (the exports quote no cell these tests look at). */
const rowsOf = (csv: string) =>
  csv
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
    .map((l) => l.split(','));

describe('exports', () => {
  it('exports the users in scope under the list filters, phones masked, and audits it', async () => {
    const admin = await sys.login('admin');
    const all = await admin.get<string>('/api/users/export');
    expect(all.status).toBe(200);
    expect(all.headers['content-type']).toContain('text/csv');
    expect(String(all.headers['content-disposition'])).toContain(encodeURIComponent('用户.csv'));
    expect(all.body.startsWith('\uFEFF用户名,姓名,所属组织,手机号码,角色,状态,锁定,最后登录\r\n')).toBe(true);
    const names = rowsOf(all.body).map((r) => r[0]);
    expect(names).toEqual(expect.arrayContaining(['admin', 'county1.union', 'county2.union', 'town1.union']));
    expect(all.body).not.toMatch(/1380000000\d/); // no full phone number
    expect(rowsOf(all.body).find((r) => r[0] === 'admin')![3]).toBe('138****0001');

    const filtered = await admin.get<string>(`/api/users/export?q=${encodeURIComponent('county')}`);
    expect(
      rowsOf(filtered.body)
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['county1.union', 'county2.union']);

    const county = await sys.login('county1.union');
    const scoped = rowsOf((await county.get<string>('/api/users/export')).body).map((r) => r[0]);
    expect(scoped).toEqual(expect.arrayContaining(['county1.union', 'town1.union']));
    expect(scoped).not.toContain('county2.union');
    expect(scoped).not.toContain('admin');

    const events = await sys.db.query<{
      actor_name: string;
      after: { rows: number; filters: { q?: string } };
    }>(sql`SELECT actor_name, after FROM audit_events WHERE action = 'user.export' ORDER BY id`);
    expect(events.map((e) => e.actor_name)).toEqual(['admin', 'admin', 'county1.union']);
    expect(events[1]!.after).toMatchObject({ rows: 2, filters: { q: 'county' } });
  });

  it('exports the operation log and the login log with their filters, newest first', async () => {
    const admin = await sys.login('admin');
    const ops = await admin.get<string>('/api/audit-events/export?action=user.');
    expect(ops.status).toBe(200);
    const rows = rowsOf(ops.body);
    expect(rows[0]).toEqual(['时间', '操作人', '操作', '对象类型', '对象编号', 'IP', '请求号']);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.slice(1).every((r) => r[2]!.startsWith('user.'))).toBe(true);
    expect(rows[1]![0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    const logins = rowsOf((await admin.get<string>('/api/login-log/export?username=county1')).body);
    expect(logins[0]).toEqual(['时间', '用户名', '结果', '原因', 'IP', '浏览器']);
    expect(logins.slice(1).length).toBeGreaterThan(0);
    expect(logins.slice(1).every((r) => r[1] === 'county1.union' && r[2] === '成功')).toBe(true);
    const audited = await sys.db.query<{ action: string }>(
      sql`SELECT action FROM audit_events WHERE action IN ('audit.export', 'loginlog.export') ORDER BY id`,
    );
    expect(audited.map((a) => a.action)).toEqual(['audit.export', 'loginlog.export']);
  });

  it('refuses the exports without the permission, and bad filters with a clear error', async () => {
    const member = await sys.login('member');
    for (const url of ['/api/users/export', '/api/audit-events/export', '/api/login-log/export'])
      expect((await member.get(url)).status).toBe(403);
    const admin = await sys.login('admin');
    const bad = await admin.get<{ message: string }>('/api/audit-events/export?from=yesterday');
    expect(bad.status).toBe(400);
    expect((await admin.get('/api/users/export?status=gone')).status).toBe(400);
    expect((await sys.anonymous().get('/api/users/export')).status).toBe(401);
  });
});
