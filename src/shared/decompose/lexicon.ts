/** Word lists for unit recognition (Simplified script). */

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);
const alternation = (s: string): string => words(s).join('|');

/** Unit name endings, longest first. */
export const SUFFIXES = words(`
  中心组 工作组 工作专班 专班 管委会 委员会 党工委 党组织 红十字会 工商联 检察院 检察机关 派出所 开发区 示范镇 示范村 办事处 办公室 督查室
  工作站 热电厂 指挥部 领导小组 合作社 研究院 研究所 联合会 理事会 董事会 监事会 常委会 居委会 村委会 基金会
  促进会 研究会 总署 党委 党组 政府 部门 机关 公司 集团 中心 总社 学院 大学 中学 小学 学校 医院 银行 分局 支队
  大队 园区 街道 社区 协会 学会 商会 工会 总会 妇联 团委 科协 侨联 残联 文联 法院 电厂 党校 团校 电视台 报社
  局 厅 委 办 处 室 站 所 院 部 队 社 团 联 镇 乡 村 厂 馆 段 区 县 署 关
`).sort((a, b) => b.length - a.length);

/** Organisations named without a unit suffix. */
export const KNOWN = new Set(
  words(`
    人大 政协 公安 共青团 工商联 总工会 纪委 监委 人武部 武装部 工会 妇联 团委 科协 侨联 残联 文联 社科联
    红十字会 关工委 团市委 团县委 团省委 妇委会 工委 台联 法院 检察院 海关 税务 消防救援
  `),
);

/** Sector words that name a department after a level prefix (县财政, 市环保). */
export const SECTORS = new Set(
  words(`
    环保 卫生 建设 规划 财政 教育 农业 水利 交通 公安 城管 工商 质监 国土 民政 人社 文化 旅游 商务 审计 统计
    税务 林业 畜牧 科技 经信 发改 住建 司法 气象 粮食 物价 安监 宣传 组织 统战 政法 纪检 监察 信访 体育 文广
    广电 交警 消防 国税 地税 药监 市场监管 生态环境 自然资源 应急 医保 卫健 人防 供电 邮政 烟草 扶贫 农机 水务
    园林 环卫 房管 经贸 外事 侨务 民宗 法制 计生 老龄 教体 城建 国资 农办 编办
  `),
);

export const LEVEL_PREFIX = /^(?:我省|我市|我县|我区|我州|本市|本县|省|市|县|区|州|乡|镇)/;

/** Party committees and governments of a level (县委, 市政府). */
export const LEVEL_ORGS = /^(?:省|市|县|区|州)(?:委|政府|人大|政协|纪委|监委)$/;

/** Whole names that are not a specific unit. */
export const GENERIC = new Set(
  words(`
    部门 单位 政府 党委 党组 党组织 基层党组织 群团组织 群团 人民团体 社会组织 组织 机关 企业 学校 医院 乡镇 城镇
    农村 乡村 新农村 社区 村 镇 乡 街道 干部 社会 全社会 大会 机会 全会 内部 全部 局部 格局 大局 布局 全局 当局
    场所 城乡 互联 关联 新闻媒体 媒体 团队 梯队 集团 公司 中心 协会 学会 委员会 工作组 领导小组 指挥部 办公室
    示范村 示范镇 开发区 园区 热电厂 党校 团校 各处 到处 好处 之处 东部 西部 南部 北部 中部 总部 基层 党政机关
    行政机关 国家机关 事业单位 企事业单位 村委会 居委会 村党组织 两委 村两委 党支部 支部 小组 政府部门 农户
    中小学 中国小 国小 家庭 合作社 社团 下乡 家乡 回乡 老乡 各乡 小城镇 集镇 重点镇 中心镇 建制镇
    县区 区县 市县 县市 城区 新区 开发区 示范区 试验区 自贸区 专班 工作专班 中心组 海关
  `),
);

/** Modifiers that make X部门 / X机关 generic. */
export const GENERIC_MOD = new Set(
  words(`
    职能 主管 执法 业务 牵头 责任 监管 管理 政府 党政 综合 行政 有关 相关 其他 其它 协办 配合 承办 主办 上级
    下级 同级 基层 重点 一线 窗口 行业 涉农 涉企 各 各级 各有关 各相关 成员 职能管理 经营管理
  `),
);

