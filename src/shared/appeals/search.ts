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
