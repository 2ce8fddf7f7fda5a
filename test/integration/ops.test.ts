import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../src/server/platform/db/index.js';
import { createTestSystem, type TestSystem } from './support/system.js';

let sys: TestSystem;
beforeAll(async () => {
  sys = await createTestSystem({ seed: false, env: { NIUDAI_METRICS_TOKEN: 'scrape-token-0123456789' } });
});
afterAll(() => sys?.close());

describe('health', () => {
  it('live answers without the database, ready checks the database and the migrations', async () => {
    expect((await sys.app.inject({ method: 'GET', url: '/api/health/live' })).statusCode).toBe(200);
    const ready = await sys.app.inject({ method: 'GET', url: '/api/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', engine: sys.engine });
  });

  it('ready answers 503 naming the migrations not applied', async () => {
    const [last] = await sys.db.query<{ name: string }>(
      sql`SELECT name FROM schema_migrations ORDER BY name DESC LIMIT 1`,
    );
    await sys.db.query(sql`DELETE FROM schema_migrations WHERE name = ${last!.name}`);
    try {
      const r = await sys.app.inject({ method: 'GET', url: '/api/health/ready' });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ reason: 'migrations', pending: [last!.name] });
    } finally {
      await sys.db.query(sql`INSERT INTO schema_migrations (name) VALUES (${last!.name})`);
    }
  });
});

describe('metrics', () => {
  it('refuses a scraper without the token', async () => {
    const r = await sys.app.inject({ method: 'GET', url: '/metrics' });
    expect(r.statusCode).toBe(403);
    const wrong = await sys.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrong.statusCode).toBe(403);
  });

  it('reports request latency by route, the outbox backlog and the job queue', async () => {
    for (let i = 0; i < 3; i++) await sys.app.inject({ method: 'GET', url: '/api/health/live' });
    await sys.db.query(
      sql`INSERT INTO outbox (topic, payload, created_at) VALUES ('probe', '{}', now() - interval '90 seconds')`,
    );
    const r = await sys.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: 'Bearer scrape-token-0123456789' },
    });
    expect(r.statusCode).toBe(200);
    const text = r.body;
    const count = text.match(
      /niudai_http_request_duration_seconds_count\{method="GET",route="\/api\/health\/live",status="200"\} (\d+)/,
    );
    expect(Number(count?.[1])).toBeGreaterThanOrEqual(3);
    expect(Number(text.match(/^niudai_outbox_pending (\d+)/m)?.[1])).toBeGreaterThanOrEqual(1);
    expect(Number(text.match(/^niudai_outbox_lag_seconds ([\d.]+)/m)?.[1])).toBeGreaterThanOrEqual(89);
    if (sys.engine === 'postgres') expect(text).toMatch(/niudai_db_pool_connections\{state="max"\} 5/);
  });
});
