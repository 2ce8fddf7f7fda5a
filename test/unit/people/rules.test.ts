import { describe, expect, it } from 'vitest';
import { IMPORT_HEADERS, mapHeader, parseImportRow } from '../../../src/shared/people/importColumns.js';
import {
  agedOut,
  ageOn,
  bornOnOrBefore,
  eligibility,
  MEMBERSHIP_RULES,
} from '../../../src/shared/people/rules.js';
import {
  actionsFor,
  isFinal,
  mayTake,
  TRANSFER_ACTIONS,
  TRANSFER_SIDES,
  TRANSFER_STATUS,
  TRANSFER_TRANSITIONS,
  type TransferAction,
  type TransferSide,
  type TransferStatus,
  transitionOf,
} from '../../../src/shared/people/transfers.js';
import { makeIdNumber } from '../../../src/shared/rules/idNumber.js';

const person = (birthDate: string, groups: string[] = []) => ({ birthDate, gender: 'M' as const, groups });

describe('membership rules per organization type', () => {
  it('counts full years, on birthdays and 29 February', () => {
    expect(ageOn('2000-05-10', '2028-05-09')).toBe(27);
    expect(ageOn('2000-05-10', '2028-05-10')).toBe(28);
    expect(bornOnOrBefore('2028-05-10', 28)).toBe('2000-05-10');
    expect(bornOnOrBefore('2024-02-29', 35)).toBe('1989-02-28');
    expect(bornOnOrBefore('2024-02-29', 28)).toBe('1996-02-29');
  });

  it('the Youth League takes members from 14 to 28; a post exempts from the upper limit', () => {
    const today = '2026-06-01';
    expect(eligibility('youth_league', 'league_member', person('2012-06-02'), today)).toContain('14');
    expect(eligibility('youth_league', 'league_member', person('2000-01-01'), today)).toBeNull();
    expect(eligibility('youth_league', 'league_member', person('1998-06-01'), today)).toContain('28');
    expect(eligibility('youth_league', 'league_member', person('1998-06-01'), today, true)).toBeNull();
    expect(eligibility('youth_league', 'committee', person('1970-01-01'), today)).toBeNull();
    expect(agedOut('youth_league', 'league_member', '1998-06-01', today, false)).toBe(true);
    expect(agedOut('youth_league', 'league_member', '1998-06-02', today, false)).toBe(false);
    expect(agedOut('youth_league', 'league_member', '1990-01-01', today, true)).toBe(false);
    expect(agedOut('union', 'member', '1950-01-01', today, false)).toBe(false);
  });

  it('types without individual members, roles a type does not have, and group conditions', () => {
    expect(MEMBERSHIP_RULES.women.memberRole).toBeNull();
    expect(eligibility('union', 'league_member', person('1990-01-01'), '2026-01-01')).toContain('没有此身份');
    expect(eligibility('disabled', 'member', person('1990-01-01'), '2026-01-01')).toContain('会员条件');
    expect(eligibility('disabled', 'member', person('1990-01-01', ['disabled']), '2026-01-01')).toBeNull();
    expect(eligibility('union', 'member', person('2012-01-01'), '2026-01-01')).toContain('16');
  });
});

describe('transfer state machine (as data)', () => {
  const states: (TransferStatus | null)[] = [null, ...(Object.keys(TRANSFER_STATUS) as TransferStatus[])];
  const actions = Object.keys(TRANSFER_ACTIONS) as TransferAction[];
  const sides = Object.keys(TRANSFER_SIDES) as TransferSide[];
  const allowed: Record<string, TransferSide[]> = {
    'null/start': ['sender', 'receiver', 'person'],
    'pending/approve': ['receiver'],
    'pending/reject': ['receiver'],
    'pending/cancel': ['sender', 'person'],
  };
  it('allows exactly the listed transitions to exactly the listed sides (every state × action × side)', () => {
    for (const s of states)
      for (const a of actions)
        for (const side of sides) {
          const want = (allowed[`${s}/${a}`] ?? []).includes(side);
          expect(mayTake(s, a, [side]), `${s} ${a} by ${side}`).toBe(want);
        }
  });
  it('ends in completed, rejected or cancelled; a rejection needs a reason', () => {
    expect(isFinal('pending')).toBe(false);
    for (const s of ['completed', 'rejected', 'cancelled'] as const) expect(isFinal(s)).toBe(true);
    expect(transitionOf('pending', 'reject')?.noteRequired).toBe(true);
    expect(actionsFor('pending', ['receiver'])).toEqual(['approve', 'reject']);
    expect(TRANSFER_TRANSITIONS.every((t) => t.by.length > 0)).toBe(true);
  });
});

describe('import rows', () => {
  const header = mapHeader(IMPORT_HEADERS);
  if ('missing' in header) throw new Error('header');
  const idx = header.index;
  const now = new Date('2026-06-01T00:00:00Z');
  const row = (o: Record<string, string>) => IMPORT_HEADERS.map((h) => o[h] ?? '');
  const id = makeIdNumber('130702', '19900101', '123');

  it('parses a good row, deriving gender and birth date from the ID number', () => {
    const r = parseImportRow(
      row({ 姓名: '张三', 身份证号: id, 手机号码: '138 0000 0000', 人员类别: '职工、青年', 一线职工: '是' }),
      idx,
      now,
    );
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.row).toMatchObject({
        gender: 'M',
        birthDate: '1990-01-01',
        phone: '13800000000',
        groups: ['worker', 'youth'],
        frontline: true,
      });
  });

  it('names the column and never the value of a bad cell', () => {
    const bad = id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    const r = parseImportRow(
      row({ 姓名: '张三', 身份证号: bad, 手机号码: '12', 民族: '火星族', 出生日期: '1990-01-01' }),
      idx,
      now,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.map((e) => e.column)).toEqual(['身份证号', '手机号码', '民族']);
      expect(JSON.stringify(r.errors)).not.toContain(bad);
    }
    const mismatch = parseImportRow(row({ 姓名: '张三', 身份证号: id, 出生日期: '1991-01-01' }), idx, now);
    expect(!mismatch.ok && mismatch.errors[0]).toMatchObject({
      column: '出生日期',
      message: '出生日期与身份证号不一致',
    });
    const excel = parseImportRow(row({ 姓名: '张三', 身份证号: '1.30702199001012e+17' }), idx, now);
    expect(!excel.ok && excel.errors[0]!.message).toContain('文本');
    const long = parseImportRow(row({ 姓名: 'x'.repeat(501), 身份证号: id }), idx, now);
    expect(!long.ok && long.errors[0]!.message).toContain('过长');
  });

  it('requires the name and ID number headers', () => {
    expect(mapHeader(['姓名', '手机号码'])).toEqual({ missing: ['身份证号'] });
  });
});
