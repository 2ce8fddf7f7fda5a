import * as OpenCC from 'opencc-js';
import { pinyin } from 'pinyin-pro';

const t2s = OpenCC.Converter({ from: 'tw', to: 'cn' });

/** Traditional (incl. Taiwan forms) → Simplified, for matching and search. */
export const toSimplified = (s: string): string => t2s(s);

/** Lower-case pinyin initials of a Chinese name: 示范市总工会 → sfszgh. */
export function initials(name: string): string {
  return pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Escapes LIKE wildcards in user input. */
export const likeEscape = (s: string): string => s.replace(/[\\%_]/g, (c) => `\\${c}`);
