/**
 * The columns of the onboarding templates (organization tree, grassroots units, users):
 * Chinese headers, whether required, an example, and the allowed values (written into the
 * .xlsx template as data validation). Pure: the server parses with them, the web lists them.
 */
import { ORG_LEVELS, ORG_TYPES, UNIT_KINDS, UNIT_OWNERSHIP } from '../orgs.js';

export type ImportKind = 'orgs' | 'units' | 'users';

export interface ColumnDef {
  key: string;
  header: string;
  required: boolean;
  example: string;
  /** the values a cell may take (a drop-down list in the template) */
  allowed?: readonly string[];
  note?: string;
  width?: number;
}

const YES_NO = ['是', '否'] as const;

export const ORG_COLUMNS = [
  {
    key: 'code',
    header: '组织编码',
    required: false,
    example: 'ZJK-GH-QD',
    note: '本市自定的唯一编码；再次导入时按编码更新',
    width: 16,
  },
  { key: 'name', header: '组织全称', required: true, example: '桥东区总工会', width: 28 },
  { key: 'shortName', header: '简称', required: false, example: '桥东总工会' },
  { key: 'type', header: '组织类型', required: true, example: '工会', allowed: Object.values(ORG_TYPES) },
  { key: 'level', header: '层级', required: true, example: '县区', allowed: Object.values(ORG_LEVELS) },
  {
    key: 'parent',
    header: '上级组织',
    required: false,
    example: '张家口市总工会',
    note: '上级的组织编码，或名称路径（如 张家口市总工会/桥东区总工会）；上级可在本文件中任意位置',
    width: 36,
  },
  {
    key: 'regionCode',
    header: '行政区划代码',
    required: true,
    example: '130702',
    note: '6/9/12 位，须在本市范围内',
    width: 16,
  },
  { key: 'creditCode', header: '统一社会信用代码', required: false, example: '', width: 22 },
  { key: 'contactName', header: '联系人', required: false, example: '王主席' },
  { key: 'contactPhone', header: '联系电话', required: false, example: '0313-1234567', width: 16 },
  {
    key: 'takesAppeals',
    header: '受理诉求',
    required: false,
    example: '是',
    allowed: YES_NO,
    note: '空：基层单位以上为“是”',
  },
] as const satisfies readonly ColumnDef[];

export const UNIT_COLUMNS = [
  { key: 'name', header: '单位名称', required: true, example: '张家口某某机械有限公司', width: 28 },
  {
    key: 'creditCode',
    header: '统一社会信用代码',
    required: false,
    example: '',
    note: '企业必填；再次导入时按信用代码更新',
    width: 22,
  },
  { key: 'kind', header: '单位类别', required: true, example: '企业', allowed: Object.values(UNIT_KINDS) },
  {
    key: 'ownership',
    header: '所有制',
    required: true,
    example: '非公',
    allowed: Object.values(UNIT_OWNERSHIP),
  },
  { key: 'regionCode', header: '行政区划代码', required: true, example: '130702001', width: 16 },
  {
    key: 'org',
    header: '所属组织',
    required: true,
    example: '桥东区总工会',
    note: '组织编码或名称路径',
    width: 30,
  },
  { key: 'headcount', header: '职工人数', required: false, example: '120' },
  { key: 'address', header: '地址', required: false, example: '', width: 30 },
  {
    key: 'covering',
    header: '已建组织',
    required: false,
    example: '',
    note: '覆盖该单位的组织（编码或名称路径），多个用“、”分隔',
    width: 30,
  },
] as const satisfies readonly ColumnDef[];

export const USER_COLUMNS = [
  {
    key: 'username',
    header: '用户名',
    required: true,
    example: 'qiaodong.union',
    note: '3–40 位小写字母、数字和 . _ -，以字母开头',
    width: 18,
  },
  { key: 'displayName', header: '姓名', required: true, example: '李四' },
  {
    key: 'phone',
    header: '手机号码',
    required: true,
    example: '13800000000',
    note: '一次性密码以短信发送到此号码',
    width: 16,
  },
  {
    key: 'org',
    header: '所属组织',
    required: true,
    example: '桥东区总工会',
    note: '组织编码或名称路径',
    width: 30,
  },
  {
    key: 'roles',
    header: '角色',
    required: true,
    example: '组织管理员',
    note: '角色名称，多个用“、”分隔',
    width: 20,
  },
  { key: 'status', header: '状态', required: false, example: '正常', allowed: ['正常', '停用'] },
] as const satisfies readonly ColumnDef[];

export const COLUMNS: Record<ImportKind, readonly ColumnDef[]> = {
  orgs: ORG_COLUMNS,
  units: UNIT_COLUMNS,
  users: USER_COLUMNS,
};

export const KIND_LABELS: Record<ImportKind, string> = {
  orgs: '组织架构',
  units: '基层单位',
  users: '用户',
};

/** Most data rows one onboarding file may have (a whole city's tree fits; split a larger file). */
export const MAX_ONBOARDING_ROWS = 50_000;
/** Largest accepted onboarding file. */
export const MAX_ONBOARDING_BYTES = 30 * 1024 * 1024;

/** The header as written in the template: required columns carry a leading *. */
export const headerText = (c: ColumnDef) => (c.required ? `*${c.header}` : c.header);

/**
 * Maps a header row to column positions: a leading * and surrounding spaces are ignored;
 * a required column missing (or renamed) is an error for the whole file, naming it.
 */
export function mapColumns(
  cols: readonly ColumnDef[],
  cells: readonly string[],
): { index: Record<string, number> } | { missing: string[]; unknown: string[] } {
  const pos = new Map<string, number>();
  cells.forEach((c, i) => {
    const h = c.trim().replace(/^[*＊]\s*/, '');
    if (h && !pos.has(h)) pos.set(h, i);
  });
  const index: Record<string, number> = {};
  const missing: string[] = [];
  for (const c of cols) {
    const i = pos.get(c.header);
    if (i === undefined) {
      if (c.required) missing.push(c.header);
      index[c.key] = -1;
    } else index[c.key] = i;
  }
  const known = new Set(cols.map((c) => c.header));
  const unknown = [...pos.keys()].filter((h) => !known.has(h));
  return missing.length > 0 ? { missing, unknown } : { index };
}

/** The code of a label (or of a code given as is), else null. */
export function codeOfLabel<T extends Record<string, string>>(dict: T, value: string): keyof T | null {
  const v = value.trim();
  if (v in dict) return v as keyof T;
  for (const [k, label] of Object.entries(dict)) if (label === v) return k as keyof T;
  return null;
}

/** Splits a name path 「a/b/c」 (also ／ and ＞ >) into its names. */
export const splitPath = (s: string) =>
  s
    .split(/\s*[/／>＞]\s*/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Splits a list cell 「a、b,c」. */
export const splitList = (s: string) =>
  s
    .split(/[、,，;；]/)
    .map((x) => x.trim())
    .filter(Boolean);
