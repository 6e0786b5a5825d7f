// The dashboards' words in English and Simplified Chinese. A missing key shows itself, never blank.
const WORDS = {
  en: {
    park: "Park", factory: "Factory", line: "Line", machine: "Machine", language: "中文",
    oee: "OEE", availability: "Availability", performance: "Performance", quality: "Quality",
    coverage: "Data coverage", rank: "#", trend: "Trend (12 h)", anomaliesHour: "Anomalies (1 h)",
    lastMinute: "Last minute", shiftToDate: "Shift to date", lastHour: "Last hour",
    factoriesByOee: "Factories by OEE (shift to date)", lines: "Lines", machines: "Machines",
    oeePerMinute: "OEE per minute, last hour", signals: "Signals, last 15 minutes",
    breakdown: "Availability × performance × quality, shift to date", losses: "Six big losses, shift to date",
    pareto: "Downtime by reason, shift to date", timeline: "Shift timeline", anomalies: "Anomalies",
    state: "State", since: "since", reporting: "reporting", machinesReporting: "Machines reporting", noData: "No data yet",
    noMinute: "No closed minute yet: OEE appears after the first full minute.",
    noStops: "No stops with a reason in this shift.", noAnomalies: "No anomalies in the last hour.",
    acknowledge: "Acknowledge", acknowledgedBy: "acknowledged by", signal: "Signal", rule: "Rule",
    started: "Started", message: "Message", shift: "Shift", parts: "parts", good: "good",
    live: "live", connecting: "connecting", offline: "offline", signedInAs: "signed in as",
    signIn: "Sign in", signInTitle: "Sign in to Gemba", userName: "User name", password: "Password",
    signOut: "Sign out", wrongPassword: "Wrong user name or password.",
    tooManyAttempts: "Too many failed attempts: wait {s} s, then try again.",
    linkTitle: "Sign in with this link?",
    linkQuestion: "This link signs in as {link}. You are signed in as {current} now.",
    linkSwitch: "Switch to {link}", linkStay: "Stay signed in as {current}",
    producing: "producing", idle: "idle", down: "down", setup: "setup", planned_stop: "planned stop",
    unknown: "unknown",
    unplannedStop: "Breakdowns", plannedStop: "Setup and planned stops", smallStop: "Small stops",
    slowCycle: "Reduced speed", productionReject: "Production rejects", startupReject: "Startup rejects",
    minutes: "min", total: "total", share: "share",
  },
  "zh-CN": {
    park: "园区", factory: "工厂", line: "产线", machine: "设备", language: "English",
    oee: "OEE", availability: "时间开动率", performance: "性能开动率", quality: "合格品率",
    coverage: "数据覆盖率", rank: "#", trend: "趋势（12 小时）", anomaliesHour: "异常（1 小时）",
    lastMinute: "最近一分钟", shiftToDate: "本班累计", lastHour: "最近一小时",
    factoriesByOee: "工厂 OEE 排名（本班累计）", lines: "产线", machines: "设备",
    oeePerMinute: "每分钟 OEE，最近一小时", signals: "信号，最近 15 分钟",
    breakdown: "时间开动率 × 性能开动率 × 合格品率，本班累计", losses: "六大损失，本班累计",
    pareto: "停机原因，本班累计", timeline: "本班状态时间线", anomalies: "异常",
    state: "状态", since: "起始", reporting: "在线", machinesReporting: "在线设备", noData: "暂无数据",
    noMinute: "尚无完整的一分钟：第一分钟结束后显示 OEE。",
    noStops: "本班没有带原因的停机。", noAnomalies: "最近一小时没有异常。",
    acknowledge: "确认", acknowledgedBy: "确认人", signal: "信号", rule: "规则",
    started: "开始", message: "说明", shift: "班次", parts: "件", good: "合格",
    live: "实时", connecting: "连接中", offline: "离线", signedInAs: "当前用户",
    signIn: "登录", signInTitle: "登录 Gemba", userName: "用户名", password: "密码",
    signOut: "退出登录", wrongPassword: "用户名或密码错误。",
    tooManyAttempts: "失败次数过多：请等待 {s} 秒后再试。",
    linkTitle: "使用此链接登录？",
    linkQuestion: "此链接以 {link} 身份登录。当前登录用户为 {current}。",
    linkSwitch: "切换为 {link}", linkStay: "继续以 {current} 登录",
    producing: "生产", idle: "待机", down: "故障", setup: "换型", planned_stop: "计划停机",
    unknown: "未知",
    unplannedStop: "故障停机", plannedStop: "换型与计划停机", smallStop: "短暂停机",
    slowCycle: "速度降低", productionReject: "生产不良", startupReject: "启动不良",
    minutes: "分钟", total: "合计", share: "占比",
  },
};

export const LANGUAGES = Object.keys(WORDS);
const KEY = "gemba.lang";

export function currentLanguage() {
  const saved = localStorage.getItem(KEY);
  if (saved && WORDS[saved]) return saved;
  return navigator.language && navigator.language.toLowerCase().startsWith("zh") ? "zh-CN" : "en";
}

export function setLanguage(lang) {
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
}

export function t(key) {
  const words = WORDS[currentLanguage()];
  return words[key] ?? WORDS.en[key] ?? key;
}
