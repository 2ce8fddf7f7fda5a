/**
 * Password policy: 8–128 characters (Unicode code points), at least 3 of the 4 classes
 * lowercase, uppercase, digit, symbol (any other non-whitespace character).
 */

export type PasswordRule = 'minLength' | 'maxLength' | 'classes';

export const PASSWORD_POLICY = { minLength: 8, maxLength: 128, minClasses: 3 } as const;

export function passwordClasses(pw: string): number {
  let lower = false;
  let upper = false;
  let digit = false;
  let symbol = false;
  for (const c of pw) {
    if (c >= 'a' && c <= 'z') lower = true;
    else if (c >= 'A' && c <= 'Z') upper = true;
    else if (c >= '0' && c <= '9') digit = true;
    else if (!/\s/u.test(c)) symbol = true;
  }
  return Number(lower) + Number(upper) + Number(digit) + Number(symbol);
}

/** The keys of the rules `pw` fails; an empty list means the password is acceptable. */
export function checkPassword(pw: string): PasswordRule[] {
  const failed: PasswordRule[] = [];
  const length = [...pw].length;
  if (length < PASSWORD_POLICY.minLength) failed.push('minLength');
  if (length > PASSWORD_POLICY.maxLength) failed.push('maxLength');
  if (passwordClasses(pw) < PASSWORD_POLICY.minClasses) failed.push('classes');
  return failed;
}

export function isPasswordAcceptable(pw: string): boolean {
  return checkPassword(pw).length === 0;
}
