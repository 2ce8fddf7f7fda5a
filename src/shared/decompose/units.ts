/** Recognition of named units (市环保局, 县建设局, 妇联 …) on the Simplified copy. */

export type ItemKind = 'unit' | 'generic' | 'bare';

export interface UnitItem {
  name: string;
  start: number;
  end: number;
  kind: ItemKind;
}

export interface UnitList {
  items: UnitItem[];
  /** Named units only (collective subjects removed). */
  units: UnitItem[];
  start: number;
  end: number;
}

const HAN = /\p{Script=Han}/u;
export function isHan(c: string | undefined): boolean {
  return c !== undefined && HAN.test(c);
}

// Longest first. Single-character suffixes are checked against NOT_UNIT below.
const SUFFIXES = [
  '管委会', '委员会', '党工委', '党组织', '红十字会', '工商联', '检察院', '检察机关', '派出所', '开发区', '示范镇',
  '示范村', '办事处', '办公室', '督查室', '工作站', '热电厂', '指挥部', '领导小组', '合作社', '研究院', '研究所',
  '党委', '党组', '政府', '部门', '机关', '公司', '集团', '中心', '总社', '学院', '大学', '中学', '小学', '学校',
  '医院', '银行', '分局', '支队', '大队', '园区', '街道', '社区', '协会', '学会', '商会', '工会', '妇联', '团委',
  '科协', '侨联', '残联', '文联', '法院', '电厂', '党校', '团校', '电视台', '报社',
  '局', '厅', '委', '办', '处', '室', '站', '所', '院', '署', '部', '队', '社', '团', '会', '联', '镇', '乡', '村',
  '厂', '馆',
];

/** Organisations named without a unit suffix. */
const KNOWN = new Set(['人大', '政协', '公安', '共青团', '工商联', '总工会', '纪委', '监委', '人武部', '武装部']);

/** Sector words that name a department after a level prefix (县财政, 市环保). */
const SECTORS = new Set(
  (
    '环保 卫生 建设 规划 财政 教育 农业 水利 交通 公安 城管 工商 质监 国土 民政 人社 文化 旅游 商务 审计 统计 税务 ' +
    '林业 畜牧 科技 经信 发改 住建 司法 气象 粮食 物价 安监 宣传 组织 统战 政法 纪检 监察 信访 体育 文广 广电 交警 ' +
    '消防 国税 地税 药监 市场监管 生态环境 自然资源 应急 医保 卫健 人防 供电 邮政 烟草 扶贫 农机 水务 园林 环卫 ' +
    '房管 经贸 外事 侨务 民宗 法制 计生 老龄 教体 城建 国资 农办 编办'
  ).split(' '),
);

const LEVEL_PREFIX = /^(?:我省|我市|我县|我区|我州|本市|本县|省|市|县|区|州|乡|镇)/;

/** Whole names that are not a specific unit. */
const GENERIC = new Set(
  (
    '部门 单位 政府 党委 党组 党组织 基层党组织 群团组织 群团 人民团体 社会组织 组织 机关 企业 学校 医院 乡镇 城镇 ' +
    '农村 乡村 新农村 社区 村 镇 乡 街道 干部 社会 全社会 大会 机会 全会 内部 全部 局部 格局 大局 布局 全局 当局 ' +
    '场所 城乡 互联 关联 新闻媒体 媒体 团队 梯队 集团 公司 中心 协会 学会 委员会 工作组 领导小组 指挥部 办公室 ' +
    '示范村 示范镇 开发区 园区 热电厂 党校 团校 各处 到处 好处 之处 东部 西部 南部 北部 中部 总部 基层 党政机关 ' +
    '行政机关 国家机关 事业单位 企事业单位 村委会 居委会 村党组织 两委 村两委 党支部 支部 小组 政府部门 农户 ' +
    '中小学 中国小 国小 家庭 合作社 社团 下乡 家乡 回乡 老乡 各乡'
  ).split(' '),
);
const LEVEL_ORGS = /^(?:省|市|县|区|州|镇|乡)(?:委|政府|人大|政协|纪委|监委)$/;

/** Modifiers that make X部门 / X机关 generic. */
const GENERIC_MOD = new Set(
  (
    '职能 主管 执法 业务 牵头 责任 监管 管理 政府 党政 综合 行政 有关 相关 其他 其它 协办 配合 承办 主办 上级 下级 ' +
    '同级 基层 重点 一线 窗口 行业 涉农 涉企 各 各级 各有关 各相关 成员 职能管理 经营管理'
  ).split(' '),
);

const COLLECTIVE_PREFIX =
  /^(?:各有关|各相关|各级|各类|各大|各个|各|有关|相关|其他|其它|其余|所有|全体|广大|一些|部分|少数|全市|全县|全省|全区|全州|全乡|全镇|本级|同级|上级|下级|所属|沿线|这些|那些|该|本|每个|每一)/;

/** Characters that never occur inside a unit name. */
const FUNCTION_CHARS = /[的了是在对要将和与及、等也都把被从向为以其之这那我们你他她它着过就还又再并而或但]/;

function suffixOf(name: string): string | null {
  for (const suf of SUFFIXES) if (name.length > suf.length && name.endsWith(suf)) return suf;
  return null;
}

