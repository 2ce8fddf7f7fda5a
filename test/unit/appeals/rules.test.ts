import { describe, expect, it } from 'vitest';
import {
  coveringRegions,
  levelsDownTo,
  matchRule,
  pickLowest,
  type RoutingRule,
} from '../../../src/shared/appeals/routing.js';
import { indexGrams, queryGrams, queryTerms } from '../../../src/shared/appeals/search.js';
import {
  computeDeadlines,
  dueAfter,
  lightOf,
  pausedWorkdays,
  pickSla,
  type SlaRule,
  shiftByWorkdays,
  urgeDue,
} from '../../../src/shared/appeals/sla.js';
import { WorkCalendar } from '../../../src/shared/calendar/workdays.js';

const cal = new WorkCalendar();
const at = (s: string) => new Date(s);

describe('time limits', () => {
  const rules: SlaRule[] = [
    {
      categoryCode: null,
      priority: null,
      signDays: 1,
      returnDays: 2,
      replyDays: 5,
      visitDays: 1,
      maxExtensionDays: 10,
    },
    {
      categoryCode: null,
      priority: 'urgent',
      signDays: 0,
      returnDays: 1,
      replyDays: 0,
      visitDays: 1,
      maxExtensionDays: 10,
    },
    {
      categoryCode: 'LABOR',
      priority: null,
      signDays: 1,
      returnDays: 2,
      replyDays: 13,
      visitDays: 1,
      maxExtensionDays: 10,
    },
    {
      categoryCode: 'CONSULT',
      priority: null,
      signDays: 1,
      returnDays: 2,
      replyDays: 3,
      visitDays: 1,
      maxExtensionDays: 10,
    },
  ];
  it('picks the most specific rule; urgent wins in every category', () => {
    expect(pickSla(rules, ['LABOR_WAGE', 'LABOR'], 'normal').replyDays).toBe(13);
    expect(pickSla(rules, ['FAMILY'], 'normal').replyDays).toBe(5);
    expect(pickSla(rules, ['CONSULT'], 'normal').replyDays).toBe(3);
    expect(pickSla(rules, ['LABOR_WAGE', 'LABOR'], 'urgent').replyDays).toBe(0);
    expect(() => pickSla(rules.slice(2), ['FAMILY'], 'normal')).toThrow();
  });

  it('counts working days over holidays and 调休 Saturdays', () => {
    const d = computeDeadlines(cal, at('2026-09-30T10:00:00+08:00'), rules[2]!);
    expect(d.signDueAt.toISOString()).toBe(at('2026-10-08T17:30:00+08:00').toISOString());
    expect(d.returnDueAt.toISOString()).toBe(at('2026-10-09T17:30:00+08:00').toISOString());
    expect(d.dueAt.toISOString()).toBe(at('2026-10-23T17:30:00+08:00').toISOString());
    expect(d.warnAt.toISOString()).toBe(at('2026-10-20T17:30:00+08:00').toISOString());
  });

  it('makes “the same day” the next working day when the day is over', () => {
    expect(dueAfter(cal, at('2026-10-12T09:00:00+08:00'), 0).toISOString()).toBe(
      at('2026-10-12T17:30:00+08:00').toISOString(),
    );
    expect(dueAfter(cal, at('2026-10-12T19:00:00+08:00'), 0).toISOString()).toBe(
      at('2026-10-13T17:30:00+08:00').toISOString(),
    );
    // Saturday → Monday
    expect(dueAfter(cal, at('2026-10-17T09:00:00+08:00'), 0).toISOString()).toBe(
      at('2026-10-19T17:30:00+08:00').toISOString(),
    );
  });

  it('moves deadlines by paused working days and extensions', () => {
    expect(pausedWorkdays(cal, at('2026-10-12T10:00:00+08:00'), at('2026-10-15T10:00:00+08:00'))).toBe(3);
    expect(pausedWorkdays(cal, at('2026-10-12T10:00:00+08:00'), at('2026-10-12T16:00:00+08:00'))).toBe(0);
    expect(shiftByWorkdays(cal, at('2026-09-30T17:30:00+08:00'), 1).toISOString()).toBe(
      at('2026-10-08T17:30:00+08:00').toISOString(),
    );
  });

  it('urges on the first working day after the deadline, and colours by 80 %', () => {
    const due = at('2026-10-23T17:30:00+08:00');
    expect(urgeDue(cal, due, at('2026-10-24T09:00:00+08:00'))).toBe(false);
    expect(urgeDue(cal, due, at('2026-10-26T00:10:00+08:00'))).toBe(true);
    const a = { dueAt: due, warnAt: at('2026-10-20T17:30:00+08:00'), answered: false, suspended: false };
    expect(lightOf(a, at('2026-10-19T12:00:00+08:00'))).toBe('green');
    expect(lightOf(a, at('2026-10-21T12:00:00+08:00'))).toBe('yellow');
    expect(lightOf(a, at('2026-10-24T12:00:00+08:00'))).toBe('red');
    expect(lightOf({ ...a, answered: true }, at('2026-10-24T12:00:00+08:00'))).toBe('none');
    expect(lightOf({ ...a, suspended: true }, at('2026-10-24T12:00:00+08:00'))).toBe('none');
  });
});

describe('routing rules', () => {
  const rule = (p: Partial<RoutingRule>): RoutingRule => ({
    id: 1,
    seq: 1,
    name: 'r',
    groups: null,
    categoryCodes: null,
    orgType: 'union',
    lowestLevel: 'county',
    active: true,
    ...p,
  });
  const rules = [
    rule({ id: 3, seq: 30, groups: ['worker'], orgType: 'union' }),
    rule({ id: 1, seq: 10, categoryCodes: ['FAMILY'], orgType: 'women' }),
    rule({ id: 2, seq: 20, groups: ['youth'], orgType: 'youth_league', active: false }),
  ];
  it('evaluates in order; a category matches its descendants; inactive rules are skipped', () => {
    expect(matchRule(rules, 'worker', ['FAMILY_VIOLENCE', 'FAMILY'])?.orgType).toBe('women');
    expect(matchRule(rules, 'worker', ['LABOR_WAGE', 'LABOR'])?.orgType).toBe('union');
    expect(matchRule(rules, 'youth', ['LABOR'])).toBeUndefined();
  });
  it('finds the lowest covering organization', () => {
    expect(coveringRegions('130702001001')).toEqual([
      '130000000000',
      '130700000000',
      '130702000000',
      '130702001000',
      '130702001001',
    ]);
    expect(levelsDownTo('county')).toEqual(['city', 'county']);
    const lowest = pickLowest([
      { id: 5, name: '市总工会', level: 'city', regionCode: '130700000000' },
      { id: 9, name: '县总工会', level: 'county', regionCode: '130702000000' },
    ]);
    expect(lowest?.id).toBe(9);
  });
});

describe('search tokens', () => {
  it('indexes CJK bigrams and queries every term', () => {
    expect(indexGrams('拖欠工资 abc 工伤')).toEqual(['拖欠', '欠工', '工资', '工伤']);
    const terms = queryTerms('拖欠，工资  单');
    expect(terms).toEqual(['拖欠', '工资', '单']);
    expect(queryGrams(terms)).toEqual(['拖欠', '工资']);
  });
});
