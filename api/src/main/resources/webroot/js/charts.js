// Charts drawn with uPlot (from npm, served by the API): OEE bars, sparklines, signals with
// anomaly markers. Each function returns the chart; call .setData or the returned update function.
import { bandOf } from "./format.js";

const COLOURS = { red: "#d64545", yellow: "#e0a800", green: "#2f9e58" };

function width(container) {
  return Math.max(200, container.clientWidth || 600);
}

/** uPlot draws its time axis in `timeZone` (the factory's), not the browser's. */
function zoned(timeZone) {
  return timeZone ? { tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), timeZone) } : {};
}

function resizeWith(chart, container, height) {
  const observer = new ResizeObserver(() => chart.setSize({ width: width(container), height }));
  observer.observe(container);
  return chart;
}

/** OEE per minute as bars coloured by band; points are {start, oee}. */
export function oeeBars(container, points, timeZone) {
  const height = 180;
  const bars = uPlot.paths.bars({ size: [0.8, 40] });
  const series = ["red", "yellow", "green"].map((b) => ({
    label: b, fill: COLOURS[b], stroke: COLOURS[b], paths: bars, points: { show: false },
  }));
  const chart = new uPlot(
    {
      width: width(container), height, legend: { show: false }, ...zoned(timeZone),
      scales: { y: { range: [0, 100] } },
      axes: [{}, { values: (u, ticks) => ticks.map((v) => v + " %") }],
      series: [{}, ...series],
    },
    oeeData(points), container);
  return resizeWith(chart, container, height);
}

export function oeeData(points) {
  const xs = [], red = [], yellow = [], green = [];
  for (const p of points) {
    xs.push(Date.parse(p.start) / 1000);
    const value = p.oee === null || p.oee === undefined ? null : Math.min(1, p.oee) * 100;
    const b = bandOf(p.oee);
    red.push(b === "red" ? value : null);
    yellow.push(b === "yellow" ? value : null);
    green.push(b === "green" ? value : null);
  }
  return [xs, red, yellow, green];
}

/** A small line of OEE over time, for table rows; points are {start, oee}. */
export function sparkline(container, points) {
  const xs = points.map((p) => Date.parse(p.start) / 1000);
  const ys = points.map((p) => (p.oee === null ? null : p.oee * 100));
  return new uPlot(
    {
      width: 140, height: 36, legend: { show: false }, cursor: { show: false },
      scales: { y: { range: [0, 100] } }, axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: "#1b5fbf", width: 1.5, points: { show: points.length < 3, size: 5 }, spanGaps: true }],
    },
    [xs, ys], container);
}

/**
 * A signal over time with its anomalies shaded: `samples` is [[t (s)], [value]], `anomalies` a
 * list of {start, end} in ms. Returns {chart, update(samples, anomalies)}.
 */
export function signalChart(container, name, unit, samples, anomalies, timeZone) {
  const height = 150;
  let marked = anomalies;
  const chart = new uPlot(
    {
      width: width(container), height, legend: { show: false }, ...zoned(timeZone),
      series: [{}, { label: name, stroke: "#1b5fbf", width: 1.5, points: { show: false } }],
      axes: [{}, { size: 60, values: (u, ticks) => ticks.map((v) => v + (unit ? " " + unit : "")) }],
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.fillStyle = "rgba(214, 69, 69, 0.22)";
            ctx.strokeStyle = "#d64545";
            for (const a of marked) {
              const x0 = u.valToPos(a.start / 1000, "x", true);
              const x1 = Math.max(x0 + 2, u.valToPos((a.end || a.start) / 1000, "x", true));
              const left = Math.max(u.bbox.left, x0);
              const right = Math.min(u.bbox.left + u.bbox.width, x1);
              if (right <= left) continue;
              ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
              ctx.beginPath();
              ctx.moveTo(left, u.bbox.top);
              ctx.lineTo(left, u.bbox.top + u.bbox.height);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
      },
    },
    samples, container);
  resizeWith(chart, container, height);
  return {
    chart,
    update(nextSamples, nextAnomalies) {
      marked = nextAnomalies;
      chart.setData(nextSamples);
    },
  };
}
