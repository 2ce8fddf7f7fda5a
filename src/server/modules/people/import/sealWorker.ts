/**
 * Worker thread of the import: encrypts ID numbers and phones of a batch and hashes the phones
 * (AES-GCM and HMAC are a third of an import's CPU) while the main thread parses and checks the
 * next rows. The ID hash is the main thread's (deduplication needs it first): here only for the
 * probe that checks both threads use the same keys.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadPii } from '../../../platform/pii.js';
import { idHashOf, phoneHashOf } from '../protect.js';

const pii = loadPii(workerData as Parameters<typeof loadPii>[0]);
const port = parentPort!;
port.on('message', (m: { id: number; items: [string, string | null][]; probe?: boolean }) => {
  const out = m.items.map(
    ([idNumber, phone]) =>
      [
        pii.encrypt(idNumber),
        m.probe ? idHashOf(pii, idNumber) : '',
        phone ? pii.encrypt(phone) : null,
        phone ? phoneHashOf(pii, phone) : null,
      ] as const,
  );
  port.postMessage({ id: m.id, out });
});
port.postMessage({ ready: true });
