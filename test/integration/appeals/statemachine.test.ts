import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppealStatus } from '../../../src/shared/appeals/constants.js';
import { TRANSITIONS } from '../../../src/shared/appeals/machine.js';
import type { StaffAction } from '../../../src/shared/contracts/appeals.js';
import { ROLE_APPEAL_PERMS } from '../../unit/appeals/roles.js';
import type { Client } from '../support/client.js';
import { createTestSystem, type TestSystem } from '../support/system.js';
import { type AppealWorld, act, appealWorld, phone4, submitPublic } from './helpers.js';

/**
 * Every staff action × every seeded role over HTTP, on an appeal in a status the action
 * starts from, held by the role's own organization where the role is scoped: allowed → 200
 * (204 when the appeal leaves the caller's scope), no permission → 403, outside scope → 404.
 * Then every action from a status it does not start from → 409.
 */
let sys: TestSystem;
let w: AppealWorld;
let admin: Client;
const users: Record<string, Client> = {};
const USERS: [role: string, username: string][] = [
  ['admin', 'admin'],
  ['org_admin', 'county1.union'],
  ['staff', 'town1.union'],
  ['hotline', 'hotline'],
  ['supervisor', 'supervisor'],
  ['self', 'member'],
];

beforeAll(async () => {
  sys = await createTestSystem();
  w = await appealWorld(sys);
  admin = await sys.login('admin');
  for (const [, u] of USERS) users[u] = await sys.login(u);
}, 300_000);
afterAll(() => sys?.close());

/** The organization a role's appeal sits in, and whether the role sees an organization. */
const homeOf = (username: string) =>
  username === 'county1.union'
    ? w.county1Union
    : ['town1.union', 'member'].includes(username)
      ? w.town1Union
      : w.county1Union;
const sees = (username: string, orgId: number) => {
  if (['admin', 'hotline', 'supervisor'].includes(username)) return true;
  if (username === 'county1.union') return orgId === w.county1Union || orgId === w.town1Union;
  return orgId === w.town1Union;
};

/** An appeal brought to `status` by the admin, held by `orgId` (pending ones sit with the center). */
async function bring(status: AppealStatus, orgId: number, opts: { extension?: boolean } = {}) {
  if (status === 'pending_dispatch') {
    const s = await submitPublic(
      sys,
      { group: 'other', categoryCode: 'CONSULT', content: `咨询事项${Math.random()}` },
      w,
    );
    return { ...s, orgId: w.center };
  }
  const s = await submitPublic(sys, {}, w);
  if (orgId !== w.county1Union) await act(admin, s.id, 'transfer', { orgId, reason: '测试转办' });
  const steps: [AppealStatus, string, Record<string, unknown>][] = [
    ['accepted', 'accept', {}],
    ['handling', 'start', {}],
    ['replied', 'reply', { reply: '测试答复内容' }],
    ['visited', 'visit', { satisfaction: 'unsatisfied' }],
    ['closed', 'close', {}],
  ];
  if (status !== 'dispatched') {
    for (const [reached, action, body] of steps) {
      if (status === 'suspended' && reached === 'replied') {
        await act(admin, s.id, 'suspend', { reason: '等待仲裁' });
        break;
      }
      await act(admin, s.id, action, body);
      if (reached === status) break;
    }
  }
  if (opts.extension) await act(admin, s.id, 'extend-request', { days: 3, reason: '需要延期' });
  return { ...s, orgId };
}

async function bodyFor(action: StaffAction, a: { id: number; orgId: number }) {
  switch (action) {
    case 'dispatch':
      return { orgId: w.county1Union };
    case 'transfer':
      return { orgId: a.orgId === w.county1Union ? w.town1Union : w.county1Union, reason: '转办测试' };
    case 'return':
    case 'extend_reject':
    case 'suspend':
    case 'reopen':
      return { reason: '测试原因' };
    case 'note':
      return { note: '办理记录' };
    case 'assist':
      return { orgIds: [w.county1Women], note: '请协办' };
    case 'extend_request':
      return { days: 3, reason: '需要延期' };
    case 'reply':
      return { reply: '答复内容' };
    case 'visit':
      return { satisfaction: 'unsatisfied' };
    case 'supervise':
      return { level: 'urge', note: '请尽快办理' };
    case 'merge': {
      const other = await bring('dispatched', a.orgId === w.center ? w.county1Union : a.orgId);
      return { intoId: other.id };
    }
    default:
      return {};
  }
}

