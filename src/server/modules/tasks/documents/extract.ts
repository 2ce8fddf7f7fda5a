/**
 * Text out of an uploaded document (.txt in UTF-8/UTF-16/GB18030, .docx), and the checks
 * that turn empty, binary, disguised or oversized files into clear errors.
 */
import mammoth from 'mammoth';
import { MAX_DOC_CHARS, MAX_UPLOAD_BYTES } from '../../../../shared/tasks/constants.js';
import { AppError, invalid } from '../../../platform/errors.js';

const starts = (b: Uint8Array, sig: readonly number[]) => sig.every((v, i) => b[i] === v);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function tooLarge(): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `文件不能超过 ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`);
}

/** Normalizes pasted or extracted text and rejects what is not a document's text. */
export function cleanText(raw: string): string {
  const text = raw
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+\n/g, '\n');
  if (text.trim() === '') throw invalid('文档内容为空', { field: 'body', reason: 'empty' });
  if (text.length > MAX_DOC_CHARS)
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `文档过长（${text.length} 字），单个文档不能超过 ${MAX_DOC_CHARS} 字，请拆分后分别录入`,
      {
        field: 'body',
        chars: text.length,
      },
    );
  // control characters (other than tab and newline) and replacement characters mean binary content
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10) || c === 0xfffd) bad++;
  }
  if (bad > Math.max(8, text.length / 200))
    throw invalid('内容不是文本（可能是二进制文件）', { field: 'body', reason: 'binary' });
  return text;
}

function decodeText(bytes: Uint8Array): string {
  if (starts(bytes, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (starts(bytes, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  if (bytes.includes(0))
    throw invalid('文件不是文本文件（含有二进制内容）', { field: 'file', reason: 'binary' });
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // not UTF-8: the other encoding Chinese offices write plain text in
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** Extracts the text of an uploaded .txt or .docx. */
export async function extractText(
  name: string,
  bytes: Uint8Array,
): Promise<{ text: string; format: 'txt' | 'docx' }> {
  if (bytes.length === 0) throw invalid('文件为空', { field: 'file', reason: 'empty' });
  if (bytes.length > MAX_UPLOAD_BYTES) throw tooLarge();
  const ext = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  if (ext === 'txt' || ext === 'text') {
    if (starts(bytes, ZIP) || starts(bytes, OLE) || starts(bytes, [0x25, 0x50, 0x44, 0x46]))
      throw invalid('文件内容与扩展名不符：这不是文本文件', { field: 'file', reason: 'disguised' });
    return { text: cleanText(decodeText(bytes)), format: 'txt' };
  }
  if (ext === 'docx') {
    if (!starts(bytes, ZIP))
      throw invalid('文件内容与扩展名不符：这不是 Word 文档', { field: 'file', reason: 'disguised' });
    let value: string;
    try {
      value = (await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value;
    } catch {
      throw invalid('无法读取该 Word 文档，文件可能已损坏', { field: 'file', reason: 'corrupt' });
    }
    return { text: cleanText(value.replace(/\n{3,}/g, '\n\n')), format: 'docx' };
  }
  if (ext === 'doc')
    throw invalid('暂不支持旧版 Word（.doc）文档，请另存为 .docx 后上传', { field: 'file', reason: 'doc' });
  throw invalid('只能上传 .txt 或 .docx 文档', { field: 'name', reason: 'type' });
}

const ATTACHMENT: Record<string, { mime: string; check: (b: Uint8Array) => boolean }> = {
  jpg: { mime: 'image/jpeg', check: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  jpeg: { mime: 'image/jpeg', check: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  png: { mime: 'image/png', check: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47]) },
  pdf: { mime: 'application/pdf', check: (b) => starts(b, [0x25, 0x50, 0x44, 0x46]) },
  docx: {
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    check: (b) => starts(b, ZIP),
  },
  xlsx: {
    mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    check: (b) => starts(b, ZIP),
  },
  doc: { mime: 'application/msword', check: (b) => starts(b, OLE) },
  xls: { mime: 'application/vnd.ms-excel', check: (b) => starts(b, OLE) },
  txt: { mime: 'text/plain; charset=utf-8', check: (b) => !b.includes(0) },
};

/** Checks a progress report's attachment: known type, content matching the extension. */
export function checkAttachment(name: string, bytes: Uint8Array): string {
  const ext = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const t = ATTACHMENT[ext];
  if (!t) throw invalid('附件只能是图片（jpg、png）、PDF、Word、Excel 或文本文件', { field: 'name' });
  if (!t.check(bytes)) throw invalid('文件内容与扩展名不符', { field: 'file', reason: 'disguised' });
  return t.mime;
}
