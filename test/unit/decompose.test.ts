import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type DecomposeResult,
  decompose,
  resolveDeadline,
  toSimplified,
} from '../../src/shared/decompose/index';
import {
  GOALS,
  type GoldDoc,
  headingKey,
  locateQuote,
  overallScore,
  scoreSpeech,
  unitsMatch,
  unmetGoals,
} from '../../src/shared/decompose/score';

const DATE = '2024-03-15';

function run(text: string): DecomposeResult {
  return decompose(text, { date: DATE });
}

/** Every span must point at its own text in the original. */
function expectOffsets(text: string, r: DecomposeResult) {
  for (const h of r.headings) expect(text.slice(h.start, h.end)).toBe(h.text);
  for (const t of r.tasks) {
    expect(text.slice(t.start, t.end)).toBe(t.text);
    for (const u of [...t.lead, ...t.co]) expect(text).toContain(u);
  }
}

describe('toSimplified', () => {
  it('keeps the length and converts Traditional unit names', () => {
    const t = '縣建設局要在六月底前完成，市總工會協助。';
    const s = toSimplified(t);
    expect(s).toHaveLength(t.length);
    expect(s).toBe('县建设局要在六月底前完成,市总工会协助。');
  });

  it('keeps surrogate pairs and positions', () => {
    const t = `𠀀市環保局要加強監管${'資訊網路'.repeat(3000)}\n𠀋縣財政局`;
    const s = toSimplified(t);
    expect(s).toHaveLength(t.length);
    expect(s.indexOf('县财政局')).toBe(t.indexOf('縣財政局'));
  });
});

describe('outline', () => {
  it('finds 一、 as level 1 and (一) / 一是 under it (Simplified)', () => {
    const text = [
      '同志们:',
      '下面我讲两点意见。',
      '一、统一思想,提高认识',
      '(一)充分认识重要意义。这是前提。',
      '(二)准确把握目标要求。',
      '二、突出重点,狠抓落实',
      '一是抓好规划。二是抓好建设。',
    ].join('\n');
    const r = run(text);
    expectOffsets(text, r);
    expect(r.headings.filter((h) => h.level === 1).map((h) => h.text)).toEqual([
      '一、统一思想,提高认识',
      '二、突出重点,狠抓落实',
    ]);
    expect(r.headings.filter((h) => h.level === 2).map((h) => h.text)).toEqual([
      '(一)充分认识重要意义',
      '(二)准确把握目标要求',
      '一是抓好规划',
      '二是抓好建设',
    ]);
  });

  it('ranks 第一個問題 above 一、 and cuts the heading at a space before running text (Traditional)', () => {
    const text = [
      '第一個問題,正視現實,深化認識。',
      '一是領導認識還不到位。',
      '二是環境質量不容樂觀。',
      '第二個問題 ,明確任務,落實措施。',
      '一、突出治理重點 當前汙染源仍然較多。',
      '二、完善基礎設施。',
    ].join('\n');
    const r = run(text);
    expectOffsets(text, r);
    const l1 = r.headings.filter((h) => h.level === 1).map((h) => h.text);
    expect(l1).toEqual(['第一個問題,正視現實,深化認識', '第二個問題 ,明確任務,落實措施']);
    const l2 = r.headings.filter((h) => h.level === 2).map((h) => h.text);
    expect(l2).toContain('一、突出治理重點');
    expect(l2).toContain('二是環境質量不容樂觀');
  });

  it('reads 首先 / 其次 / 第三 as the top level over nested 第一 / 第二', () => {
    const text = [
      '首先,談一談個人的感受。感覺很好。',
      '其次,談一談對今年工作的認識。原因有三:',
      '第一,今年是開局之年。',
      '第二,今年是關鍵之年。',
      '第三,今年要求更高。',
      '第三,講一講抓好工作的要求。',
      '(一)要完善思路抓落實。',
      '(二)要強化責任抓落實。',
    ].join('\n');
    const r = run(text);
    expect(r.headings.filter((h) => h.level === 1).map((h) => h.text)).toEqual([
      '首先,談一談個人的感受',
      '其次,談一談對今年工作的認識',
      '第三,講一講抓好工作的要求',
    ]);
  });

  it('does not take an introductory enumeration for the main outline', () => {
    const text = [
      '一是在服務大局上主動作為。',
      '二是在聯絡群眾上廣泛緊密。',
      '下面,我講幾點意見。',
      '一、始終增強政治意識',
      '第一,要堅持黨的領導。第二,要抓好政治引領。',
      '二、始終堅持群眾觀點',
      '一要融入群眾。二要服務群眾。',
      '三、始終加強自身建設',
      '1、提高能力素質。',
      '2、夯實基層基礎。',
    ].join('\n');
    const r = run(text);
    expect(r.headings.filter((h) => h.level === 1).map((h) => h.text)).toEqual([
      '一、始終增強政治意識',
      '二、始終堅持群眾觀點',
      '三、始終加強自身建設',
    ]);
  });

  it('ignores numbers inside running text', () => {
    const text =
      '今年7 月,中央召開會議。全市1998年以來關停企業3家,主要有三類:一是化工,二是印染。\n要抓好落實。';
    expect(run(text).headings).toEqual([]);
  });
});

