import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppealWorld, appealWorld, submitPublic } from '../appeals/helpers.js';
import { createTestSystem, type TestSystem } from '../support/system.js';

/**
 * Issue 12, item 4: wrong phone digits are limited per tracking code, whatever the
 * addresses they come from, in the database (every process shares the counters).
 */
let sys: TestSystem;
let w: AppealWorld;
beforeAll(async () => {
  sys = await createTestSystem();
  w = await appealWorld(sys);
});
afterAll(() => sys?.close());

const lookup = (code: string, phone4: string, from: string) =>
  sys.app.inject({ method: 'GET', url: `/api/public/appeals/${code}?phone4=${phone4}`, remoteAddress: from });

describe('public lookup attempts per tracking code', () => {
  it('refuses every attempt on a code after 10 wrong ones from six addresses, the right one too, until the window ends', async () => {
    const a = await submitPublic(sys, {}, w);
    const other = await submitPublic(sys, {}, w);
    const right = a.phone.slice(-4);
    const wrong = (i: number) => String((Number(right) + 1 + i) % 10000).padStart(4, '0');
    const codes: number[] = [];
    for (let i = 0; i < 14; i++)
      codes.push((await lookup(a.trackingCode, wrong(i), `198.51.100.${i % 6}`)).statusCode);
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(codes.slice(10)).toEqual([429, 429, 429, 429]);
    const seventh = await lookup(a.trackingCode, right, '198.51.100.77');
    expect(seventh.statusCode).toBe(429);
    expect(seventh.json().error.code).toBe('RATE_LIMITED');
    // the rating and the upload go through the same check
    const rate = await sys.app.inject({
      method: 'POST',
      url: `/api/public/appeals/${a.trackingCode}/rating`,
      payload: { phone4: right, satisfaction: 'satisfied' },
    });
    expect(rate.statusCode).toBe(429);
    // another code is not affected
    expect((await lookup(other.trackingCode, other.phone.slice(-4), '198.51.100.1')).statusCode).toBe(200);
    // the same code written differently (lower case, hyphen) is the same code
    const lower = `${a.trackingCode.slice(0, 5)}-${a.trackingCode.slice(5)}`.toLowerCase();
    expect((await lookup(lower, right, '198.51.100.9')).statusCode).toBe(429);
    // after the 15 minutes the right digits open it again
    const t0 = Date.now();
    sys.deps.clock.set(new Date(t0 + 16 * 60_000));
    expect((await lookup(a.trackingCode, right, '198.51.100.77')).statusCode).toBe(200);

    // 30 wrong in a day close it for the day, even spread over the 15-minute windows
    for (let round = 1; round <= 2; round++) {
      for (let i = 0; i < 10; i++)
        expect((await lookup(a.trackingCode, wrong(i), `203.0.113.${i}`)).statusCode).toBe(404);
      sys.deps.clock.set(new Date(t0 + (16 + 16 * round) * 60_000));
    }
    expect((await lookup(a.trackingCode, right, '203.0.113.200')).statusCode).toBe(429);
    sys.deps.clock.set(new Date(t0 + 25 * 3600_000));
    expect((await lookup(a.trackingCode, right, '203.0.113.200')).statusCode).toBe(200);
    sys.deps.clock.reset();
  });
});
