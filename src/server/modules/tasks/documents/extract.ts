/**
 * Text out of an uploaded document (.txt in UTF-8/UTF-16/GB18030, .docx, .doc, .xlsx, PDF), and the checks
 * that turn empty, binary, disguised or oversized files into clear errors.
 */
import mammoth from 'mammoth';
import { MAX_DOC_CHARS, MAX_UPLOAD_BYTES } from '../../../../shared/tasks/constants.js';
import { AppError, invalid } from '../../../platform/errors.js';
import { readDoc } from './formats/doc.js';
import { readDocx } from './formats/docx.js';
import { PdfError, readPdf } from './formats/pdf.js';
import { readXlsx } from './formats/xlsx.js';

const starts = (b: Uint8Array, sig: readonly number[]) => sig.every((v, i) => b[i] === v);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF = [0x25, 0x50, 0x44, 0x46];

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

export type DocFormat = 'txt' | 'docx' | 'doc' | 'xlsx' | 'pdf';

const disguised = (what: string) =>
  invalid(`文件内容与扩展名不符：这不是${what}`, { field: 'file', reason: 'disguised' });
const corrupt = (what: string) =>
  invalid(`无法读取该${what}，文件可能已损坏`, { field: 'file', reason: 'corrupt' });

async function docxText(bytes: Uint8Array): Promise<string> {
  try {
    return await readDocx(bytes);
  } catch {
    // not a WordprocessingML package we can read: mammoth's text, without tables
    try {
      return (await mammoth.extractRawText({ buffer: Buffer.from(bytes) })).value;
    } catch {
      throw corrupt(' Word 文档');
    }
  }
}

const tidy = (t: string) => t.replace(/\n{3,}/g, '\n\n');

/**
 * Extracts the text of an uploaded .txt, .docx, .doc, .xlsx or text PDF. Tables come out as
 * lines of tab-separated cells (merged cells repeated), which the decomposition reads as
 * task tables. `notices` tell the user what could not be read as intended.
 */
export async function extractText(
  name: string,
  bytes: Uint8Array,
): Promise<{ text: string; format: DocFormat; notices: string[] }> {
  if (bytes.length === 0) throw invalid('文件为空', { field: 'file', reason: 'empty' });
  if (bytes.length > MAX_UPLOAD_BYTES) throw tooLarge();
  const ext = /\.([a-z0-9]{1,5})$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  const notices: string[] = [];
  if (ext === 'txt' || ext === 'text') {
    if (starts(bytes, ZIP) || starts(bytes, OLE) || starts(bytes, PDF)) throw disguised('文本文件');
    return { text: cleanText(decodeText(bytes)), format: 'txt', notices };
  }
  if (ext === 'docx') {
    if (!starts(bytes, ZIP)) throw disguised(' Word 文档');
    return { text: cleanText(tidy(await docxText(bytes))), format: 'docx', notices };
  }
  if (ext === 'doc') {
    // a .docx saved under the old extension is common: read it as what it is
    if (starts(bytes, ZIP)) {
      notices.push('该 .doc 文件实际是 .docx 格式，已按 .docx 读取');
      return { text: cleanText(tidy(await docxText(bytes))), format: 'docx', notices };
    }
    if (!starts(bytes, OLE)) throw disguised('旧版 Word（.doc）文档');
    let text: string;
    try {
      text = await readDoc(bytes);
    } catch {
      throw corrupt('旧版 Word（.doc）文档（也可能是其他 Office 文件或已加密）');
    }
    return { text: cleanText(tidy(text)), format: 'doc', notices };
  }
  if (ext === 'xlsx') {
    if (!starts(bytes, ZIP)) throw disguised(' Excel 工作簿（.xlsx）');
    let text: string;
    try {
      text = (await readXlsx(bytes)).text;
    } catch {
      throw corrupt(' Excel 工作簿');
    }
    if (text.trim() === '') throw invalid('工作簿中没有内容', { field: 'file', reason: 'empty' });
    return { text: cleanText(tidy(text)), format: 'xlsx', notices };
  }
  if (ext === 'pdf') {
    if (!starts(bytes, PDF)) throw disguised(' PDF 文件');
    try {
      const { text } = await readPdf(bytes);
      notices.push('PDF 的表格按文字位置还原，跨行的单元格可能被拆开，请在审核时核对');
      return { text: cleanText(tidy(text)), format: 'pdf', notices };
    } catch (e) {
      if (e instanceof PdfError && e.reason === 'encrypted')
        throw invalid('PDF 已加密，请先解除密码保护后再上传', { field: 'file', reason: 'encrypted' });
      if (e instanceof PdfError && e.reason === 'scanned')
        throw invalid('PDF 中没有可提取的文字（可能是扫描件），请上传文字版 PDF 或 Word 文档', {
          field: 'file',
          reason: 'scanned',
        });
      if (e instanceof AppError) throw e;
      throw corrupt(' PDF 文件');
    }
  }
  if (ext === 'xls')
    throw invalid('暂不支持旧版 Excel（.xls），请另存为 .xlsx 后上传', { field: 'file', reason: 'xls' });
  throw invalid('只能上传 .txt、.docx、.doc、.xlsx 或 PDF 文档', { field: 'name', reason: 'type' });
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
