import { MAX_FILE_BYTES } from '../../../../shared/assistance/constants.js';
import { AppError, invalid } from '../../../platform/errors.js';

const starts = (b: Uint8Array, sig: readonly number[]) => sig.every((v, i) => b[i] === v);

/** Visit photos and the signed authorisation: images or PDF, the leading bytes proving the type. */
const TYPES: Record<string, { mime: string; sig: number[] }> = {
  jpg: { mime: 'image/jpeg', sig: [0xff, 0xd8, 0xff] },
  jpeg: { mime: 'image/jpeg', sig: [0xff, 0xd8, 0xff] },
  png: { mime: 'image/png', sig: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  pdf: { mime: 'application/pdf', sig: [0x25, 0x50, 0x44, 0x46, 0x2d] },
};

export function checkCaseFile(name: string, bytes: Uint8Array): string {
  if (bytes.length === 0) throw invalid('文件为空', { field: 'file' });
  if (bytes.length > MAX_FILE_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', '文件不能超过 10 MB');
  const ext = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const t = TYPES[ext];
  if (!t) throw invalid('只能上传照片（jpg、png）或 PDF', { field: 'name' });
  if (!starts(bytes, t.sig)) throw invalid('文件内容与扩展名不符', { field: 'file', reason: 'disguised' });
  return t.mime;
}

export const cleanName = (name: string) =>
  [...name]
    .map((c) => (c.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(c) ? '_' : c))
    .join('')
    .slice(-120) || 'file';
