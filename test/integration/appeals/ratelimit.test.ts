import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestSystem, type TestSystem } from '../support/system.js';

let sys: TestSystem;

beforeAll(async () => {
  sys = await createTestSystem({ seed: false, env: { NIUDAI_RATE_LIMIT: '3' } });
});
afterAll(() => sys?.close());

describe('public endpoints are rate-limited per IP', () => {
  it('answers 429 after the limit, for tracking lookups too', async () => {
    const client = sys.anonymous();
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push((await client.get('/api/public/appeals/23456789AB?phone4=1234')).status);
    expect(codes).toEqual([404, 404, 404, 429]);
    const limited = await client.get('/api/public/appeals/23456789AB?phone4=1234');
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect(limited.body.error.message).toBe('请求过于频繁，请稍后再试');
  });

  it('serves the default configuration from the migration (no demo seed needed)', async () => {
    const r = await sys.anonymous().get('/api/public/appeal-categories');
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeGreaterThanOrEqual(10);
  });
});
