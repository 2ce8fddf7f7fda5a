/**
 * Streaming CSV (RFC 4180) in UTF-8 (with or without BOM) or GB18030/GBK (what Excel saves
 * on Chinese Windows). Never holds more than one row: a cell longer than `maxCell` is cut
 * and flagged, so a 200-MB cell costs no memory.
 */

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export interface CsvRow {
  cells: string[];
  /** a cell was longer than maxCell, or the row had more than maxCells cells */
  oversize: boolean;
}

/** Picks the decoder from the first bytes: BOM or valid UTF-8 → UTF-8, otherwise GB18030. */
function decoderFor(first: Uint8Array): TextDecoder {
  if (first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf)
    return new TextDecoder('utf-8', { ignoreBOM: false });
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(first.subarray(0, 64 * 1024), { stream: true });
    return new TextDecoder('utf-8');
  } catch {
    return new TextDecoder('gb18030');
  }
}

export async function* parseCsv(
  input: AsyncIterable<Uint8Array>,
  opts: { maxCell: number; maxCells?: number },
): AsyncGenerator<CsvRow> {
  const maxCells = opts.maxCells ?? 200;
  let decoder: TextDecoder | undefined;
  let row: string[] = [];
  let field = '';
  let oversize = false;
  // 0 field start, 1 unquoted, 2 quoted, 3 quote seen inside quoted
  let state = 0;

  const append = (s: string) => {
    if (field.length + s.length > opts.maxCell) {
      oversize = true;
      field = (field + s.slice(0, opts.maxCell + 1 - field.length)).slice(0, opts.maxCell + 1);
    } else field += s;
  };
  const endField = () => {
    if (row.length < maxCells) row.push(field);
    else oversize = true;
    field = '';
  };

  for await (const chunk of input) {
    decoder ??= decoderFor(chunk);
    const str = decoder.decode(chunk, { stream: true });
    const n = str.length;
    let start = 0;
    for (let i = 0; i < n; i++) {
      const c = str.charCodeAt(i);
      if (state === 1) {
        if (c === COMMA) {
          append(str.slice(start, i));
          endField();
          state = 0;
        } else if (c === LF) {
          append(str.slice(start, i));
          if (field.endsWith('\r')) field = field.slice(0, -1);
          endField();
          yield { cells: row, oversize };
          row = [];
          oversize = false;
          state = 0;
        }
      } else if (state === 0) {
        if (c === QUOTE) {
          state = 2;
          start = i + 1;
        } else if (c === COMMA) endField();
        else if (c === LF) {
          endField();
          yield { cells: row, oversize };
          row = [];
          oversize = false;
        } else if (c !== CR) {
          state = 1;
          start = i;
        }
      } else if (state === 2) {
        if (c === QUOTE) {
          append(str.slice(start, i));
          state = 3;
        }
      } else if (c === QUOTE) {
        append('"');
        start = i + 1;
        state = 2;
      } else if (c === COMMA) {
        endField();
        state = 0;
      } else if (c === LF) {
        endField();
        yield { cells: row, oversize };
        row = [];
        oversize = false;
        state = 0;
      } else if (c !== CR) {
        // text after a closing quote: kept as it is
        append(String.fromCharCode(c));
        state = 1;
        start = i + 1;
      }
    }
    if (state === 1 || state === 2) append(str.slice(start));
  }
  if (decoder) {
    const rest = decoder.decode();
    if (rest && (state === 1 || state === 2)) append(rest);
  }
  if (state !== 0 || field !== '' || row.length > 0) {
    if (field.endsWith('\r')) field = field.slice(0, -1);
    endField();
    yield { cells: row, oversize };
  }
}

/** Counts records (lines outside quotes) by scanning bytes: fast, whatever the encoding. */
export async function countCsvRows(input: AsyncIterable<Uint8Array>): Promise<number> {
  let rows = 0;
  let quoted = false;
  let last = LF;
  for await (const chunk of input) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === QUOTE) quoted = !quoted;
      else if (c === LF && !quoted) rows++;
    }
    if (chunk.length > 0) last = chunk[chunk.length - 1]!;
  }
  return last === LF ? rows : rows + 1;
}