describe('assignments', () => {
  it('finds X要 in Traditional text with the name as written and exact offsets', () => {
    const text = '針對這種狀況,市環保局要督促企業儘快完善治汙設施。婦聯要幫助留守兒童。';
    const r = run(text);
    expectOffsets(text, r);
    expect(r.tasks.map((t) => t.lead)).toEqual([['市環保局'], ['婦聯']]);
    const first = r.tasks[0];
    expect(first?.text).toBe('針對這種狀況,市環保局要督促企業儘快完善治汙設施');
  });

  it('finds 由…牽頭 / 負責 / 實施 with co-units (共同完成, 配合, 參與)', () => {
    const text =
      '行政辦公中心的綠化美化,由機關事務管理局牽頭負責,多管局和建設局共同完成。' +
      '全市職工服務中心建設由市總工會牽頭,團市委、市婦聯配合。' +
      '此項工作由縣建設局牽頭實施,市委宣傳部參與。';
    const r = run(text);
    expectOffsets(text, r);
    expect(r.tasks.map((t) => [t.lead, t.co])).toEqual([
      [['機關事務管理局'], ['多管局', '建設局']],
      [['市總工會'], ['團市委', '市婦聯']],
      [['縣建設局'], ['市委宣傳部']],
    ]);
  });

  it('makes the assisted unit the lead in X配合Y and keeps 與Y一起 as co', () => {
    const r = run('省國資委黨委將配合省委組織部制定驗收標準。市教育局要與環保部門一起抓好綠色學校建設。');
    expect(r.tasks.map((t) => [t.lead, t.co])).toEqual([
      [['省委組織部'], ['省國資委黨委']],
      [['市教育局'], ['環保部門']],
    ]);
  });

  it('splits lists of departments (市環保、衛生、建設等部門要)', () => {
    const r = run('市環保、衛生、建設等部門要加大監測和執法力度。人大、政協要加強監督。');
    expect(r.tasks.map((t) => t.lead)).toEqual([
      ['市環保', '衛生', '建設'],
      ['人大', '政協'],
    ]);
  });

  it('excludes collective subjects', () => {
    const text =
      '各級黨委要高度重視。各部門要密切配合。各單位要抓好落實。各鎮要加快建設。' +
      '各級群團組織要發揮作用。全市上下要形成合力。有關部門要加強督查。企業黨委要履行責任。';
    expect(run(text).tasks).toEqual([]);
  });

  it('ignores demands reported from above and meeting procedure', () => {
    const r = run(
      '市委、市政府要求各地要加快建設。這次會議由市委組織部主持。市委高度重視,要求各級抓好落實。',
    );
    expect(r.tasks).toEqual([]);
  });

  it('ignores narrative of past work', () => {
    const r = run(
      '近年來,市總工會開展了“四季四送”活動,要求各級工會積極參與。去年,市環保局要求企業達標排放。',
    );
    expect(r.tasks).toEqual([]);
  });

  it('lets 這項工作由X負責 cover the previous sentence and take its deadline', () => {
    const text = '一是加大調水力度,確保每月調水四次以上。這項工作由市水利局負責。';
    const r = run(text);
    expectOffsets(text, r);
    expect(r.tasks).toHaveLength(1);
    const t = r.tasks[0];
    expect(t?.lead).toEqual(['市水利局']);
    expect(t?.text.startsWith('加大調水力度')).toBe(true);
    expect(t?.deadline).toEqual({ text: '每月', date: null, recurrence: 'monthly' });
    expect(t?.targets).toEqual(['四次以上']);
  });

  it('reads task lists of plans (牽頭單位 / 配合單位)', () => {
    const text = '(一)加快建設汽車產業基地。(牽頭單位:市經貿委;配合單位:市發改委、國土房管局)';
    const r = run(text);
    expectOffsets(text, r);
    expect(r.tasks.map((t) => [t.lead, t.co])).toEqual([[['市經貿委'], ['市發改委', '國土房管局']]]);
    expect(r.tasks[0]?.text.startsWith('加快建設汽車產業基地')).toBe(true);
  });

  it('still finds tasks in text without numbering', () => {
    const r = run('會議要求,縣財政今年將安排專項資金500萬元。\n縣委、縣政府成立督察組定期開展督察。');
    expect(r.headings).toEqual([]);
    expect(r.tasks.map((t) => t.lead)).toEqual([['縣財政'], ['縣委', '縣政府']]);
    expect(r.tasks[0]?.targets).toEqual(['500萬元']);
  });
});

