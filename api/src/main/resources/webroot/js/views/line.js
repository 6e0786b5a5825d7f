// A line: shift-to-date OEE, OEE per minute, and its machines with live state and figures.
import { ago, getJson, openLive } from "../api.js";
import { oeeBars, oeeData } from "../charts.js";
import { clock, el, pct, time } from "../format.js";
import { t } from "../i18n.js";
import { kpiTiles, link, ratioCell, section, stateBadge } from "../widgets.js";
import { machineStates, mergeMinute } from "./shared.js";

export function lineView(root, ctx, factory, line) {
  const path = `/api/v1/factories/${encodeURIComponent(factory.id)}/lines/${encodeURIComponent(line.id)}`;
  const tiles = kpiTiles("line-kpis", ["oee", "availability", "performance", "quality", "coverage"]);
  const shiftNote = el("p", { className: "muted", id: "line-shift" });
  const chartBox = el("div", { className: "chart", id: "line-chart" });
  const rows = new Map(line.machines.map((m) => [m.id, { machine: m, minute: null, shift: null, state: null }]));
  const body = el("tbody");
  root.replaceChildren(
    section(`${t("line")} · ${line.name} · ${t("shiftToDate")}`, tiles.root, shiftNote),
    section(t("oeePerMinute"), chartBox),
    section(t("machines"), el("table", { id: "line-machines" }, el("thead", {}, el("tr", {}, ...["machine", "state", "oee", "availability", "performance", "quality", "coverage", "lastMinute"]
      .map((k) => el("th", { textContent: t(k) })))), body)));

  function render() {
    body.replaceChildren(...[...rows.values()].map(({ machine, minute, shift, state }) => el("tr", { dataset: { machine: machine.id } },
      el("td", {}, link("#/machine/" + encodeURIComponent(machine.id), machine.name)),
      el("td", {}, stateBadge(state?.state), el("span", { className: "muted small", textContent: state?.since ? ` ${t("since")} ${clock(state.since, factory.timeZone)}` : "" })),
      ratioCell(shift?.oee, "oee"), ratioCell(shift?.availability), ratioCell(shift?.performance), ratioCell(shift?.quality),
      el("td", { className: "num", textContent: pct(shift?.coverage) }),
      ratioCell(minute?.oee, "minute"))));
  }
  render();

  let chart = null;
  let minutes = [];
  getJson(`${path}/oee?window=1m&from=${ago(3600_000)}`).then((data) => {
    minutes = data.points;
    chart = oeeBars(chartBox, minutes, factory.timeZone);
  }, ctx.showError);

  const close = openLive({ scope: "line", factory: factory.id, id: line.id }, {
    oee(m) {
      if (m.scope === "line" && m.id === line.id) {
        minutes = mergeMinute(minutes, m);
        chart?.setData(oeeData(minutes));
      } else if (m.scope === "machine" && rows.has(m.id)) {
        rows.get(m.id).minute = m;
        render();
      }
    },
    oee_shift(m) {
      if (m.scope === "line" && m.id === line.id) {
        tiles.update(m);
        shiftNote.textContent = `${t("shift")} ${m.shift} · ${time(m.start, factory.timeZone)}–${time(m.end, factory.timeZone)} · ${m.total} ${t("parts")}, ${m.good} ${t("good")}`;
      } else if (m.scope === "machine" && rows.has(m.id)) {
        rows.get(m.id).shift = m;
        render();
      }
    },
  });
  const stopStates = machineStates(ctx, factory.id, (states) => {
    for (const row of rows.values()) row.state = states.get(row.machine.id) || null;
    render();
  });
  return () => {
    close();
    stopStates();
  };
}
