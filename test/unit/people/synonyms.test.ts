import { describe, expect, it } from 'vitest';
import { IMPORT_COLUMNS, mapHeader, parseImportRow } from '../../../src/shared/people/importColumns.js';
import { foldCell, normalizeChoice } from '../../../src/shared/people/synonyms.js';
import { newIdNumber } from '../../integration/people/helpers.js';

const EDU = ['小学及以下', '初中', '高中/中专', '大专', '本科', '硕士研究生', '博士研究生'];

describe('foldCell', () => {
  it('folds width, spacing, Traditional and case', () => {
    expect(foldCell('　高 中\t')).toBe('高中');
    expect(foldCell('ＡＢＣ１２')).toBe('abc12');
    expect(foldCell('婦女')).toBe('妇女');
    expect(foldCell('碩士')).toBe('硕士');
  });
});

describe('normalizeChoice', () => {
  it('keeps a standard value unchanged and unreported', () => {
    expect(normalizeChoice('education', '本科', EDU)).toEqual({ value: '本科' });
  });
  it('reads synonyms and spelling variants, and says what it changed', () => {
    expect(normalizeChoice('education', '高中', EDU)).toEqual({ value: '高中/中专', changedFrom: '高中' });
    expect(normalizeChoice('education', ' 中专 ', EDU)).toEqual({ value: '高中/中专', changedFrom: '中专' });
    expect(normalizeChoice('education', '碩士', EDU)).toEqual({ value: '硕士研究生', changedFrom: '碩士' });
    expect(normalizeChoice('education', '本 科', EDU)).toEqual({ value: '本科', changedFrom: '本 科' });
    expect(normalizeChoice('groups', '女性', ['妇女', '职工'])).toEqual({
      value: '妇女',
      changedFrom: '女性',
    });
    expect(normalizeChoice('groups', '婦女', ['妇女', '职工'])).toEqual({
      value: '妇女',
      changedFrom: '婦女',
    });
  });
  it('refuses what it cannot read, and a synonym whose target the dictionary lacks', () => {
    expect(normalizeChoice('education', '幼儿园大班', EDU)).toEqual({ value: null });
    expect(normalizeChoice('groups', '女性', ['职工'])).toEqual({ value: null });
    expect(normalizeChoice('education', '', EDU)).toEqual({ value: null });
  });
});

describe('parseImportRow with synonyms', () => {
  const header = IMPORT_COLUMNS.map((c) => c.header);
  const mapped = mapHeader(header);
  if (!('index' in mapped)) throw new Error('header');
  const ID = newIdNumber(30, true);
  const row = (over: Record<string, string>) =>
    header.map((h) => over[h] ?? (h === '姓名' ? '李丽' : h === '身份证号' ? ID : ''));
  it('a realistic first file (人员类别 女性, 学历 高中) imports, each change reported', () => {
    const r = parseImportRow(
      row({ 人员类别: '女性、职工', 学历: '高中', 政治面貌: '党员', 性别: '女性' }),
      mapped.index,
      new Date(),
    );
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.row.groups).toEqual(['woman', 'worker']);
    expect(r.row.education).toBe('senior');
    expect(r.row.politicalStatus).toBe('cpc');
    expect(r.row.gender).toBe('F');
    expect(r.row.normalized).toEqual(
      expect.arrayContaining([
        { column: '人员类别', from: '女性', to: '妇女' },
        { column: '学历', from: '高中', to: '高中/中专' },
        { column: '政治面貌', from: '党员', to: '中共党员' },
        { column: '性别', from: '女性', to: '女' },
      ]),
    );
  });
  it('standard values report nothing; unknown ones still fail with the allowed values', () => {
    const ok = parseImportRow(row({ 学历: '本科', 人员类别: '职工' }), mapped.index, new Date());
    expect(ok.ok && ok.row.normalized).toEqual([]);
    const bad = parseImportRow(row({ 学历: '幼儿园' }), mapped.index, new Date());
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors[0]!.message).toContain('高中/中专');
  });
});