describe('deadlines', () => {
  it.each([
    ['六月底前', '2024-06-30', null],
    ['6月底', '2024-06-30', null],
    ['10月底前', '2024-10-31', null],
    ['三月下旬', '2024-03-31', null],
    ['6月30日前', '2024-06-30', null],
    ['6月前', '2024-05-31', null],
    ['年內', '2024-12-31', null],
    ['今年', '2024-12-31', null],
    ['年底前', '2024-12-31', null],
    ['上半年', '2024-06-30', null],
    ['本月底前', '2024-03-31', null],
    ['3年內', '2027-03-15', null],
    ['一年後', '2025-03-15', null],
    ['6個月內', '2024-09-15', null],
    ['力爭明年6月份', '2025-06-30', null],
    ['2025年底前', '2025-12-31', null],
    ['到2025年', '2025-12-31', null],
    ['國慶前', '2024-10-01', null],
    ['元旦前', '2025-01-01', null],
    ['春節前', '2025-01-29', null],
    ['每月', null, 'monthly'],
    ['每半月', null, 'semimonthly'],
    ['每季度', null, 'quarterly'],
    ['每年', null, 'yearly'],
    ['每週', null, 'weekly'],
  ])('%s → %s %s', (expr, date, recurrence) => {
    expect(resolveDeadline(toSimplified(expr), DATE)).toEqual({ date, recurrence });
  });

  it('attaches the deadline written in the task, as written', () => {
    const r = run('市交通局要儘快拿出3年內將碼頭搬出市區的具體計劃。市環保局要在6月底前拿出治理規劃。');
    expect(r.tasks.map((t) => t.deadline)).toEqual([
      { text: '3年內', date: '2027-03-15', recurrence: null },
      { text: '6月底前', date: '2024-06-30', recurrence: null },
    ]);
  });

  it('takes a deadline from a closing sentence of the paragraph', () => {
    const r = run('主幹道的違章廣告由規劃局負責清除,其他地段由睢城鎮負責拆除。六月底前要全面完成整治任務。');
    expect(r.tasks.map((t) => [t.lead[0], t.deadline?.text])).toEqual([
      ['規劃局', '六月底前'],
      ['睢城鎮', '六月底前'],
    ]);
  });

  it('takes a deadline from a list head ending in a colon', () => {
    const r = run('年內重點抓好兩項工程:一是商業街建設。市城管局負責設定垃圾分類收集箱。');
    expect(r.tasks[0]?.deadline?.text).toBe('年內');
  });

  it('does not read a rate (每天4500噸) as a recurrence', () => {
    const r = run('市建設局要實施截流工程,將每天4500噸汙水歸併處理。');
    expect(r.tasks[0]?.deadline).toBeNull();
    expect(r.tasks[0]?.targets).toEqual(['4500噸']);
  });

  it('resolves against today when no date is given', () => {
    const year = new Date().getFullYear();
    expect(resolveDeadline('年内').date).toBe(`${year}-12-31`);
  });
});

