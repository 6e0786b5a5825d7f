// Pieces the views share: KPI tiles, state badges, breadcrumbs' links, loss bars.
import { band, el, minutes, pct } from "./format.js";
import { t } from "./i18n.js";

/** Tiles for `keys` (oee, availability, ...); update(figures) fills them in. */
export function kpiTiles(id, keys) {
  const values = {};
  const root = el("div", { className: "kpis", id });
  for (const key of keys) {
    values[key] = el("span", { className: "value band-none", textContent: "–" });
    root.append(el("div", { className: "kpi", dataset: { kpi: key } }, el("span", { className: "label", textContent: t(key) }), values[key]));
  }
  return {
    root,
    update(figures) {
      for (const key of keys) {
        const value = figures ? figures[key] : null;
        values[key].textContent = pct(value);
        values[key].className = "value " + (key === "coverage" ? "" : band(value));
      }
    },
  };
}

export function stateBadge(state) {
  const s = state || "unknown";
  return el("span", { className: "state state-" + s, textContent: t(s), dataset: { state: s } });
}

export function link(hash, text) {
  return el("a", { href: hash, textContent: text });
}

export function section(title, ...children) {
  return el("section", { className: "card" }, el("h3", { textContent: title }), ...children);
}

export function ratioCell(value, extra = "") {
  return el("td", { className: "num " + band(value) + " " + extra, textContent: pct(value) });
}

/** Horizontal bars of `rows` [{label, value, text}], scaled to the largest value. */
export function bars(rows, className = "bar") {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return el("div", { className: "bars" }, ...rows.map((r) => el("div", { className: "bar-row" },
    el("span", { className: "bar-label", textContent: r.label }),
    el("span", { className: "bar-track" }, el("span", { className: r.className || className, style: `width:${(100 * r.value) / max}%` })),
    el("span", { className: "bar-text num", textContent: r.text }))));
}

export const LOSS_KEYS = ["unplannedStop", "plannedStop", "smallStop", "slowCycle", "productionReject", "startupReject"];

export function lossBars(lossesMs) {
  return bars(LOSS_KEYS.map((k) => ({ label: t(k), value: lossesMs?.[k] || 0, text: minutes(lossesMs?.[k] || 0) + " " + t("minutes") })), "bar bar-loss");
}
