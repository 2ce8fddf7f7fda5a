import { maskIdNumber, maskPhone } from '../../../shared/mask.js';
import type { Pii } from '../../platform/pii.js';

/** The stored forms of identity data: ciphertext, keyed hash (lookup, dedupe) and mask (display). */
export interface Protected {
  idEnc: string;
  idHash: string;
  idMask: string;
  phoneEnc: string | null;
  phoneHash: string | null;
  phoneMask: string | null;
}

/** `idNumber` and `phone` must already be validated and normalized. */
export function protect(pii: Pii, idNumber: string, phone: string | null): Protected {
  return {
    idEnc: pii.encrypt(idNumber),
    idHash: pii.hash(`id:${idNumber}`),
    idMask: maskIdNumber(idNumber),
    ...protectPhone(pii, phone),
  };
}

export function protectPhone(pii: Pii, phone: string | null) {
  return {
    phoneEnc: phone ? pii.encrypt(phone) : null,
    phoneHash: phone ? phoneHashOf(pii, phone) : null,
    phoneMask: phone ? maskPhone(phone) : null,
  };
}

export const idHashOf = (pii: Pii, idNumber: string) => pii.hash(`id:${idNumber}`);
export const phoneHashOf = (pii: Pii, phone: string) => pii.hash(`phone:${phone}`);
