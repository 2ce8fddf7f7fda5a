import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Files on disk under the data folder, addressed by the SHA-256 of their content (owner-only: 0600, folders 0700). */
export class FileStore {
  constructor(private readonly root: string) {}

  private pathOf(hash: string): string {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error('bad content hash');
    return join(this.root, hash.slice(0, 2), hash.slice(2, 4), hash);
  }

  /** Stores bytes once; returns their hash. Writes through a temp file so readers never see half a file. */
  async put(bytes: Uint8Array): Promise<string> {
    const hash = createHash('sha256').update(bytes).digest('hex');
    const path = this.pathOf(hash);
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, bytes, { mode: 0o600 });
      await rename(tmp, path);
    }
    return hash;
  }

  get(hash: string): Promise<Buffer> {
    return readFile(this.pathOf(hash));
  }
}
