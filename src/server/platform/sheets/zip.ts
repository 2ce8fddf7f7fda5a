/**
 * Just enough of ZIP (the container of .xlsx) to check a file before the streaming parse:
 * list its entries from the central directory and stream one entry's content.
 */

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localOffset: number;
}

export class NotZipError extends Error {}

export async function zipEntries(path: string): Promise<ZipEntry[]>;
export async function zipEntries(
  path: string,
  withCd: true,
): Promise<{ entries: ZipEntry[]; cdOffset: number }>;
export async function zipEntries(
  path: string,
  withCd = false,
): Promise<ZipEntry[] | { entries: ZipEntry[]; cdOffset: number }> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const tailLen = Math.min(size, 65_557);
    const tail = Buffer.alloc(tailLen);
    await fh.read(tail, 0, tailLen, size - tailLen);
    let eocd = -1;
    for (let i = tailLen - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new NotZipError('no end of central directory');
    const count = tail.readUInt16LE(eocd + 10);
    const cdSize = tail.readUInt32LE(eocd + 12);
    const cdOffset = tail.readUInt32LE(eocd + 16);
    if (cdOffset + cdSize > size || cdSize > 64 * 1024 * 1024) throw new NotZipError('bad central directory');
    const cd = Buffer.alloc(cdSize);
    await fh.read(cd, 0, cdSize, cdOffset);
    const entries: ZipEntry[] = [];
    let p = 0;
    for (let i = 0; i < count && p + 46 <= cd.length; i++) {
      if (cd.readUInt32LE(p) !== 0x02014b50) throw new NotZipError('bad central directory entry');
      const nameLen = cd.readUInt16LE(p + 28);
      const extraLen = cd.readUInt16LE(p + 30);
      const commentLen = cd.readUInt16LE(p + 32);
      entries.push({
        method: cd.readUInt16LE(p + 10),
        compressedSize: cd.readUInt32LE(p + 20),
        localOffset: cd.readUInt32LE(p + 42),
        name: cd.toString('utf8', p + 46, p + 46 + nameLen),
      });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return withCd ? { entries, cdOffset } : entries;
  } finally {
    await fh.close();
  }
}

/** The uncompressed content of one entry (stored or deflated), as a stream. */
export async function openEntry(path: string, e: ZipEntry): Promise<Readable> {
  const fh = await open(path, 'r');
  const head = Buffer.alloc(30);
  try {
    await fh.read(head, 0, 30, e.localOffset);
  } finally {
    await fh.close();
  }
  if (head.readUInt32LE(0) !== 0x04034b50) throw new NotZipError('bad local header');
  const start = e.localOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  const raw = createReadStream(path, { start, end: start + Math.max(0, e.compressedSize - 1) });
  if (e.method === 0) return raw;
  if (e.method !== 8) throw new NotZipError('unsupported compression');
  return raw.pipe(createInflateRaw());
}
