/**
 * Document numbers (发文字号) such as 张政发〔2026〕37号: an issuer's code, the year in
 * hexagonal brackets, a serial and 号. Other brackets people type ([], （）, (), ［］, 【】)
 * are normalized to 〔〕.
 */
const DOC_NO =
  /^([\p{Script=Han}A-Za-z0-9]{1,20})\s*[〔[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*(\d{1,5})\s*号$/u;

export function normalizeDocNo(input: string): string | null {
  const m = DOC_NO.exec(input.trim());
  if (!m) return null;
  return `${m[1]}〔${m[2]}〕${Number(m[3])}号`;
}