describe('targets', () => {
  it('keeps quantitative targets as written', () => {
    const r = run('市環保局要確保達標率≥ 95%,新增處理能力3萬噸,覆蓋200個村,認證單位不少於20家。');
    expect(r.tasks[0]?.targets).toEqual(['≥ 95%', '3萬噸', '200個村', '不少於20家']);
  });
});

describe('robustness', () => {
  it('returns an empty result for empty text', () => {
    expect(decompose('')).toEqual({ headings: [], tasks: [] });
  });

  it('handles 10 MB of text in linear-ish time', () => {
    const unit =
      '一、加強領導\n(一)市環保局要在6月底前完成規劃,由縣建設局牽頭,各部門配合,確保達標率達到95%以上。\n' +
      `${'市環保局要加強監管'.repeat(20)}${'、'.repeat(50)}${'一是'.repeat(20)}\n`;
    const text = unit.repeat(Math.ceil(10_000_000 / unit.length)).slice(0, 10_000_000);
    const t0 = performance.now();
    const r = decompose(text, { date: DATE });
    const seconds = (performance.now() - t0) / 1000;
    expect(r.tasks.length).toBeGreaterThan(1000);
    expect(seconds).toBeLessThan(90);
  }, 180_000);
});

describe('score', () => {
  it('normalises headings and unit names as the annotation guide says', () => {
    expect(headingKey('一、 堅持正確方向,始終保持政治清醒')).toBe('一堅持正確方向始終保持政治清醒');
    expect(unitsMatch('市環保局', '市环保局')).toBe(true);
    expect(unitsMatch('馨苑度假村', '度假村')).toBe(true);
    expect(unitsMatch('市局', '局')).toBe(false);
    expect(unitsMatch('市水利局', '市環保局')).toBe(false);
    expect(locateQuote('甲 乙丙', '甲乙')).toEqual({ start: 0, end: 3 });
  });

  it('counts found, missed and wrong assignments', () => {
    const text = '一、總體要求\n二、工作任務\n市環保局要在年內完成規劃。市水利局要每月調水。縣委要加強領導。';
    const gold: GoldDoc = {
      headings: [
        { level: 1, text: '一、總體要求' },
        { level: 1, text: '二、工作任務' },
        { level: 1, text: '三、保障措施' },
      ],
      assignments: [
        { quote: '市環保局要在年內完成規劃', lead: ['市環保局'], co: [], deadline: '年內' },
        { quote: '市水利局要每月調水', lead: ['市水利局'], co: [], deadline: '每年' },
        { quote: '不存在的句子', lead: ['市財政局'], co: [], deadline: null },
      ],
    };
    const sc = scoreSpeech(text, decompose(text, { date: DATE }), gold);
    expect(sc.headings).toMatchObject({ gold: 3, predicted: 2, matched: 2 });
    expect(sc.headings.f1).toBeCloseTo(0.8);
    expect(sc.assignments).toMatchObject({ gold: 3, found: 2, predicted: 3, correct: 2 });
    expect(sc.deadlines).toMatchObject({ total: 2, correct: 1 });
    expect(sc.unlocated).toEqual(['不存在的句子']);
    expect(sc.falsePositives.map((t) => t.lead)).toEqual([['縣委']]);
  });
});

describe('dev set', () => {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const seedDir = process.env.NIUDAI_SEED_DIR ?? path.resolve(repoRoot, 'test/fixtures/seed');

  it('meets the goals on the annotated speeches', () => {
    const speechDir = path.join(seedDir, 'speeches');
    expect(existsSync(speechDir), `seed folder not found: ${seedDir} (set NIUDAI_SEED_DIR)`).toBe(true);
    const ids = readdirSync(speechDir)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => f.slice(0, -4));
    expect(ids.length).toBeGreaterThan(0);
    const scores = ids.map((id) => {
      const text = readFileSync(path.join(speechDir, `${id}.txt`), 'utf8');
      const gold = JSON.parse(readFileSync(path.join(seedDir, 'gold', `${id}.json`), 'utf8')) as GoldDoc;
      const result = decompose(text, { date: '2016-01-01' });
      expectOffsets(text, result);
      return scoreSpeech(text, result, gold);
    });
    const o = overallScore(scores);
    expect(unmetGoals(o), JSON.stringify(o)).toEqual([]);
    expect(o.headingF1).toBeGreaterThanOrEqual(GOALS.headingF1);
  }, 60_000);
});
