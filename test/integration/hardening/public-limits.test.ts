import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../../../src/server/platform/db/index.js';
import { type AppealWorld, appealWorld, submitPublic, uniquePhone } from '../appeals/helpers.js';
import { createTestSystem, type TestSystem } from '../support/system.js';

/**
 * Issue 12, items 4 and 5: wrong phone digits are limited per tracking code, and public
 * appeals (each answered by an SMS) per phone number, whatever the addresses they come
 * from, in the database (every process shares the counters).
 */
let sys: TestSystem;
let w: AppealWorld;
const logLines: string[] = [];
beforeAll(async () => {
  sys = await createTestSystem({
    env: { LOG_LEVEL: 'info' },
    logStream: new Writable({
      write(chunk, _enc, done) {
        logLines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    }),
  });
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

let n = 0;
const appeal = (phone: string, from: string, extra: Record<string, unknown> = {}) =>
  sys.app.inject({
    method: 'POST',
    url: '/api/public/appeals',
    remoteAddress: from,
    payload: {
      content: `小区门口的工厂夜间噪音扰民，请求处理（第${++n}次）`,
      group: 'worker',
      categoryCode: 'LABOR_WAGE',
      regionCode: w.town1Region,
      phone,
      ...extra,
    },
  });

/** The code the log sender wrote for a number (shown outside production only). */
async function codeSentTo(phone: string): Promise<string> {
  const masked = `${phone.slice(0, 3)}********`;
  for (let i = 0; i < 100; i++) {
    const line = logLines.filter((l) => l.includes('验证码') && l.includes(masked)).at(-1);
    const m = line?.match(/验证码 (\d{6})/);
    if (m) return m[1]!;
    await sys.deps.jobs.relay();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no code sent');
}

describe('public appeals per phone number (SMS bombing)', () => {
  it('gives a number 3 appeals, then asks for an SMS code; verified it gets 20 a day; every SMS counted', async () => {
    const phone = uniquePhone();
    const first: number[] = [];
    for (let i = 0; i < 3; i++) first.push((await appeal(phone, `192.0.2.${i}`)).statusCode);
    expect(first).toEqual([201, 201, 201]);
    // the fourth, from a fifth address: refused, nothing written, no SMS
    const fourth = await appeal(phone, '192.0.2.4');
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json().error.details.reason).toBe('phone_verification_required');
    const hash = sys.deps.pii.hash(phone);
    const sms = async () =>
      (
        await sys.db.query<{ n: number }>(sql`SELECT count(*)::int AS n FROM outbox o JOIN appeals a
          ON a.id = (o.payload->>'appealId')::bigint WHERE o.topic = 'appeal.message' AND a.phone_hash = ${hash}`)
      )[0]!.n;
    expect(await sms()).toBe(3);
    // a double submit of an earlier one is still answered with that appeal
    n -= 2;
    const again = await appeal(phone, '192.0.2.5');
    n += 1;
    expect(again.statusCode).toBe(200);
    expect(again.json().duplicate).toBe(true);

    // the code: one a minute; a wrong one refused
    const asked = await sys.app.inject({
      method: 'POST',
      url: '/api/public/phone-codes',
      payload: { phone },
    });
    expect(asked.statusCode).toBe(202);
    const twice = await sys.app.inject({
      method: 'POST',
      url: '/api/public/phone-codes',
      payload: { phone },
    });
    expect(twice.statusCode).toBe(429);
    const code = await codeSentTo(phone);
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const wrong = await appeal(phone, '192.0.2.6', { phoneCode: wrongCode });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details.field).toBe('phoneCode');
    const verified = await appeal(phone, '192.0.2.7', { phoneCode: code });
    expect(verified.statusCode).toBe(201);
    // spent: the same code again is refused
    expect((await appeal(phone, '192.0.2.8', { phoneCode: code })).statusCode).toBe(400);
    // verified: up to 20 in the day, then refused outright
    const more: number[] = [];
    for (let i = 0; i < 16; i++) more.push((await appeal(phone, `192.0.2.${10 + i}`)).statusCode);
    expect(more.every((c) => c === 201)).toBe(true);
    const full = await appeal(phone, '192.0.2.99');
    expect(full.statusCode).toBe(429);
    expect(full.json().error.details.reason).toBe('phone_daily_limit');
    expect(await sms()).toBe(20);
    // the hotline seat takes the caller's appeal whatever the count
    const hotline = await sys.login('hotline');
    const seat = await hotline.post('/api/appeals', {
      content: '来电反映工厂夜间噪音扰民（坐席受理）',
      group: 'worker',
      categoryCode: 'LABOR_WAGE',
      regionCode: w.town1Region,
      phone,
      channel: 'hotline',
      priority: 'normal',
    });
    expect(seat.status, JSON.stringify(seat.body)).toBe(201);
    // a day later the allowance starts again
    sys.deps.clock.set(new Date(Date.now() + 25 * 3600_000));
    try {
      expect((await appeal(phone, '192.0.2.100')).statusCode).toBe(201);
    } finally {
      sys.deps.clock.reset();
    }
  });

  it('sends codes only to mobile numbers, at most 5 a day', async () => {
    expect(
      (
        await sys.app.inject({
          method: 'POST',
          url: '/api/public/phone-codes',
          payload: { phone: '010-12345678' },
        })
      ).statusCode,
    ).toBe(400);
    const phone = uniquePhone();
    const t0 = Date.now();
    const codes: number[] = [];
    try {
      for (let i = 0; i < 6; i++) {
        sys.deps.clock.set(new Date(t0 + i * 61_000));
        codes.push(
          (await sys.app.inject({ method: 'POST', url: '/api/public/phone-codes', payload: { phone } }))
            .statusCode,
        );
      }
    } finally {
      sys.deps.clock.reset();
    }
    expect(codes).toEqual([202, 202, 202, 202, 202, 429]);
  });
});
