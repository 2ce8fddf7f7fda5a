/**
 * The columns of the person import template (Chinese headers) and the pure parsing of one
 * row into a person and a membership. Organization, employer and eligibility checks need
 * the database and are done by the server.
 */
import { isYmd } from '../calendar/ymd.js';
import {
  codeOf,
  DISABILITY_CATEGORIES,
  type DisabilityCategory,
  EDUCATION,
  type Education,
  GENDERS,
  type Gender,
  HARDSHIP_LEVELS,
  type HardshipLevel,
  MEMBERSHIP_ROLES,
  type MembershipRole,
  normalizeEthnicity,
  PERSON_GROUPS,
  type PersonGroup,
  POLITICAL_STATUS,
  type PoliticalStatus,
} from './dicts.js';
import { checkIdentity, checkPhone } from './identity.js';
import { normalizeChoice, type SynonymField } from './synonyms.js';

export const IMPORT_COLUMNS = [
  { key: 'name', header: '姓名', required: true, example: '张三' },
  { key: 'idNumber', header: '身份证号', required: true, example: '130702199001010018' },
  { key: 'gender', header: '性别', required: false, example: '男' },
  { key: 'birthDate', header: '出生日期', required: false, example: '1990-01-01' },
  { key: 'phone', header: '手机号码', required: false, example: '13800000000' },
  { key: 'ethnicity', header: '民族', required: false, example: '汉族' },
  { key: 'education', header: '学历', required: false, example: '本科' },
  { key: 'politicalStatus', header: '政治面貌', required: false, example: '群众' },
  { key: 'frontline', header: '一线职工', required: false, example: '是' },
  { key: 'groups', header: '人员类别', required: false, example: '职工、青年' },
  { key: 'disabilityCategory', header: '残疾类别', required: false, example: '' },
  { key: 'disabilityGrade', header: '残疾等级', required: false, example: '' },
  { key: 'hardshipLevel', header: '困难程度', required: false, example: '' },
  { key: 'employer', header: '工作单位信用代码', required: false, example: '' },
  { key: 'regionCode', header: '现住址区划代码', required: false, example: '' },
  { key: 'address', header: '详细地址', required: false, example: '' },
  { key: 'org', header: '所属组织', required: false, example: '' },
  { key: 'role', header: '会籍身份', required: false, example: '会员' },
  { key: 'joinedOn', header: '入会日期', required: false, example: '2024-05-01' },
] as const;
export type ImportKey = (typeof IMPORT_COLUMNS)[number]['key'];
export const IMPORT_HEADERS: string[] = IMPORT_COLUMNS.map((c) => c.header);

/** Longest accepted cell, in characters (a longer cell rejects its row, it is never stored). */
export const MAX_CELL_CHARS = 500;
/** Most data rows one file may have. */
export const MAX_IMPORT_ROWS = 1_000_000;
/** Largest accepted file. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;

export interface RowError {
  column: string | null;
  message: string;
}

export interface ParsedRow {
  name: string;
  idNumber: string;
  gender: Gender;
  birthDate: string;
  phone: string | null;
  ethnicity: string | null;
  education: Education | null;
  politicalStatus: PoliticalStatus | null;
  frontline: boolean;
  groups: PersonGroup[];
  disabilityCategory: DisabilityCategory | null;
  disabilityGrade: number | null;
  hardshipLevel: HardshipLevel | null;
  employer: string | null;
  regionCode: string | null;
  address: string | null;
  org: string;
  role: MembershipRole | null;
  joinedOn: string | null;
  /** cells written another way and read as a standard value (女性 → 妇女), for the import's report */
  normalized: { column: string; from: string; to: string }[];
}

/**
 * Maps a header row to column positions. Unknown headers are ignored; a missing required
 * header is an error for the whole file.
 */
