import { describe, expect, it } from 'vitest';
import { CASE_STATUS_LIST } from '../../../src/shared/assistance/constants.js';
import {
  actionsFrom,
  CASE_ACTION_LIST,
  CASE_TRANSITIONS,
  decideCase,
} from '../../../src/shared/assistance/machine.js';
import {
  checkIncomeMonth,
  maskBankAccount,
  monthsBetween,
  parseBankAccount,
  trailingStreak,
  yuanToFen,
} from '../../../src/shared/assistance/rules.js';

const WRITE = new Set(['assist:write']);
const REVIEW = new Set(['assist:review']);
const BOTH = new Set(['assist:write', 'assist:review']);
const NONE = new Set<string>();

/** The expected table, written out independently of CASE_TRANSITIONS: action → [from, to, permission]. */
const EXPECTED: Record<string, [string, string, string][]> = {
  initial_review: [['applied', 'visiting', 'assist:write']],
  visit: [['visiting', 'reviewing', 'assist:write']],
  approve: [['reviewing', 'publicity', 'assist:review']],
  send_back: [['reviewing', 'visiting', 'assist:review']],
  reject: [
    ['applied', 'rejected', 'assist:review'],
    ['visiting', 'rejected', 'assist:review'],
    ['reviewing', 'rejected', 'assist:review'],
  ],
  objection: [['publicity', 'reviewing', 'assist:review']],
  archive: [['publicity', 'archived', 'assist:review']],
  convert: [['temporary', 'applied', 'assist:write']],
  close: [
    ['archived', 'closed', 'assist:review'],
    ['temporary', 'closed', 'assist:review'],
  ],
  relieve: [['archived', 'relieved', 'assist:review']],
};

describe('the archive state machine', () => {
  it('walks every action × status × permission set', () => {
    let checked = 0;
    for (const action of CASE_ACTION_LIST) {
      const rows = EXPECTED[action]!;
      for (const from of CASE_STATUS_LIST) {
        for (const perms of [WRITE, REVIEW, BOTH, NONE]) {
          const d = decideCase(action, from, perms);
          const row = rows.find((r) => r[0] === from);
          const allowed = perms.has(rows[0]![2]);
          if (!allowed) expect(d, `${action} ${from}`).toEqual({ ok: false, why: 'forbidden' });
          else if (!row) expect(d, `${action} ${from}`).toEqual({ ok: false, why: 'state' });
          else expect(d.ok && d.to, `${action} ${from}`).toBe(row[1]);
          checked++;
        }
      }
    }
    expect(checked).toBe(CASE_ACTION_LIST.length * CASE_STATUS_LIST.length * 4);
    expect(CASE_TRANSITIONS).toHaveLength(Object.values(EXPECTED).flat().length);
  });

  it('needs a reason where a step ends or sends back a record', () => {
    for (const a of ['send_back', 'reject', 'objection', 'close', 'relieve'] as const) {
      const t = CASE_TRANSITIONS.find((x) => x.action === a)!;
      const d = decideCase(a, t.from, BOTH);
      expect(d.ok && d.reason).toBe(true);
    }
    const d = decideCase('approve', 'reviewing', REVIEW);
    expect(d.ok && d.reason).toBe(false);
  });

  it('ends: closed, relieved and rejected records take no action', () => {
    for (const s of ['closed', 'relieved', 'rejected'] as const) expect(actionsFrom(s, BOTH)).toEqual([]);
    expect(actionsFrom('archived', WRITE)).toEqual([]);
    expect(actionsFrom('archived', REVIEW).sort()).toEqual(['close', 'relieve']);
  });
});

describe('money, months, bank accounts and the exit streak', () => {
  it('converts yuan to fen, refusing negatives and a third decimal', () => {
    expect(yuanToFen(1200.5)).toBe(120050);
    expect(yuanToFen(0.1 + 0.2)).toBe(30);
    expect(yuanToFen(-1)).toBeNull();
    expect(yuanToFen(1.234)).toBeNull();
    expect(yuanToFen(Number.NaN)).toBeNull();
  });

  it('takes income for past and current months only, within 36 months', () => {
    expect(checkIncomeMonth('2026-03', '2026-03-15').ok).toBe(true);
    expect(checkIncomeMonth('2026-04', '2026-03-31').ok).toBe(false);
    expect(checkIncomeMonth('2023-03', '2026-03-31').ok).toBe(true);
    expect(checkIncomeMonth('2023-02', '2026-03-31').ok).toBe(false);
    expect(checkIncomeMonth('2026-00', '2026-03-31').ok).toBe(false);
    expect(checkIncomeMonth('26-03', '2026-03-31').ok).toBe(false);
  });

  it('parses and masks bank accounts', () => {
    expect(parseBankAccount('6228 4801-2345 6789 012')).toEqual({ ok: true, value: '6228480123456789012' });
    expect(parseBankAccount('12345').ok).toBe(false);
    expect(parseBankAccount('6228a80123456789012').ok).toBe(false);
    expect(maskBankAccount('6228480123456789012')).toBe('**** **** 9012');
  });

  it('counts consecutive months met up to the latest month; a gap or a miss breaks it', () => {
    const m = (month: string, met: boolean) => ({ month, met });
    expect(trailingStreak([])).toBe(0);
    expect(trailingStreak([m('2026-01', true), m('2026-02', true), m('2026-03', true)])).toBe(3);
    expect(trailingStreak([m('2025-12', true), m('2026-01', true)])).toBe(2);
    expect(trailingStreak([m('2026-01', true), m('2026-03', true)])).toBe(1);
    expect(trailingStreak([m('2026-01', true), m('2026-02', true), m('2026-03', false)])).toBe(0);
    expect(trailingStreak([m('2026-03', true), m('2026-02', false), m('2026-01', true)])).toBe(1);
  });

  it('counts whole months between dates', () => {
    expect(monthsBetween('2025-03-15', '2026-03-15')).toBe(12);
    expect(monthsBetween('2025-03-16', '2026-03-15')).toBe(11);
    expect(monthsBetween('2026-03-16', '2026-03-15')).toBe(0);
  });
});
