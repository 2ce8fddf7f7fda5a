import { describe, expect, it } from 'vitest';
import { type AppealStatus, STATUS_LIST } from '../../../src/shared/appeals/constants.js';
import {
  ACTION_LIST,
  type AppealAction,
  type Attempt,
  availableActions,
  decide,
  TRANSITIONS,
} from '../../../src/shared/appeals/machine.js';
import { ROLE_APPEAL_PERMS } from './roles.js';

/**
 * The lifecycle written out by hand, independently of the table in machine.ts:
 * who may take each action, from which statuses, to which status.
 */
const STAFF_ROLES = Object.keys(ROLE_APPEAL_PERMS);
const handle = ['admin', 'org_admin', 'staff'];
const dispatch = ['admin', 'org_admin', 'hotline'];
const supervise = ['admin', 'supervisor'];
const intake = ['admin', 'hotline'];
const EXPECTED: Record<AppealAction, { who: string[]; from: AppealStatus[]; to: AppealStatus | null }> = {
  dispatch: { who: dispatch, from: ['pending_dispatch'], to: 'dispatched' },
  accept: { who: handle, from: ['dispatched'], to: 'accepted' },
  return: { who: handle, from: ['dispatched', 'accepted'], to: 'pending_dispatch' },
  start: { who: handle, from: ['accepted'], to: 'handling' },
  note: { who: handle, from: ['accepted', 'handling', 'suspended'], to: null },
  assist: { who: handle, from: ['accepted', 'handling'], to: null },
  assist_reply: { who: handle, from: ['accepted', 'handling', 'suspended'], to: null },
  transfer: { who: dispatch, from: ['dispatched', 'accepted', 'handling'], to: 'dispatched' },
  extend_request: { who: handle, from: ['accepted', 'handling'], to: null },
  extend_approve: { who: supervise, from: ['accepted', 'handling', 'suspended'], to: null },
  extend_reject: { who: supervise, from: ['accepted', 'handling', 'suspended'], to: null },
  suspend: { who: handle, from: ['handling'], to: 'suspended' },
  resume: { who: handle, from: ['suspended'], to: 'handling' },
  reply: { who: handle, from: ['handling'], to: 'replied' },
  visit: { who: intake, from: ['replied'], to: 'visited' },
  rate: { who: ['submitter'], from: ['replied'], to: 'visited' },
  close: { who: dispatch, from: ['visited'], to: 'closed' },
  reopen: { who: supervise, from: ['visited'], to: 'handling' },
  supervise: {
    who: supervise,
    from: ['pending_dispatch', 'dispatched', 'accepted', 'handling', 'suspended'],
    to: null,
  },
  auto_urge: {
    who: ['system'],
    from: ['pending_dispatch', 'dispatched', 'accepted', 'handling', 'suspended'],
    to: null,
  },
  merge: { who: dispatch, from: ['pending_dispatch', 'dispatched', 'accepted', 'handling'], to: 'merged' },
};

const attempts: [string, Attempt][] = [
  ...STAFF_ROLES.map((r): [string, Attempt] => [
    r,
    { kind: 'staff', permissions: new Set(ROLE_APPEAL_PERMS[r]) },
  ]),
  ['submitter', { kind: 'submitter' }],
  ['system', { kind: 'system' }],
];

describe('appeal state machine: every action × status × role', () => {
  it('covers every action', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTION_LIST].sort());
    expect(TRANSITIONS).toHaveLength(ACTION_LIST.length);
  });

  for (const action of ACTION_LIST) {
    describe(action, () => {
      for (const [role, who] of attempts) {
        it(`as ${role}`, () => {
          const e = EXPECTED[action];
          for (const status of STATUS_LIST) {
            const d = decide(action, status, who);
            if (!e.who.includes(role)) expect(d, `${status}`).toEqual({ ok: false, reason: 'forbidden' });
            else if (!e.from.includes(status)) expect(d, `${status}`).toEqual({ ok: false, reason: 'state' });
            else expect(d, `${status}`).toEqual({ ok: true, to: e.to });
          }
        });
      }
    });
  }

  it('has no way out of closed or merged', () => {
    for (const action of ACTION_LIST)
      for (const [, who] of attempts)
        for (const s of ['closed', 'merged'] as const) expect(decide(action, s, who).ok).toBe(false);
  });

  it('reaches every status from intake', () => {
    const seen = new Set<AppealStatus>(['pending_dispatch', 'dispatched']);
    for (let changed = true; changed; ) {
      changed = false;
      for (const t of TRANSITIONS)
        if (t.to && !seen.has(t.to) && t.from.some((f) => seen.has(f))) {
          seen.add(t.to);
          changed = true;
        }
    }
    expect([...seen].sort()).toEqual([...STATUS_LIST].sort());
  });

  it('lists the buttons a role has on an appeal', () => {
    expect(availableActions('dispatched', new Set(ROLE_APPEAL_PERMS.staff))).toEqual(['accept', 'return']);
    expect(availableActions('handling', new Set(ROLE_APPEAL_PERMS.supervisor))).toEqual([
      'extend_approve',
      'extend_reject',
      'supervise',
    ]);
  });
});