export function mapHeader(
  cells: readonly string[],
): { index: Record<ImportKey, number> } | { missing: string[] } {
  const pos = new Map(cells.map((c, i) => [c.trim().replace(/^\*/, ''), i]));
  const index = {} as Record<ImportKey, number>;
  const missing: string[] = [];
  for (const c of IMPORT_COLUMNS) {
    const i = pos.get(c.header);
    if (i === undefined) {
      if (c.required) missing.push(c.header);
      index[c.key] = -1;
    } else index[c.key] = i;
  }
  return missing.length > 0 ? { missing } : { index };
}

const YES = new Set(['是', 'Y', 'y', '1', 'true', 'TRUE', '√']);
const NO = new Set(['否', 'N', 'n', '0', 'false', 'FALSE', '']);

const HEADER_OF = Object.fromEntries(IMPORT_COLUMNS.map((c) => [c.key, c.header])) as Record<
  ImportKey,
  string
>;
const KEYS = IMPORT_COLUMNS.map((c) => c.key);

type Notes = ParsedRow['normalized'];

/** The dictionary's code of a cell, read through the column's synonyms (each change noted). */
function choose<T extends Record<string, string>>(
  notes: Notes,
  k: ImportKey & SynonymField,
  value: string,
  d: T,
): keyof T | null {
  const n = normalizeChoice(k, value, [...Object.values(d), ...Object.keys(d)]);
  if (n.value === null) return null;
  if (n.changedFrom !== undefined) {
    const code = codeOf(d, n.value);
    const label = code === null ? n.value : d[code];
    if (label !== value.trim()) notes.push({ column: HEADER_OF[k], from: n.changedFrom, to: String(label) });
  }
  return codeOf(d, n.value);
}

function dictCode<T extends Record<string, string>>(
  errors: RowError[],
  k: ImportKey & SynonymField,
  value: string,
  d: T,
  what: string,
  notes: Notes,
): keyof T | null {
  if (!value) return null;
  const code = choose(notes, k, value, d);
  if (!code)
    errors.push({ column: HEADER_OF[k], message: `${what}不正确，可选：${Object.values(d).join('、')}` });
  return code;
}

