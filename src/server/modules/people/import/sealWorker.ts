/**
 * Worker thread of the import: encrypts ID numbers and phones of a batch (AES-GCM and HMAC are
 * a third of an import's CPU) while the main thread parses and checks the next rows.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadPii } from '../../../platform/pii.js';
import { protect } from '../protect.js';

const pii = loadPii(workerData as Parameters<typeof loadPii>[0]);
const port = parentPort!;
port.on('message', (m: { id: number; items: [string, string | null][] }) => {
  const out = m.items.map(([idNumber, phone]) => {
    const s = protect(pii, idNumber, phone);
    return [s.idEnc, s.idHash, s.phoneEnc, s.phoneHash] as const;
  });
  port.postMessage({ id: m.id, out });
});
port.postMessage({ ready: true });
