/** Pure rules of the assistance module: money, months, bank accounts, the exit rule's streak. */

/** Yuan (at most two decimals) → fen; null when not a valid non-negative amount. */
export function yuanToFen(yuan: number): number | null {
  if (!Number.isFinite(yuan) || yuan < 0) return null;
  const fen = Math.round(yuan * 100);
  if (Math.abs(fen - yuan * 100) > 1e-6) return null;
  return fen;
}

export const fenToYuan = (fen: number): number => fen / 100;

/** '¥5,000.00' style for Chinese users. */
export const formatYuan = (fen: number): string =>
  `¥${(fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

export const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Months since year 0 ('2026-03' → 2026*12+2), or null. */
export function monthIndex(month: string): number | null {
  const m = MONTH_RE.exec(month);
  return m ? Number(m[1]) * 12 + Number(m[2]) - 1 : null;
}

export const monthOf = (index: number): string =>
  `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/**
 * Whether income may be entered for `month` when today is `today` (YYYY-MM-DD): not in the
 * future, and not older than `maxBack` months (a late correction goes through the record).
 */
export function checkIncomeMonth(
  month: string,
  today: string,
  maxBack = 36,
): { ok: true } | { ok: false; message: string } {
  const m = monthIndex(month);
  if (m === null) return { ok: false, message: '月份格式应为 YYYY-MM' };
  const now = monthIndex(today.slice(0, 7))!;
  if (m > now) return { ok: false, message: `不能登记未来月份（${month}）的收入` };
  if (now - m > maxBack) return { ok: false, message: `只能登记近 ${maxBack} 个月的收入` };
  return { ok: true };
}

/** A bank account number: 12–30 digits once spaces and dashes are removed. */
export function parseBankAccount(s: string): { ok: true; value: string } | { ok: false; message: string } {
  const value = s.replace(/[\s-]/g, '');
  if (!/^\d{12,30}$/.test(value)) return { ok: false, message: '银行账号应为12至30位数字' };
  return { ok: true, value };
}

/** '6222021234567890123' → '**** **** 0123': only the last four digits are shown. */
export const maskBankAccount = (account: string): string => `**** **** ${account.slice(-4)}`;

/**
 * The exit rule's streak: given the months (YYYY-MM) whose income met the rule's condition
 * and those that did not, the number of consecutive calendar months up to the latest entered
 * month that met it. A month with no entry breaks the streak (nothing is assumed).
 */
export function trailingStreak(months: readonly { month: string; met: boolean }[]): number {
  const byIndex = new Map<number, boolean>();
  for (const m of months) {
    const i = monthIndex(m.month);
    if (i !== null) byIndex.set(i, m.met);
  }
  if (byIndex.size === 0) return 0;
  let i = Math.max(...byIndex.keys());
  let n = 0;
  while (byIndex.get(i) === true) {
    n++;
    i--;
  }
  return n;
}

/** Whole months between two YYYY-MM-DD dates (b after a), for staleness. */
export function monthsBetween(a: string, b: string): number {
  const ma = monthIndex(a.slice(0, 7))!;
  const mb = monthIndex(b.slice(0, 7))!;
  const full = mb - ma - (Number(b.slice(8, 10)) < Number(a.slice(8, 10)) ? 1 : 0);
  return Math.max(0, full);
}
