// A machine: live state and signal charts with anomaly markers, shift-to-date A/P/Q, the six big
// losses, the downtime Pareto, the shift's state timeline, and its anomalies (acknowledged here).
import { ago, getJson, openLive, postJson } from "../api.js";
import { signalChart } from "../charts.js";
import { bandOf, clock, el, minutes, pct, time } from "../format.js";
import { t } from "../i18n.js";
import { bars, kpiTiles, lossBars, section, stateBadge } from "../widgets.js";

const LIVE_MS = 2000;
const SIGNAL_WINDOW_MS = 15 * 60_000;
const SLOW_MS = 30_000;

export function machineView(root, ctx, factory, line, machine) {
  const m = encodeURIComponent(machine.id);
  const zone = factory.timeZone;
  const api = "/api/v1/machines/" + m;
  const title = el("h2", { id: "machine-title", textContent: `${machine.name} · ${line.name} · ${factory.name}` });
  const state = el("span", { id: "state" }, stateBadge("unknown"));
  const since = el("span", { className: "muted", id: "state-since" });
  const tiles = kpiTiles("machine-kpis", ["oee", "availability", "performance", "quality", "coverage"]);
  const shiftNote = el("p", { className: "muted", id: "machine-shift", textContent: t("noMinute") });
  const breakdown = el("div", { id: "breakdown" });
  const losses = el("div", { id: "losses" }, lossBars(null));
  const pareto = el("div", { id: "pareto", textContent: t("noStops") });
  const timeline = el("div", { id: "timeline", className: "timeline" });
  const signalBoxes = el("div", { className: "signals", id: "signals" });
  const anomalyBody = el("tbody");
  root.replaceChildren(
    el("div", { className: "title-row" }, title, state, since),
    el("div", { className: "columns" },
      section(t("shiftToDate"), tiles.root, shiftNote),
      section(t("breakdown"), breakdown)),
    section(t("timeline"), timeline),
    section(t("signals"), signalBoxes),
    el("div", { className: "columns" },
      section(t("losses"), losses),
      section(t("pareto"), pareto)),
    section(t("anomalies"), el("table", { id: "anomalies" }, el("thead", {}, el("tr", {}, ...["started", "signal", "rule", "message", ""]
      .map((k) => el("th", { textContent: k ? t(k) : "" })))), anomalyBody)));

  let shift = null;
  let anomalies = [];
  const charts = new Map();
  const samples = new Map(machine.signals.map((s) => [s.name, [[], []]]));

  function shiftStart() {
    return shift ? shift.start : ago(8 * 3600_000);
  }

  function renderBreakdown() {
    breakdown.replaceChildren(bars(["availability", "performance", "quality", "oee"].map((k) => ({
      label: t(k), value: shift?.[k] ?? 0, text: pct(shift?.[k]), className: "bar bar-" + bandOf(shift?.[k]) }))));
  }
  renderBreakdown();

  function marksFor(signal) {
    return anomalies.filter((a) => a.signal === signal || a.signal === "")
      .map((a) => ({ start: Date.parse(a.start), end: a.end ? Date.parse(a.end) : Date.now() }));
  }

  function renderAnomalies() {
    for (const [name, chart] of charts) chart.update(samples.get(name), marksFor(name));
    anomalyBody.replaceChildren(...(anomalies.length === 0
      ? [el("tr", {}, el("td", { colSpan: 5, className: "muted", textContent: t("noAnomalies") }))]
      : anomalies.map((a) => el("tr", { dataset: { rule: a.rule, signal: a.signal } },
        el("td", { textContent: clock(a.start, zone) }),
        el("td", { textContent: a.signal || "–" }),
        el("td", { textContent: a.rule }),
        el("td", { textContent: a.message }),
        el("td", {}, a.acknowledgedBy
          ? el("span", { className: "muted", textContent: `${t("acknowledgedBy")} ${a.acknowledgedBy}` })
          : el("button", { type: "button", textContent: t("acknowledge"), onclick: () => acknowledge(a) }))))));
  }

  function acknowledge(a) {
    postJson("/api/v1/anomalies/acknowledge", { machine: machine.id, signal: a.signal, rule: a.rule, start: a.start })
      .then(() => {
        a.acknowledgedBy = ctx.me.name;
        renderAnomalies();
      }, ctx.showError);
  }

  // Signals: the last 15 minutes downsampled, then each new reading appended.
  for (const signal of machine.signals) {
    const box = el("div", { className: "signal", dataset: { signal: signal.name } },
      el("h4", {}, signal.name, el("span", { className: "value signal-value", textContent: "–" })));
    signalBoxes.append(box);
    getJson(`${api}/signals/${encodeURIComponent(signal.name)}?from=${ago(SIGNAL_WINDOW_MS)}&maxPoints=300`).then((data) => {
      const series = samples.get(signal.name);
      for (const p of data.points) {
        series[0].push(Date.parse(p.t) / 1000);
        series[1].push(p.mean);
      }
      const chartBox = el("div", { className: "chart" });
      box.append(chartBox);
      charts.set(signal.name, signalChart(chartBox, signal.name, signal.unit, series, marksFor(signal.name), zone));
    }, ctx.showError);
  }

  function refreshLive() {
    return getJson(`${api}/live`).then((live) => {
      state.replaceChildren(stateBadge(live.state));
      since.textContent = live.stateSince ? `${t("since")} ${clock(live.stateSince, zone)}` : "";
      const horizon = Date.now() / 1000 - SIGNAL_WINDOW_MS / 1000;
      for (const [name, s] of Object.entries(live.signals)) {
        const box = signalBoxes.querySelector(`[data-signal="${CSS.escape(name)}"] .signal-value`);
        if (box) box.textContent = `${s.value.toFixed(2)} ${s.unit}`;
        const series = samples.get(name);
        const ts = Date.parse(s.ts) / 1000;
        if (!series || (series[0].length && series[0].at(-1) >= ts)) continue;
        series[0].push(ts);
        series[1].push(s.value);
        while (series[0].length && series[0][0] < horizon) {
          series[0].shift();
          series[1].shift();
        }
        charts.get(name)?.update(series, marksFor(name));
      }
    }, ctx.showError);
  }

  function refreshSlow() {
    const from = shiftStart();
    getJson(`${api}/losses?from=${from}`).then((data) => {
      pareto.replaceChildren(data.pareto.length === 0 ? t("noStops") : bars(data.pareto.map((p) => ({
        label: p.reason, value: p.ms, text: `${minutes(p.ms)} ${t("minutes")} · ${pct(p.cumulativeShare)}` })), "bar bar-loss"));
    }, ctx.showError);
    getJson(`${api}/states?from=${from}`).then((data) => renderTimeline(data), ctx.showError);
    getJson(`/api/v1/anomalies?machine=${m}&from=${ago(3600_000)}`).then((data) => {
      anomalies = data.anomalies;
      renderAnomalies();
    }, ctx.showError);
  }

  function renderTimeline(data) {
    const from = Date.parse(data.from);
    const span = Math.max(1, Date.parse(data.to) - from);
    timeline.replaceChildren(
      el("div", { className: "timeline-bar" }, ...data.states.map((s) => {
        const start = Date.parse(s.start);
        const end = Date.parse(s.end);
        return el("span", { className: "segment state-" + s.state, dataset: { state: s.state },
          style: `left:${(100 * (start - from)) / span}%;width:${(100 * (end - start)) / span}%`,
          title: `${t(s.state)} ${clock(s.start, zone)}–${clock(s.end, zone)}${s.reason ? " · " + s.reason : ""}` });
      })),
      el("div", { className: "timeline-axis muted small" }, el("span", { textContent: time(data.from, zone) }), el("span", { textContent: time(data.to, zone) })));
  }

  const close = openLive({ scope: "machine", id: machine.id }, {
    oee(minute) {
      if (minute.scope === "machine") {
        shiftNote.dataset.minute = minute.start;
        shiftNote.textContent = `${t("lastMinute")} ${time(minute.start, zone)}: ${t("oee")} ${pct(minute.oee)} · ${minute.total} ${t("parts")}, ${minute.good} ${t("good")}`
          + (shift ? ` · ${t("shift")} ${shift.shift} ${t("since")} ${time(shift.start, zone)}` : "");
      }
    },
    oee_shift(s) {
      if (s.scope !== "machine") return;
      const first = shift === null || shift.start !== s.start;
      shift = s;
      tiles.update(s);
      renderBreakdown();
      losses.replaceChildren(lossBars(s.lossesMs));
      if (first) refreshSlow();
    },
    anomaly(a) {
      // An anomaly is raised while it lasts and sent again when it ends: the second replaces it.
      const same = (b) => b.machine === a.machine && b.signal === a.signal && b.rule === a.rule && Date.parse(b.start) === Date.parse(a.start);
      anomalies = [a, ...anomalies.filter((b) => !same(b))];
      renderAnomalies();
    },
  });
  refreshLive();
  refreshSlow();
  const fast = setInterval(refreshLive, LIVE_MS);
  const slow = setInterval(refreshSlow, SLOW_MS);
  return () => {
    close();
    clearInterval(fast);
    clearInterval(slow);
  };
}
