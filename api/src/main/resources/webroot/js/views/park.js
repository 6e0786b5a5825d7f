// Park overview for park operators: the park's latest minute, and its factories ranked by OEE
// from the start of their current shift, with coverage, a 12-hour trend and live anomaly counts.
import { ago, getJson, openLive } from "../api.js";
import { sparkline } from "../charts.js";
import { el, pct, time } from "../format.js";
import { t } from "../i18n.js";
import { kpiTiles, link, ratioCell, section } from "../widgets.js";

const HOUR = 3600_000;

export function parkView(root, ctx) {
  // The park's minute in its factories' zone when they share one, else in the browser's.
  const zones = new Set(ctx.park.factories.map((f) => f.timeZone));
  const parkZone = zones.size === 1 ? [...zones][0] : undefined;
  const tiles = kpiTiles("park-kpis", ["oee", "availability", "performance", "quality", "coverage"]);
  const minuteNote = el("p", { className: "muted", id: "park-minute", textContent: t("noMinute") });
  const anomalyTotal = el("span", { className: "value", id: "park-anomalies", textContent: "0" });
  tiles.root.append(el("div", { className: "kpi" }, el("span", { className: "label", textContent: t("anomaliesHour") }), anomalyTotal));
  const rows = new Map(ctx.park.factories.map((f) => [f.id, {
    factory: f, shift: null, minute: null, hourly: [], anomalies: [], trend: el("div", { className: "spark" }),
  }]));
  const body = el("tbody");
  const table = el("table", { id: "factories" },
    el("thead", {}, el("tr", {}, ...["rank", "factory", "oee", "availability", "performance", "quality", "coverage", "lastMinute", "trend", "anomaliesHour"]
      .map((k) => el("th", { textContent: t(k) })))), body);
  root.replaceChildren(
    section(t("park") + " · " + ctx.park.name + " · " + t("lastMinute"), tiles.root, minuteNote),
    section(t("factoriesByOee"), table));

  function score(row) {
    const figure = row.shift?.oee ?? row.hourly.at(-1)?.oee;
    return figure === null || figure === undefined ? -1 : figure;
  }

  function render() {
    const since = Date.now() - HOUR;
    let total = 0;
    const ranked = [...rows.values()].sort((a, b) => score(b) - score(a));
    body.replaceChildren(...ranked.map((row, i) => {
      const recent = row.anomalies.filter((start) => start >= since).length;
      total += recent;
      const shift = row.shift;
      return el("tr", { dataset: { factory: row.factory.id } },
        el("td", { className: "num", textContent: String(i + 1) }),
        el("td", {}, link("#/factory/" + encodeURIComponent(row.factory.id), row.factory.name),
          shift ? el("div", { className: "muted small", textContent: `${t("shift")} ${shift.shift ?? ""} · ${time(shift.start, row.factory.timeZone)}–${time(shift.end, row.factory.timeZone)}` }) : null),
        ratioCell(shift?.oee, "oee"), ratioCell(shift?.availability), ratioCell(shift?.performance), ratioCell(shift?.quality),
        el("td", { className: "num coverage", textContent: pct(shift?.coverage) }),
        ratioCell(row.minute?.oee, "minute"),
        el("td", {}, row.trend),
        el("td", { className: "num anomalies" + (recent > 0 ? " band-red" : ""), textContent: String(recent) }));
    }));
    anomalyTotal.textContent = String(total);
  }

  render();
  for (const row of rows.values()) {
    getJson(`/api/v1/factories/${encodeURIComponent(row.factory.id)}/oee?window=1h&from=${ago(12 * HOUR)}`)
      .then((data) => {
        row.hourly = data.points;
        sparkline(row.trend, data.points);
        render();
      }, ctx.showError);
  }
  const seen = new Set();
  const anomalyKey = (a) => `${a.machine}/${a.signal}/${a.rule}@${Date.parse(a.start)}`;
  getJson(`/api/v1/anomalies?from=${ago(HOUR)}&limit=1000`).then((data) => {
    for (const a of data.anomalies) {
      if (!seen.has(anomalyKey(a))) rows.get(a.factory)?.anomalies.push(Date.parse(a.start));
      seen.add(anomalyKey(a));
    }
    render();
  }, ctx.showError);

  const close = openLive({ scope: "park" }, {
    oee(m) {
      if (m.scope === "park") {
        tiles.update(m);
        minuteNote.textContent = `${time(m.start, parkZone)}–${time(m.end, parkZone)} · ${m.reporting ?? "–"}/${m.machines ?? "–"} ${t("reporting")}`;
      } else if (m.scope === "factory" && rows.has(m.id)) {
        rows.get(m.id).minute = m;
        render();
      }
    },
    oee_shift(m) {
      if (m.scope === "factory" && rows.has(m.id)) {
        rows.get(m.id).shift = m;
        render();
      }
    },
    anomaly(a) {
      // Counted once: an anomaly is raised while it lasts and sent again when it ends.
      if (!seen.has(anomalyKey(a))) rows.get(a.factory)?.anomalies.push(Date.parse(a.start));
      seen.add(anomalyKey(a));
      render();
    },
  });
  const timer = setInterval(render, 30_000);
  return () => {
    close();
    clearInterval(timer);
  };
}
