// A factory for its plant engineers: shift-to-date OEE, OEE per minute, its lines live, and every
// machine coloured by its live state.
import { ago, getJson, openLive } from "../api.js";
import { oeeBars, oeeData } from "../charts.js";
import { clock, el, pct, time } from "../format.js";
import { t } from "../i18n.js";
import { kpiTiles, link, ratioCell, section, stateBadge } from "../widgets.js";
import { machineStates, mergeMinute } from "./shared.js";

export function factoryView(root, ctx, factory) {
  const f = encodeURIComponent(factory.id);
  const tiles = kpiTiles("factory-kpis", ["oee", "availability", "performance", "quality", "coverage"]);
  const shiftNote = el("p", { className: "muted", id: "factory-shift" });
  const chartBox = el("div", { className: "chart", id: "factory-chart" });
  const lineRows = new Map(factory.lines.map((l) => [l.id, { line: l, minute: null, shift: null }]));
  const lineBody = el("tbody");
  const grid = el("div", { className: "machine-grid", id: "machines" });
  root.replaceChildren(
    section(`${t("factory")} · ${factory.name} · ${t("shiftToDate")}`, tiles.root, shiftNote),
    section(t("oeePerMinute"), chartBox),
    section(t("lines"), el("table", { id: "lines" }, el("thead", {}, el("tr", {}, ...["line", "oee", "availability", "performance", "quality", "coverage", "lastMinute", "machinesReporting"]
      .map((k) => el("th", { textContent: t(k) })))), lineBody)),
    section(t("machines"), grid));

  function renderLines() {
    lineBody.replaceChildren(...[...lineRows.values()].map(({ line, minute, shift }) => el("tr", { dataset: { line: line.id } },
      el("td", {}, link(`#/line/${f}/${encodeURIComponent(line.id)}`, line.name)),
      ratioCell(shift?.oee, "oee"), ratioCell(shift?.availability), ratioCell(shift?.performance), ratioCell(shift?.quality),
      el("td", { className: "num", textContent: pct(shift?.coverage) }),
      ratioCell(minute?.oee, "minute"),
      el("td", { className: "num", textContent: minute ? `${minute.reporting}/${minute.machines}` : "–" }))));
  }
  renderLines();

  let chart = null;
  let minutes = [];
  getJson(`/api/v1/factories/${f}/oee?window=1m&from=${ago(3600_000)}`).then((data) => {
    minutes = data.points;
    chart = oeeBars(chartBox, minutes, factory.timeZone);
  }, ctx.showError);

  const close = openLive({ scope: "factory", id: factory.id }, {
    oee(m) {
      if (m.scope === "factory" && m.id === factory.id) {
        minutes = mergeMinute(minutes, m);
        chart?.setData(oeeData(minutes));
      } else if (m.scope === "line" && lineRows.has(m.id)) {
        lineRows.get(m.id).minute = m;
        renderLines();
      }
    },
    oee_shift(m) {
      if (m.scope === "factory" && m.id === factory.id) {
        tiles.update(m);
        shiftNote.textContent = `${t("shift")} ${m.shift} · ${time(m.start, factory.timeZone)}–${time(m.end, factory.timeZone)} · ${m.total} ${t("parts")}, ${m.good} ${t("good")}`;
      } else if (m.scope === "line" && lineRows.has(m.id)) {
        lineRows.get(m.id).shift = m;
        renderLines();
      }
    },
  });

  const stopStates = machineStates(ctx, factory.id, (states) => {
    grid.replaceChildren(...factory.lines.map((line) => el("div", { className: "grid-line" },
      el("h4", {}, link(`#/line/${f}/${encodeURIComponent(line.id)}`, line.name)),
      el("div", { className: "tiles" }, ...line.machines.map((m) => {
        const s = states.get(m.id);
        return el("a", { className: "machine-tile state-" + (s?.state || "unknown"), href: "#/machine/" + encodeURIComponent(m.id), dataset: { machine: m.id, state: s?.state || "unknown" },
          title: s?.reason || "" },
        el("span", { className: "tile-name", textContent: m.name }),
        stateBadge(s?.state),
        el("span", { className: "tile-since", textContent: s?.since ? `${t("since")} ${clock(s.since, factory.timeZone)}` : "" }));
      })))));
  });
  return () => {
    close();
    stopStates();
  };
}