/** Parses one data row; `now` bounds birth dates. Never puts a cell's value into a message. */
export function parseImportRow(
  cells: readonly string[],
  index: Record<ImportKey, number>,
  now: Date,
): { ok: true; row: ParsedRow } | { ok: false; errors: RowError[] } {
  const errors: RowError[] = [];
  const v = {} as Record<ImportKey, string>;
  for (const k of KEYS) {
    const i = index[k];
    const s = i < 0 ? '' : (cells[i] ?? '').trim();
    if (s.length > MAX_CELL_CHARS)
      errors.push({ column: HEADER_OF[k], message: `内容过长（超过${MAX_CELL_CHARS}字）` });
    v[k] = s;
  }
  if (errors.length > 0) return { ok: false, errors };
  const cell = (k: ImportKey): string => v[k];
  const notes: Notes = [];
  const err = (k: ImportKey, message: string) => {
    errors.push({ column: HEADER_OF[k], message });
  };

  const name = cell('name');
  if (!name) err('name', '姓名不能为空');
  else if (name.length > 50 && [...name].length > 50) err('name', '姓名过长（最多50字）');

  let gender: Gender | null = null;
  if (cell('gender')) {
    gender = choose(notes, 'gender', cell('gender'), GENDERS);
    if (!gender) err('gender', '性别应为“男”或“女”');
  }
  let birthDate: string | null = null;
  if (cell('birthDate')) {
    const v = cell('birthDate')
      .replace(/[./年月]/g, '-')
      .replace(/日$/, '');
    const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
    birthDate = m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : null;
    if (!birthDate || !isYmd(birthDate)) err('birthDate', '出生日期格式不正确（如 1990-01-01）');
  }
  let identity: { idNumber: string; birthDate: string; gender: Gender } | null = null;
  if (!cell('idNumber')) err('idNumber', '身份证号不能为空');
  else {
    const r = checkIdentity(cell('idNumber'), { birthDate, gender }, now);
    if (r.ok) identity = r.value;
    else
      err(
        r.message.startsWith('出生') ? 'birthDate' : r.message.startsWith('性别') ? 'gender' : 'idNumber',
        r.message,
      );
  }
  let phone: string | null = null;
  if (cell('phone')) {
    const r = checkPhone(cell('phone'));
    if (r.ok) phone = r.value;
    else err('phone', r.message);
  }
  let ethnicity: string | null = null;
  if (cell('ethnicity')) {
    ethnicity = normalizeEthnicity(cell('ethnicity'));
    if (!ethnicity) err('ethnicity', '民族名称不正确');
  }
  const education = dictCode(errors, 'education', v.education, EDUCATION, '学历', notes);
  const politicalStatus = dictCode(
    errors,
    'politicalStatus',
    v.politicalStatus,
    POLITICAL_STATUS,
    '政治面貌',
    notes,
  );
  const disabilityCategory = dictCode(
    errors,
    'disabilityCategory',
    v.disabilityCategory,
    DISABILITY_CATEGORIES,
    '残疾类别',
    notes,
  );
  const hardshipLevel = dictCode(
    errors,
    'hardshipLevel',
    v.hardshipLevel,
    HARDSHIP_LEVELS,
    '困难程度',
    notes,
  );
  const role = dictCode(errors, 'role', v.role, MEMBERSHIP_ROLES, '会籍身份', notes);

  let frontline = false;
  if (YES.has(cell('frontline'))) frontline = true;
  else if (!NO.has(cell('frontline'))) err('frontline', '一线职工应填“是”或“否”');

  const groups: PersonGroup[] = [];
  for (const g of cell('groups')
    .split(/[、,，;；\s]+/)
    .filter(Boolean)) {
    const code = choose(notes, 'groups', g, PERSON_GROUPS);
    if (!code) err('groups', `人员类别“${g.slice(0, 20)}”不存在`);
    else if (!groups.includes(code)) groups.push(code);
  }
  let disabilityGrade: number | null = null;
  if (cell('disabilityGrade')) {
    const g = cell('disabilityGrade').replace(/^([一二三四])级$/, (_, c: string) =>
      String('一二三四'.indexOf(c) + 1),
    );
    disabilityGrade = /^[1-4]$/.test(g) ? Number(g) : null;
    if (disabilityGrade === null) err('disabilityGrade', '残疾等级应为一级至四级');
  }
  if (
    groups.includes('disabled') !== !!disabilityCategory ||
    !!disabilityCategory !== (disabilityGrade !== null)
  )
    err('disabilityCategory', '残疾人须同时填写残疾类别和等级，非残疾人不填');
  if (groups.includes('hardship_worker') !== !!hardshipLevel)
    err('hardshipLevel', '困难职工须填写困难程度，其他人员不填');

  const employer = cell('employer') ? cell('employer').toUpperCase() : null;
  if (employer && !/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(employer))
    err('employer', '工作单位信用代码应为18位统一社会信用代码');
  const regionCode = cell('regionCode') || null;
  if (regionCode && !/^\d{12}$/.test(regionCode)) err('regionCode', '区划代码应为12位数字');
  const org = cell('org');
  let joinedOn: string | null = null;
  if (cell('joinedOn')) {
    joinedOn = cell('joinedOn').replace(/[./]/g, '-');
    if (!isYmd(joinedOn)) err('joinedOn', '入会日期格式不正确（如 2024-05-01）');
  }
  if (errors.length > 0 || !identity) return { ok: false, errors };
  return {
    ok: true,
    row: {
      name,
      idNumber: identity.idNumber,
      gender: identity.gender,
      birthDate: identity.birthDate,
      phone,
      ethnicity,
      education: education as Education | null,
      politicalStatus: politicalStatus as PoliticalStatus | null,
      frontline,
      groups,
      disabilityCategory: disabilityCategory as DisabilityCategory | null,
      disabilityGrade,
      hardshipLevel: hardshipLevel as HardshipLevel | null,
      employer,
      regionCode,
      address: cell('address') || null,
      org,
      role: role as MembershipRole | null,
      joinedOn,
      normalized: notes,
    },
  };
}
