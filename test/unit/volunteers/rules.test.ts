import { describe, expect, it } from 'vitest';
import {
  ageOn,
  creditFor,
  distanceMeters,
  type HoursRule,
  starsOf,
} from '../../../src/shared/volunteers/rules.js';

const rule: HoursRule = {
  minShare: 0.6,
  maxDailyHours: 8,
  excludedKinds: ['culture'],
  travelExcluded: true,
  starThresholds: [100, 300, 600, 1000, 1500],
};
const t = (hm: string) => new Date(`2026-05-01T${hm}:00+08:00`);
const shift = { startsAt: t('09:00'), endsAt: t('13:00') };
const act = { kind: 'volunteer', recordsHours: true, hoursPerShift: null };

describe('creditFor', () => {
  it('counts only the time inside the shift (travel excluded)', () => {
    expect(creditFor(shift, t('08:30'), t('13:45'), act, rule, 0)).toMatchObject({ ok: true, hours: 4 });
    expect(creditFor(shift, t('09:30'), t('12:30'), act, rule, 0)).toMatchObject({ ok: true, hours: 3 });
  });
  it('counts the whole span when the rule does not exclude travel', () => {
    expect(
      creditFor(shift, t('08:30'), t('13:30'), act, { ...rule, travelExcluded: false }, 0),
    ).toMatchObject({ hours: 5 });
  });
  it('gives nothing below the minimum share, and exactly at it gives the time', () => {
    expect(creditFor(shift, t('09:00'), t('11:00'), act, rule, 0)).toEqual({
      ok: false,
      reason: 'short',
      share: 0.5,
    });
    expect(creditFor(shift, t('09:00'), t('11:24'), act, rule, 0)).toMatchObject({ ok: true, hours: 2.4 });
  });
  it('caps by the activity, by the day, and refuses excluded kinds and activities without hours', () => {
    expect(creditFor(shift, t('09:00'), t('13:00'), { ...act, hoursPerShift: 3 }, rule, 0)).toMatchObject({
      hours: 3,
    });
    expect(creditFor(shift, t('09:00'), t('13:00'), act, rule, 6.5)).toMatchObject({ hours: 1.5 });
    expect(creditFor(shift, t('09:00'), t('13:00'), act, rule, 8)).toMatchObject({
      ok: false,
      reason: 'daily_cap',
    });
    expect(creditFor(shift, t('09:00'), t('13:00'), { ...act, kind: 'culture' }, rule, 0)).toMatchObject({
      reason: 'excluded_kind',
    });
    expect(creditFor(shift, t('09:00'), t('13:00'), { ...act, recordsHours: false }, rule, 0)).toMatchObject({
      reason: 'not_recorded',
    });
  });
  it('never rounds up past what was served', () => {
    const r = creditFor(shift, t('09:00'), new Date(t('12:59').getTime() + 59_000), act, rule, 0);
    expect(r.ok && r.hours).toBe(3.99);
  });
});

describe('starsOf', () => {
  it('follows the thresholds, and 5★ needs the award', () => {
    expect([0, 99.99, 100, 299, 300, 600, 1000].map((h) => starsOf(h, rule.starThresholds, false))).toEqual([
      0, 0, 1, 1, 2, 3, 4,
    ]);
    expect(starsOf(1600, rule.starThresholds, false)).toBe(4);
    expect(starsOf(1600, rule.starThresholds, true)).toBe(5);
    expect(starsOf(150, [50, 120, 200, 400, 800], false)).toBe(2);
  });
});

describe('ageOn and distance', () => {
  it('counts whole years on the day', () => {
    expect(ageOn('2008-05-02', '2026-05-01')).toBe(17);
    expect(ageOn('2008-05-01', '2026-05-01')).toBe(18);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
  });
  it('measures metres on the sphere', () => {
    const d = distanceMeters({ lat: 39.9087, lng: 116.3975 }, { lat: 39.9087, lng: 116.4075 });
    expect(d).toBeGreaterThan(840);
    expect(d).toBeLessThan(860);
  });
});