/** Classify a candidate name. */
export function classifyName(name: string): ItemKind | null {
  if (name.length < 2 || name.length > 14) return null;
  for (const c of name) if (!isHan(c)) return null;
  if (LEVEL_ORGS.test(name)) return 'unit';
  if (GENERIC.has(name) || name.endsWith('单位')) return 'generic';
  const coll = COLLECTIVE_PREFIX.exec(name);
  if (coll) {
    const rest = name.slice(coll[0].length);
    if (rest.length === 0) return null;
    if (GENERIC.has(rest) || classifyName(rest) || suffixOf(rest)) return 'generic';
    return null;
  }
  if (KNOWN.has(name)) return 'unit';
  const lvl = LEVEL_PREFIX.exec(name);
  if (lvl) {
    const rest = name.slice(lvl[0].length);
    if (SECTORS.has(rest) || KNOWN.has(rest)) return 'unit';
  }
  const suf = suffixOf(name);
  if (!suf) return null;
  const stem = name.slice(0, name.length - suf.length);
  if (FUNCTION_CHARS.test(name.slice(1))) return null;
  if (suf === '部门' || suf === '机关') return GENERIC_MOD.has(stem) ? 'generic' : 'unit';
  if (suf.length === 1 && stem.length === 1 && !LEVEL_PREFIX.test(stem) && !SECTORS.has(name.slice(0, 2))) {
    // one-character stems: 团委, 妇联 are listed; reject 社会, 干部, 机会 …
    return /^(?:团|妇|侨|残|文|科|纪|党)$/.test(stem) ? 'unit' : null;
  }
  return 'unit';
}

/** Words that may follow a unit name directly. */
const CONTINUATION =
  /^(?:[、,，(（)）]|和|及|与|以及|同|等|要|必须|务必|须|应|将|也|都|还|一定|在|对|从|于|把|向|为|按照|根据|结合|围绕|通过|今年|明年|年内|每|尽快|抓紧|立即|迅速|进一步|切实|认真|积极|主动|继续|负责|牵头|主管|配合|协助|会同|共同|分别|具体|统一|接管|完成|实施|组织|成立|建立|设立|安排|制定|开展|实行|落实|加强|加大|做好|抓好|搞好|作为|的同志|的负责同志|初审|审批|督促|指导|协调|统筹|承担|清除|拆除|编制|管理|监督|检查|履行|依法|按|于|紧紧|全力|要在|务|即|同志)/;

function continues(s: string, q: number, limit: number): boolean {
  if (q >= limit) return true;
  return CONTINUATION.test(s.slice(q, q + 6));
}

/** Shortest unit/generic name at p followed by a valid continuation. */
function parseNamed(s: string, p: number, limit: number): UnitItem | null {
  const max = Math.min(limit, p + 14);
  for (let q = p + 2; q <= max; q++) {
    if (!isHan(s[q - 1])) break;
    const name = s.slice(p, q);
    const kind = classifyName(name);
    if (kind && continues(s, q, limit)) return { name, start: p, end: q, kind };
  }
  return null;
}

/** A bare sector word in a list (卫生, 建设 in 市环保、卫生、建设等部门). */
function parseBare(s: string, p: number, limit: number): UnitItem | null {
  let q = p;
  while (q < limit && q - p < 6 && isHan(s[q]) && !/[、和及与等]/.test(s[q] as string)) q++;
  if (q - p < 2 || q - p > 6) return null;
  const next = s[q];
  if (next !== '、' && next !== '等' && next !== '和' && next !== '及' && next !== '与') return null;
  const name = s.slice(p, q);
  if (FUNCTION_CHARS.test(name)) return null;
  return { name, start: p, end: q, kind: 'bare' };
}

const LIST_SEP = /^(?:以及|、|和|及|与|,)/;
const TYPED_END = /^等(?:其他|其它)?(?:部门|单位|企业|热电厂|电厂|公司|群团组织|组织|机关|学校|医院|乡镇|人民团体)/;

/** Parse "A、B和C等部门" starting at p; null when no item is recognised. */
export function parseUnitList(s: string, p: number, limit: number): UnitList | null {
  const items: UnitItem[] = [];
  let q = p;
  let typed = false;
  for (;;) {
    const item = parseNamed(s, q, limit) ?? parseBare(s, q, limit);
    if (!item) break;
    items.push(item);
    q = item.end;
    // parenthetical alias: 宣传部(文明办)
    if (s[q] === '(' || s[q] === '（') {
      const inner = parseNamed(s, q + 1, limit);
      if (inner && (s[inner.end] === ')' || s[inner.end] === '）')) {
        items.push(inner);
        q = inner.end + 1;
      }
    }
    const sep = LIST_SEP.exec(s.slice(q, q + 2));
    if (!sep) break;
    // a comma only continues a list of named units (工会, 共青团 …) when a unit follows
    const after = q + sep[0].length;
    const peek = parseNamed(s, after, limit) ?? (sep[0] === ',' ? null : parseBare(s, after, limit));
    if (!peek || (sep[0] === ',' && peek.kind !== 'unit')) break;
    q = after;
  }
  if (items.length === 0) return null;
  const typedEnd = TYPED_END.exec(s.slice(q, q + 8));
  if (typedEnd) {
    typed = true;
    q += typedEnd[0].length;
  } else if (s[q] === '等') q++;
  const last = items.at(-1) as UnitItem;
  const promote = typed || last.name.endsWith('部门');
  const kept = items.filter((it) => it.kind === 'unit' || (it.kind === 'bare' && promote));
  if (items.every((it) => it.kind === 'bare') && !promote) return null;
  return { items, units: kept, start: p, end: q };
}
