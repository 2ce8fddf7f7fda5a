/** Quantitative targets (≥ 95%, 3万吨, 200个村 …) as written. */

const CMP = '(?:不少于|不低于|不超过|不高于|达到|超过|提高到|降低到|控制在|≥|≤|>|<|＞|＜)';
const UNIT =
  '(?:%|％|‰|个百分点|个(?:行政村|村|乡镇|镇|乡|社区|企业|项目|专案|单位|学校|网点|点|站|中心|基地|园区|工程|小区)?|家|名|人次|人|户|万吨|吨|亩|公顷|公里|千米|平方公里|平方米|立方米|米|所|座|套|条|辆|台|项|亿元|万元|元|株|只|头|次|批|期|场|处|间|张|件|栋|眼|口|千瓦|兆瓦|床|村|镇|校)';
const ARABIC = '\\d+(?:\\.\\d+)?';
const CN_NUM = '[一二两三四五六七八九十百千]+';
const MAG = '(?:万|亿|千|百)?';
const TAIL = '(?:以上|以下|左右|以内)?';

// Arabic numbers always count; Chinese numerals need a comparison word, a magnitude or a tail.
const TARGET_RE = new RegExp(
  [
    `${CMP}?\\s*${ARABIC}\\s*${MAG}${UNIT}${TAIL}`,
    `${CMP}\\s*${CN_NUM}${MAG}${UNIT}${TAIL}`,
    `${CN_NUM}(?:万|亿)${UNIT}${TAIL}`,
    `${CN_NUM}${UNIT}(?:以上|以下|左右)`,
  ].join('|'),
  'g',
);

export interface TargetHit {
  start: number;
  end: number;
}

/** Target spans in s[from, to). */
export function findTargets(s: string, from: number, to: number): TargetHit[] {
  const out: TargetHit[] = [];
  const seg = s.slice(from, to);
  TARGET_RE.lastIndex = 0;
  for (let m = TARGET_RE.exec(seg); m; m = TARGET_RE.exec(seg)) {
    if (m[0].length === 0) {
      TARGET_RE.lastIndex++;
      continue;
    }
    const start = from + m.index;
    // a year-like number (1998年) never reaches here; skip list ordinals like "1、"
    out.push({ start, end: start + m[0].length });
  }
  return out;
}
