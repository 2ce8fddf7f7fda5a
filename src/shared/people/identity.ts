/**
 * Identity checks of a real-name person: the ID number (GB 11643 checksum), with birth date
 * and gender derived from it and cross-checked against what was entered. Messages never
 * repeat the ID number itself.
 */
import { shanghaiYmd } from '../calendar/ymd.js';
import { parseIdNumber } from '../rules/idNumber.js';
import { parsePhone } from '../rules/phone.js';
import type { Gender } from './dicts.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

export interface Identity {
  idNumber: string;
  birthDate: string;
  gender: Gender;
}

const ID_MESSAGES = {
  format: '身份证号格式不正确（应为18位，末位可为X）',
  checksum: '身份证号校验位不正确',
  birthDate: '身份证号中的出生日期无效',
} as const;

/**
 * Validates an ID number and cross-checks an entered birth date ('YYYY-MM-DD') and gender
 * against the ones it encodes.
 */
export function checkIdentity(
  idNumber: string,
  entered: { birthDate?: string | null; gender?: Gender | null },
  now: Date = new Date(),
): Checked<Identity> {
  const r = parseIdNumber(idNumber, { today: now });
  if (!r.ok) {
    const hint = /e\+|\.\d/i.test(idNumber) ? '；在 Excel 中被存为数字会丢失精度，请把该列设为文本' : '';
    return { ok: false, message: ID_MESSAGES[r.reason] + hint };
  }
  if (entered.birthDate && entered.birthDate !== r.birthDate)
    return { ok: false, message: '出生日期与身份证号不一致' };
  if (entered.gender && entered.gender !== r.gender) return { ok: false, message: '性别与身份证号不一致' };
  return { ok: true, value: { idNumber: r.value, birthDate: r.birthDate, gender: r.gender } };
}

/** A mobile or landline number, normalized; messages never repeat the number. */
export function checkPhone(phone: string): Checked<string> {
  const r = parsePhone(phone);
  if (!r.ok) return { ok: false, message: '电话号码格式不正确（手机11位，座机区号-号码）' };
  return { ok: true, value: r.value };
}

export const todayOf = (now: Date): string => shanghaiYmd(now);
