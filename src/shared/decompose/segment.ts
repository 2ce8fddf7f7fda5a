/** Spans over the simplified copy (same indices as the original text). */
export interface Span {
  start: number;
  end: number;
}

export interface Sentence extends Span {
  para: number;
  clauses: Span[];
}

const SENTENCE_END = new Set(['。', '!', '?', ';', '…']);
const CLAUSE_END = new Set([',', ':', '，', '：']);

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\u3000' || c === '\u00a0';
}

/** Trim whitespace at both ends of a span. */
export function trimSpan(s: string, start: number, end: number): Span {
  let a = start;
  let b = end;
  while (a < b && isSpace(s[a])) a++;
  while (b > a && isSpace(s[b - 1])) b--;
  return { start: a, end: b };
}

/** Paragraphs are lines; sentences end at 。!?; and clauses at , and :. */
export function segment(s: string): Sentence[] {
  const out: Sentence[] = [];
  let para = 0;
  let sentStart = 0;
  let clauseStart = 0;
  let clauses: Span[] = [];
  const flushClause = (end: number) => {
    const c = trimSpan(s, clauseStart, end);
    if (c.end > c.start) clauses.push(c);
  };
  const flushSentence = (end: number) => {
    flushClause(end);
    const t = trimSpan(s, sentStart, end);
    if (t.end > t.start && clauses.length > 0) out.push({ start: t.start, end: t.end, para, clauses });
    clauses = [];
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\n') {
      flushSentence(i);
      para++;
      sentStart = clauseStart = i + 1;
    } else if (SENTENCE_END.has(c)) {
      // keep closing quotes with the sentence
      let j = i + 1;
      while (j < s.length && (s[j] === '”' || s[j] === '"' || SENTENCE_END.has(s[j] as string))) j++;
      flushSentence(i);
      sentStart = clauseStart = j;
      i = j - 1;
    } else if (CLAUSE_END.has(c)) {
      flushClause(i);
      clauseStart = i + 1;
    }
  }
  flushSentence(s.length);
  return out;
}
