/** Deterministic pseudo-random numbers (mulberry32) so every seed run builds the same city. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const BRANDS = [
  '华信',
  '恒通',
  '瑞丰',
  '宏达',
  '金桥',
  '长城',
  '塞北',
  '鑫源',
  '永安',
  '冀北',
  '泰和',
  '兴盛',
  '博远',
  '润泽',
  '天成',
  '广源',
  '康达',
  '中禾',
  '正阳',
  '凯旋',
];
const TRADES = [
  '机械制造',
  '食品加工',
  '物流',
  '建材',
  '电子科技',
  '纺织',
  '商贸',
  '建筑工程',
  '新能源',
  '农业开发',
  '乳业',
  '葡萄酒业',
  '冰雪运动',
  '风电设备',
  '汽车零部件',
];
const SOCIAL = [
  '社会工作服务中心',
  '志愿者协会',
  '养老服务中心',
  '青少年发展服务中心',
  '妇女儿童服务站',
  '助残服务中心',
];
const PLATFORMS = ['外卖配送站', '快递服务网点', '网约车服务站', '同城货运服务点'];

export const enterpriseName = (r: () => number, place: string) =>
  `示范市${place}${pick(r, BRANDS)}${pick(r, TRADES)}有限公司`;
export const socialOrgName = (r: () => number, place: string) => `${place}${pick(r, SOCIAL)}`;
export const platformName = (r: () => number, place: string, i: number) =>
  `${place}${pick(r, PLATFORMS)}（${i}号）`;
export const schoolName = (place: string, kind: string) => `${place}${kind}`;

/** Short place name of an administrative unit: 多福巷社区居委会 → 多福巷社区, 东华门街道 stays. */
export function shortPlace(name: string): string {
  return name.replace(/(居民委员会|村民委员会|居委会|村委会|委员会)$/, '').replace(/^张家口市/, '');
}

export const isCommunity = (name: string) => /社区/.test(name);