const staffTransitions = TRANSITIONS.filter((t) => t.actor === 'staff' && t.action !== 'assist_reply');

describe('every staff action × every role', () => {
  for (const t of staffTransitions) {
    const action = t.action as StaffAction;
    for (const [role, username] of USERS) {
      it(`${action} as ${role} (${username})`, async () => {
        const from = t.from[0]!;
        const a = await bring(from, homeOf(username), {
          extension: action === 'extend_approve' || action === 'extend_reject',
        });
        const c = users[username]!;
        const version = (await admin.get(`/api/appeals/${a.id}`)).body.version;
        const res = await c.post(`/api/appeals/${a.id}/${action.replaceAll('_', '-')}`, {
          version,
          ...(await bodyFor(action, a)),
        });
        const permitted = ROLE_APPEAL_PERMS[role]!.includes(t.permission!);
        const expected = !sees(username, a.orgId) ? 404 : !permitted ? 403 : 200;
        if (expected === 200) {
          expect([200, 204], JSON.stringify(res.body)).toContain(res.status);
          const after = (await admin.get(`/api/appeals/${a.id}`)).body;
          expect(after.status).toBe(t.to ?? from);
          expect(after.version).toBeGreaterThan(version);
        } else {
          expect(res.status, JSON.stringify(res.body)).toBe(expected);
          const after = (await admin.get(`/api/appeals/${a.id}`)).body;
          expect(after.version, 'nothing changed').toBe(version);
        }
      });
    }
  }

  for (const [role, username] of USERS) {
    it(`assist_reply as ${role} (${username})`, async () => {
      // the part is asked of the role's organization; the appeal is held by another one
      const part = homeOf(username);
      const main = part === w.county1Union ? w.town1Union : w.county1Union;
      const a = await bring('handling', main);
      const cur = (await admin.get(`/api/appeals/${a.id}`)).body;
      const assistOrg =
        username === 'admin' || username === 'hotline' || username === 'supervisor' ? w.county1Women : part;
      const asked = await act(admin, a.id, 'assist', { orgIds: [assistOrg], note: '请协办' });
      void cur;
      const x = asked.assists[0];
      const res = await users[username]!.post(`/api/appeals/assists/${x.id}/reply`, {
        version: x.version,
        reply: '协办答复',
      });
      const permitted = ROLE_APPEAL_PERMS[role]!.includes('appeal:handle');
      const visible = ['admin', 'hotline', 'supervisor'].includes(username) || sees(username, assistOrg);
      expect(res.status, JSON.stringify(res.body)).toBe(!visible ? 404 : !permitted ? 403 : 200);
    });
  }
});

describe('every action from a status it does not start from → 409, nothing changes', () => {
  for (const t of staffTransitions) {
    it(t.action, async () => {
      const a = await bring('closed', w.county1Union);
      const version = (await admin.get(`/api/appeals/${a.id}`)).body.version;
      const res = await admin.post(`/api/appeals/${a.id}/${t.action.replaceAll('_', '-')}`, {
        version,
        ...(await bodyFor(t.action as StaffAction, a)),
      });
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.error.details.reason).toBe('state');
      expect((await admin.get(`/api/appeals/${a.id}`)).body.version).toBe(version);
    });
  }

  it('the submitter rates only a replied appeal', async () => {
    const a = await bring('handling', w.county1Union);
    const r = await sys.anonymous().post(`/api/public/appeals/${a.trackingCode}/rating`, {
      phone4: phone4(a.phone),
      satisfaction: 'satisfied',
    });
    expect(r.status).toBe(409);
  });

  it('a stale version → 409 before anything else', async () => {
    const a = await bring('dispatched', w.county1Union);
    const version = (await admin.get(`/api/appeals/${a.id}`)).body.version;
    const res = await admin.post(`/api/appeals/${a.id}/accept`, { version: version + 1 });
    expect(res.status).toBe(409);
    expect(res.body.error.details.reason).toBe('version');
  });
});
