import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import './foundation.authz.js';
import './people/authz.js';
import './appeals/authz.js';
import './tasks/authz.js';
import './onboarding/authz.js';
import './stats/authz.js';
import './volunteers/authz.js';
import './assistance/authz.js';
import type { Client } from './support/client.js';
import { buildFixture, type MatrixFixture, matrixEndpoints } from './support/matrix.js';
import { createTestSystem, type TestSystem } from './support/system.js';

let sys: TestSystem;
let fx: MatrixFixture & { actor: Client; noPermission: Client };

beforeAll(async () => {
  sys = await createTestSystem();
  fx = await buildFixture(sys);
});
afterAll(() => sys?.close());

describe('authorization matrix', () => {
  for (const e of matrixEndpoints()) {
    describe(`${e.module}: ${e.name}`, () => {
      it('own organization → allowed', async () => {
        const r = await e.request(fx, 'own');
        const res = await fx.actor.request(r.method, r.url, r.body);
        expect(res.status, JSON.stringify(res.body)).toBe(e.ok);
      });
      it('child organization → allowed', async () => {
        const r = await e.request(fx, 'child');
        const res = await fx.actor.request(r.method, r.url, r.body);
        expect(res.status, JSON.stringify(res.body)).toBe(e.ok);
      });
      it('sibling organization → 404 (not 403: existence is not revealed)', async () => {
        const r = await e.request(fx, 'sibling');
        const res = await fx.actor.request(r.method, r.url, r.body);
        expect(res.status, JSON.stringify(res.body)).toBe(404);
        expect(res.body.error.code).toBe('NOT_FOUND');
      });
      it(`same organization without ${e.permission} → 403`, async () => {
        const r = await e.request(fx, 'own');
        const res = await fx.noPermission.request(r.method, r.url, r.body);
        expect(res.status, JSON.stringify(res.body)).toBe(403);
      });
    });
  }
});
