import { Worker } from 'node:worker_threads';
import { maskIdNumber, maskPhone } from '../../../../shared/mask.js';
import type { Pii } from '../../../platform/pii.js';
import { idHashOf, protectPhone } from '../protect.js';
import type { ReadyRow } from './batch.js';

/** Completes the protected forms of a batch's rows (ciphertexts, phone hash); the ID hash is already there. */
export interface Sealer {
  seal(rows: ReadyRow[]): Promise<void>;
  close(): Promise<void>;
}

/** The stored forms a row needs before encryption: keyed hash (for deduplication) and masks. */
export function unsealed(pii: Pii, idNumber: string, phone: string | null): ReadyRow['sec'] {
  return {
    idEnc: '',
    idHash: idHashOf(pii, idNumber),
    idMask: maskIdNumber(idNumber),
    phoneEnc: null,
    phoneHash: null,
    phoneMask: phone ? maskPhone(phone) : null,
  };
}

export const inlineSealer = (pii: Pii): Sealer => ({
  async seal(rows) {
    for (const r of rows) {
      r.sec.idEnc = pii.encrypt(r.row.idNumber);
      const p = protectPhone(pii, r.row.phone);
      r.sec.phoneEnc = p.phoneEnc;
      r.sec.phoneHash = p.phoneHash;
    }
  },
  async close() {},
});

/**
 * A sealer on a worker thread, or null where a worker cannot run this code (e.g. under a test
 * runner's loader) or would not use the same keys: the caller then seals inline.
 */
export async function workerSealer(pii: Pii, keyConfig: object): Promise<Sealer | null> {
  let worker: Worker;
  try {
    if (import.meta.url.endsWith('.ts')) {
      // running from TypeScript (tsx): the worker thread registers the same loader first
      const tsx = import.meta.resolve('tsx/esm/api');
      const entry = new URL('./sealWorker.ts', import.meta.url).href;
      const code = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`;
      worker = new Worker(code, { eval: true, workerData: keyConfig });
    } else worker = new Worker(new URL('./sealWorker.js', import.meta.url), { workerData: keyConfig });
  } catch {
    return null;
  }
  const ready = await new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(false), 10_000);
    worker.once('message', (m: { ready?: boolean }) => {
      clearTimeout(t);
      resolve(!!m.ready);
    });
    worker.once('error', () => {
      clearTimeout(t);
      resolve(false);
    });
  });
  if (!ready) {
    await worker.terminate();
    return null;
  }
  const waiting = new Map<
    number,
    { resolve: (out: [string, string, string | null, string | null][]) => void; reject: (e: unknown) => void }
  >();
  let seq = 0;
  worker.on('message', (m: { id?: number; out?: [string, string, string | null, string | null][] }) => {
    if (m.id === undefined) return;
    waiting.get(m.id)?.resolve(m.out!);
    waiting.delete(m.id);
  });
  worker.on('error', (e) => {
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  });
  const run = (items: [string, string | null][], probe = false) =>
    new Promise<[string, string, string | null, string | null][]>((resolve, reject) => {
      const id = ++seq;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, items, probe });
    });
  // the worker must use the same keys as this process
  const probe = (await run([['probe', null]], true))[0]!;
  if (probe[1] !== idHashOf(pii, 'probe') || safeDecrypt(pii, probe[0]) !== 'probe') {
    await worker.terminate();
    return null;
  }
  return {
    async seal(rows) {
      const out = await run(rows.map((r) => [r.row.idNumber, r.row.phone]));
      rows.forEach((r, i) => {
        const [idEnc, , phoneEnc, phoneHash] = out[i]!;
        r.sec.idEnc = idEnc;
        r.sec.phoneEnc = phoneEnc;
        r.sec.phoneHash = phoneHash;
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

function safeDecrypt(pii: Pii, blob: string): string | null {
  try {
    return pii.decrypt(blob);
  } catch {
    return null;
  }
}
