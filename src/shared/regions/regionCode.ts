/**
 * GB/T 2260 + statistical division codes, normalized to 12 digits:
 * province '13' → '130000000000', city '1307' → '130700000000', county '130702' →
 * '130702000000', township '130702001' → '130702001000', village '130702001001'.
 */

export type RegionLevel = 1 | 2 | 3 | 4 | 5;

const PREFIX_LENGTH: Record<RegionLevel, number> = { 1: 2, 2: 4, 3: 6, 4: 9, 5: 12 };

/** Pads a 2/4/6/9/12-digit code to 12 digits; throws on other input. */
export function toRegionCode12(code: string): string {
  if (!/^\d+$/.test(code) || ![2, 4, 6, 9, 12].includes(code.length)) {
    throw new RangeError(`invalid region code: ${code}`);
  }
  return code.padEnd(12, '0');
}

/** Level of a 12-digit code by its trailing zeros (village codes never end in 000). */
export function regionLevel(code12: string): RegionLevel {
  if (!/^\d{12}$/.test(code12)) throw new RangeError(`invalid region code: ${code12}`);
  if (code12.slice(9) !== '000') return 5;
  if (code12.slice(6, 9) !== '000') return 4;
  if (code12.slice(4, 6) !== '00') return 3;
  if (code12.slice(2, 4) !== '00') return 2;
  return 1;
}

/** The significant prefix of a 12-digit code at its level ('130702001000' → '130702001'). */
export function regionPrefix(code12: string): string {
  return code12.slice(0, PREFIX_LENGTH[regionLevel(code12)]);
}

/** Whether `code12` lies within (or equals) the region `ancestor12`. */
export function isWithinRegion(code12: string, ancestor12: string): boolean {
  return code12.startsWith(regionPrefix(ancestor12));
}