/** Endings that look like a unit suffix but are ordinary words. */
export const NOT_UNIT_END = new RegExp(
  `(?:${alternation(`
    干部 全部 内部 外部 局部 总部 东部 西部 南部 北部 中部 部署 格局 大局 布局 全局 结局 场所 住所 互联 关联 串联
    团队 梯队 城乡 农村 乡村 乡镇 下乡 回乡 家乡 之处 到处 好处 益处 相处 创办 兴办 举办 承办 主办 督办 协办 开办
    合办 包办 代办 查办 交办 转办 领办 社团 群团 共建村 贫困村 重点村 行政村 自然村 庭院 大院 本院 居所 岗位 科室
    站所 阶段 手段 地段 片段 时段 区段 河段 标段
    小区 社区 景区 辖区 城区 市区 片区 山区 牧区 库区 矿区 灾区 校区 街区 老区 湾区 地区 郊区 禁区 盲区 误区 功能区
    保护区 核心区 集聚区 聚集区 服务区 商务区 生活区 住宅区 风景区 旅游区 分区 展区 厂区 营区 县城 郊县 区县 县区 市县
    全县 各县 本县 我县 该县 两县 全区 各区 本区 我区 该区 两区 公署 官署 部署 机关 难关 攻关 把关 相关 有关 过关 开关
    班组 分组 编组 机组
  `)})$`,
);

/** Class nouns: X学校, 国有企业党委 name a kind of body, not one body. */
export const CLASS_STEM = new RegExp(
  `^(?:${alternation(`
    企业 国有企业 国企 非公企业 民营企业 村 社区 乡镇 镇 乡 街道 机关 基层 农村 城区 高中 初中 中小学 小学 中学 职业
    民办 公办 项目 专案 学校 县直 市直 省直 中央 国务院 党中央
  `)})$`,
);

/** National bodies are not assignees of a local speech. */
export const NATIONAL = /^(?:中央|国务院|党中央)/;

export const COLLECTIVE_INFIX = /各|沿线|有关|相关|所属|其他|其它|所有/;

export const COLLECTIVE_PREFIX = new RegExp(
  `^(?:${alternation(`
    各有关 各相关 各级 各类 各大 各个 各 有关 相关 其他 其它 其余 所有 全体 广大 一些 部分 少数 全市 全县 全省 全区
    全州 全乡 全镇 本级 同级 上级 下级 所属 沿线 这些 那些 该 本 每个 每一
  `)})`,
);

export const COLLECTIVE_START = new Set([...'各有相其所全广一部少本同上下沿这那该每']);

/** Characters that never occur inside a unit name. */
export const FUNCTION_CHARS =
  /[的了是在对要将和与及、等也都把被从向为以其之这那此由我们你他她它着过就还又再并而或但]/;

/** Verbs that never occur inside a unit name. */
export const NAME_BREAK =
  /牵头|负责|主管|配合|协助|会同|联合(?!会)|协同|成立|组建|开展|落实|加强|做好|抓好|完成|确保|要求|组织实施|每|召开|举办|启动|报送|上报|建成|办结|实行|推行|开工|交付|拨付|下达|出台|印发/;

/** Words that may follow a unit name directly. */
export const CONTINUATION = new RegExp(
  `^(?:[、,，(（)）]|${alternation(`
    和 及 与 以及 同 等 要 必须 务必 须 应 将 也 都 还 一定 在 对 从 于 把 向 为 按照 根据 依据 结合 围绕 通过
    今年 明年 年内 每 尽快 尽早 及早 抓紧 立即 迅速 按时 如期 定期 进一步 切实 认真 积极 主动 继续 不断 严格 全面
    广泛 深入 负责 牵头 主管 配合 协助 协同 会同 联合 参与 参加 共同 分别 具体 统一 接管 完成 实施 组织 成立
    建立 设立 安排 制定 出台 开展 实行 落实 加强 加大 做好 抓好 搞好 作为 提出 研究 推进 推动 强化 编制 完善
    提供 保障 督查 督促 调度 通报 考核 宣传 指导 协调 统筹 承担 清除 拆除 初审 审批 管理 监督 检查 履行 依法
    按 紧紧 全力 务 即 一起 一道 的同志 的负责同志 同志
    举办 召开 启动 办结 建成 发布 报送 上报 发放 清理 整治 排查 核查 清查 普查 修订 起草 拟定 部署 组建 拨付 下达
    推行 开工 交付 改造 新建 扩建 审核 巡查 兑现 筹备 编报 汇总 建设 治理 上线 开通 认定 是 为 负 自身 本身 首先 加快
  `)})`,
);

/** Last characters any recognised name can end with (fast rejection). */
export const FINAL_CHARS = new Set<string>(
  [...SUFFIXES, ...KNOWN, ...SECTORS, ...GENERIC, '单位', '政府', '人大', '政协', '纪委', '监委'].map(
    (w) => w.at(-1) as string,
  ),
);
