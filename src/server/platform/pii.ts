import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const IV_BYTES = 12;
const IV_POOL = 4096;

/**
 * Field protection for personal identity data (ID numbers, phones):
 * AES-256-GCM encryption with a key id in every ciphertext (so keys rotate), and an
 * HMAC-SHA256 keyed hash for exact lookup and deduplication. Masking lives in shared/mask.
 */
export class Pii {
  private readonly keys: Map<string, Buffer>;
  constructor(
    keys: { id: string; key: Buffer }[],
    private readonly hashKey: Buffer,
  ) {
    if (keys.length === 0) throw new Error('at least one encryption key is required');
    for (const k of keys) if (k.key.length !== 32) throw new Error(`key ${k.id} must be 32 bytes`);
    if (hashKey.length < 32) throw new Error('hash key must be at least 32 bytes');
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
    this.currentId = keys[0]!.id;
    this.currentKey = keys[0]!.key;
  }
  private readonly currentId: string;
  private readonly currentKey: Buffer;

  /** Random bytes drawn ahead for IVs (one CSPRNG call per 4,096 IVs instead of one per value). */
  private ivPool = Buffer.alloc(0);
  private ivAt = 0;

  /** A fresh random 96-bit IV: every IV is used once, never reused. */
  private nextIv(): Buffer {
    if (this.ivAt + IV_BYTES > this.ivPool.length) {
      this.ivPool = randomBytes(IV_BYTES * IV_POOL);
      this.ivAt = 0;
    }
    const iv = this.ivPool.subarray(this.ivAt, this.ivAt + IV_BYTES);
    this.ivAt += IV_BYTES;
    return iv;
  }

  /** `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts). */
  encrypt(plain: string): string {
    const iv = this.nextIv();
    const cipher = createCipheriv('aes-256-gcm', this.currentKey, iv);
    const ct = cipher.update(plain, 'utf8');
    const last = cipher.final();
    const body = last.length === 0 ? ct : Buffer.concat([ct, last]);
    const tag = cipher.getAuthTag();
    return `v1.${this.currentId}.${iv.toString('base64url')}.${tag.toString('base64url')}.${body.toString('base64url')}`;
  }

  decrypt(blob: string): string {
    const [v, keyId, iv, tag, ct] = blob.split('.');
    const key = keyId ? this.keys.get(keyId) : undefined;
    if (v !== 'v1' || !key || !iv || !tag || ct === undefined) throw new Error('unreadable ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Keyed hash of a normalized value: equal inputs give equal hashes, nothing else leaks. */
  hash(normalized: string): string {
    return createHmac('sha256', this.hashKey).update(normalized, 'utf8').digest('base64url');
  }

  keyIdOf(blob: string): string | undefined {
    return blob.split('.')[1];
  }
}

function parseKeys(spec: string): { id: string; key: Buffer }[] {
  return spec.split(',').map((part) => {
    const [id, b64] = part.trim().split(':');
    if (!id || !b64 || !/^[A-Za-z0-9_-]{1,16}$/.test(id))
      throw new Error('NIUDAI_PII_KEYS: expected id:base64,…');
    return { id, key: Buffer.from(b64, 'base64') };
  });
}

/**
 * Keys from configuration; outside production, missing keys are generated once into
 * `<dataDir>/secrets.json` (mode 600) so a laptop install needs no setup.
 */
export function loadPii(cfg: { piiKeys?: string; hashKey?: string; dataDir: string; env: string }): Pii {
  let piiKeys = cfg.piiKeys;
  let hashKey = cfg.hashKey;
  if ((!piiKeys || !hashKey) && cfg.env !== 'production') {
    const file = join(cfg.dataDir, 'secrets.json');
    if (!existsSync(file)) {
      mkdirSync(cfg.dataDir, { recursive: true });
      const generated = {
        piiKeys: `k1:${randomBytes(32).toString('base64')}`,
        hashKey: randomBytes(32).toString('base64'),
      };
      writeFileSync(file, JSON.stringify(generated, null, 2), { mode: 0o600 });
    }
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { piiKeys: string; hashKey: string };
    piiKeys ??= saved.piiKeys;
    hashKey ??= saved.hashKey;
  }
  if (!piiKeys || !hashKey) throw new Error('NIUDAI_PII_KEYS and NIUDAI_HASH_KEY are required');
  return new Pii(parseKeys(piiKeys), Buffer.from(hashKey, 'base64'));
}
