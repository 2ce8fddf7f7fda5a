/**
 * Pure rules of activities and volunteer hours: kinds, the hours a sign-in/sign-out earns
 * under a jurisdiction's rule, stars from dated thresholds, age on a day, distance to the venue.
 */

export const ACTIVITY_KINDS = {
  volunteer: '志愿服务',
  visit: '慰问',
  training: '培训',
  culture: '文体',
  lecture: '宣讲',
  other: '其他',
} as const;
export type ActivityKind = keyof typeof ACTIVITY_KINDS;
export const ACTIVITY_KIND_LIST = Object.keys(ACTIVITY_KINDS) as ActivityKind[];

export const SIGNUP_STATUSES = {
  pending: '待审核',
  approved: '已录用',
  waitlisted: '候补',
  rejected: '未录用',
  cancelled: '已取消',
} as const;
export type SignupStatus = keyof typeof SIGNUP_STATUSES;

export const HOURS_KINDS = {
  credited: '签到记录',
  backfilled: '补录',
  imported: '导入',
  revoked: '撤销',
} as const;
export type HoursKind = keyof typeof HOURS_KINDS;

/** A jurisdiction's rule (a row of vol_rules). */
export interface HoursRule {
  minShare: number;
  maxDailyHours: number;
  excludedKinds: readonly string[];
  travelExcluded: boolean;
  starThresholds: readonly number[];
}

export const DEFAULT_STARS = [100, 300, 600, 1000, 1500] as const;

const HOUR_MS = 3_600_000;
/** Hours rounded to the hundredth (the ledger's precision), never up past what was served. */
export const roundHours = (h: number): number => Math.floor(h * 100 + 1e-6) / 100;

export type CreditResult =
  | { ok: true; hours: number; attended: number; share: number }
  | { ok: false; reason: 'not_recorded' | 'excluded_kind' | 'short' | 'daily_cap'; share?: number };

/**
 * The hours a sign-in and sign-out earn: the time attended inside the shift (travel before
 * and after it excluded when the rule says so), nothing below the minimum share of the shift,
 * at most the activity's hours per shift, and at most what is left of the day's cap.
 */
export function creditFor(
  shift: { startsAt: Date; endsAt: Date },
  inAt: Date,
  outAt: Date,
  activity: { kind: string; recordsHours: boolean; hoursPerShift: number | null },
  rule: HoursRule,
  alreadyThatDay: number,
): CreditResult {
  if (!activity.recordsHours) return { ok: false, reason: 'not_recorded' };
  if (rule.excludedKinds.includes(activity.kind)) return { ok: false, reason: 'excluded_kind' };
  const from = rule.travelExcluded ? Math.max(inAt.getTime(), shift.startsAt.getTime()) : inAt.getTime();
  const to = rule.travelExcluded ? Math.min(outAt.getTime(), shift.endsAt.getTime()) : outAt.getTime();
  const attended = Math.max(0, to - from) / HOUR_MS;
  const length = (shift.endsAt.getTime() - shift.startsAt.getTime()) / HOUR_MS;
  const share = length > 0 ? Math.min(1, attended / length) : 0;
  if (share + 1e-9 < rule.minShare || attended <= 0) return { ok: false, reason: 'short', share };
  let hours = activity.hoursPerShift != null ? Math.min(attended, activity.hoursPerShift) : attended;
  const left = rule.maxDailyHours - alreadyThatDay;
  if (left <= 0) return { ok: false, reason: 'daily_cap', share };
  hours = roundHours(Math.min(hours, left));
  if (hours <= 0) return { ok: false, reason: 'short', share };
  return { ok: true, hours, attended: roundHours(attended), share };
}

/** The shift's length in hours: the most a back-fill may record. */
export const shiftHours = (s: { startsAt: Date; endsAt: Date }): number =>
  roundHours((s.endsAt.getTime() - s.startsAt.getTime()) / HOUR_MS);

/**
 * Stars from the total hours and the thresholds in force: 1★ … 4★ by hours alone; 5★ also
 * needs an award (application → review → 公示), so hours past the fifth threshold give 4★
 * until then.
 */
export function starsOf(total: number, thresholds: readonly number[], fiveStarAwarded: boolean): number {
  let stars = 0;
  for (const [i, t] of thresholds.entries()) if (total + 1e-9 >= t) stars = i + 1;
  if (stars >= 5 && !fiveStarAwarded) return 4;
  return stars;
}

/** Whole years of age on a Shanghai calendar day, from 'YYYY-MM-DD' birth date. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Great-circle distance in metres (haversine). */
export function distanceMeters(a: { lat: number; lng: number }, b: { lat: number; lng: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The rotating QR code's window: a token is good in its minute and the next one. */
export const QR_WINDOW_MS = 60_000;
export const QR_VALID_WINDOWS = 2;
