/**
 * Chinese search without a word segmenter: text (already Simplified and lower-cased) is
 * indexed as the set of its CJK character bigrams; a query
 * term matches rows containing all its bigrams, then the exact substring is rechecked.
 */

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/** Splits text into runs of CJK characters. */
function cjkRuns(text: string): string[] {
  const runs: string[] = [];
  let cur = '';
  for (const ch of text) {
    if (CJK.test(ch)) cur += ch;
    else if (cur) {
      runs.push(cur);
      cur = '';
    }
  }
  if (cur) runs.push(cur);
  return runs;
}

/** The index tokens of a text: its unique CJK bigrams. */
export function indexGrams(text: string): string[] {
  const out = new Set<string>();
  for (const run of cjkRuns(text)) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
  }
  return [...out];
}

/** Query terms: whitespace/punctuation separated, lower-cased, at most 8. */
export function queryTerms(q: string): string[] {
  return [
    ...new Set(
      q
        .toLowerCase()
        .split(/[\s,，。、;；:：!！?？"'“”‘’()（）[\]【】]+/)
        .filter(Boolean),
    ),
  ].slice(0, 8);
}

/**
 * The bigrams every matching row must contain. Terms of one character (or without CJK)
 * add nothing here and are matched by the substring recheck alone.
 */
export function queryGrams(terms: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of terms) {
    const runs = cjkRuns(t);
    for (const run of runs) {
      const chars = [...run];
      for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i]! + chars[i + 1]!);
    }
  }
  return [...out];
}

/**
 * The status of an appeal as an index token ('~handling'), kept in the same array as the
 * bigrams, so that a search with a status filter is one index lookup.
 */
export const statusToken = (status: string) => `~${status}`;

/** China Standard Time has no daylight saving: months are cut at UTC+8. */
const CST_MS = 8 * 3600_000;

/**
 * The month an appeal was taken in (Asia/Shanghai) as an index token ('@2026-05'), kept in
 * `search_grams` too: a search with many matches looks at the newest months first, in the
 * index, instead of reading every match to sort them by time.
 */
export const monthToken = (at: Date) => `@${new Date(at.getTime() + CST_MS).toISOString().slice(0, 7)}`;

/** The month tokens of the `n` months up to and including the month of `at`, newest first. */
export function monthTokens(at: Date, n: number): string[] {
  const d = new Date(at.getTime() + CST_MS);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const m = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - i, 1));
    out.push(`@${m.toISOString().slice(0, 7)}`);
  }
  return out;
}
