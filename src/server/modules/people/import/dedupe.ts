import { MEMBERSHIP_ROLES } from '../../../../shared/people/dicts.js';

const ROLE_INDEX = new Map(Object.keys(MEMBERSHIP_ROLES).map((r, i) => [r, i]));
const B64 = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries())
  B64[c.charCodeAt(0)] = i;

/** FNV-1a of a name: compares the names of repeated ID numbers without keeping the names. */
function nameKey(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** 30 bits of a base64url string from position `at` (5 characters). */
function bits30(s: string, at: number): number {
  let v = 0;
  for (let i = at; i < at + 5; i++) v = (v << 6) | (B64[s.charCodeAt(i)] ?? 0);
  return v >>> 0;
}

/**
 * The persons and memberships seen earlier in one file, in preallocated typed arrays (no
 * garbage, about 40 MB for a million rows): an open-addressing table keyed by 60 bits of the
 * keyed hash, the first row's number, name fingerprint, organization and role per person, and
 * a small map only for persons who repeat in the file.
 */
export class FileDedupe {
  private readonly mask: number;
  private readonly k1: Uint32Array;
  private readonly k2: Uint32Array;
  private readonly slot: Int32Array;
  private readonly firstNo: Int32Array;
  private readonly firstName: Uint32Array;
  private readonly firstOrg: Float64Array;
  private readonly firstRole: Uint8Array;
  private readonly repeats = new Map<string, number>();
  private n = 0;

  constructor(capacity: number) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.mask = size - 1;
    this.k1 = new Uint32Array(size);
    this.k2 = new Uint32Array(size);
    this.slot = new Int32Array(size);
    this.firstNo = new Int32Array(capacity + 1);
    this.firstName = new Uint32Array(capacity + 1);
    this.firstOrg = new Float64Array(capacity + 1);
    this.firstRole = new Uint8Array(capacity + 1);
  }

  /** null when the row is new, else the message of its rejection. */
  check(idHash: string, name: string, orgId: number, role: string, rowNo: number): string | null {
    const a = bits30(idHash, 0) | 1; // never 0: 0 marks an empty slot
    const b = bits30(idHash, 5);
    const nk = nameKey(name);
    const roleIdx = ROLE_INDEX.get(role) ?? 255;
    let i = (a ^ Math.imul(b, 0x9e3779b1)) & this.mask;
    while (this.k1[i] !== 0 && (this.k1[i] !== a || this.k2[i] !== b)) i = (i + 1) & this.mask;
    if (this.k1[i] === 0) {
      if (this.n + 1 >= this.firstNo.length || this.n * 2 > this.mask) return '文件行数超过预计，请重新导入';
      const ord = ++this.n;
      this.k1[i] = a;
      this.k2[i] = b;
      this.slot[i] = ord;
      this.firstNo[ord] = rowNo;
      this.firstName[ord] = nk;
      this.firstOrg[ord] = orgId;
      this.firstRole[ord] = roleIdx;
      return null;
    }
    const ord = this.slot[i]!;
    const first = this.firstNo[ord]!;
    if (this.firstName[ord] !== nk) return `与第 ${first} 行的身份证号相同但姓名不同`;
    if (this.firstOrg[ord] === orgId && this.firstRole[ord] === roleIdx)
      return `与第 ${first} 行重复（同一人员、同一组织、同一身份）`;
    const mk = `${a}:${b}:${orgId}:${roleIdx}`;
    const prev = this.repeats.get(mk);
    if (prev !== undefined) return `与第 ${prev} 行重复（同一人员、同一组织、同一身份）`;
    this.repeats.set(mk, rowNo);
    return null;
  }
}
