// Gemba machine dashboard: live state and signals every 2 s, minute OEE every 10 s.
"use strict";

const LIVE_MS = 2000;
const OEE_MS = 10000;
const BANDS = { red: 0.65, green: 0.85 }; // < 65% red, 65-85% yellow, > 85% green

let machineId = new URLSearchParams(location.search).get("machine");

// The API wants a bearer token. A link may carry one in its fragment (#token=...), which is kept
// in this browser's storage and taken out of the address bar; the fragment never reaches a server.
const TOKEN_KEY = "gemba.token";
const fragmentToken = new URLSearchParams(location.hash.slice(1)).get("token");
if (fragmentToken) {
  localStorage.setItem(TOKEN_KEY, fragmentToken);
  history.replaceState(null, "", location.pathname + location.search);
}

function pct(value) {
  return value === null || value === undefined ? "–" : (value * 100).toFixed(1) + " %";
}

function band(value) {
  if (value === null || value === undefined) return "";
  if (value < BANDS.red) return "band-red";
  return value <= BANDS.green ? "band-yellow" : "band-green";
}

async function getJson(url) {
  const token = localStorage.getItem(TOKEN_KEY);
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  const response = await fetch(url, { headers });
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}

function showError(error) {
  const el = document.getElementById("error");
  el.hidden = !error;
  el.textContent = error ? String(error.message || error) : "";
}

function renderAssets(park) {
  document.getElementById("park-name").textContent = park.name;
  const nav = document.getElementById("assets");
  const root = document.createElement("ul");
  for (const factory of park.factories) {
    const f = document.createElement("li");
    f.textContent = factory.name;
    const lines = document.createElement("ul");
    for (const line of factory.lines) {
      const l = document.createElement("li");
      l.textContent = line.name;
      const machines = document.createElement("ul");
      for (const machine of line.machines) {
        const m = document.createElement("li");
        const a = document.createElement("a");
        a.href = "?machine=" + encodeURIComponent(machine.id);
        a.textContent = machine.name;
        a.dataset.machine = machine.id;
        if (machine.id === machineId) a.className = "selected";
        m.appendChild(a);
        machines.appendChild(m);
      }
      l.appendChild(machines);
      lines.appendChild(l);
    }
    f.appendChild(lines);
    root.appendChild(f);
  }
  nav.replaceChildren(root);
}

function findMachine(park, id) {
  for (const f of park.factories) for (const l of f.lines) for (const m of l.machines) {
    if (id === null || m.id === id) return { factory: f, line: l, machine: m };
  }
  return null;
}

async function refreshLive() {
  const live = await getJson(`/api/v1/machines/${encodeURIComponent(machineId)}/live`);
  const state = document.getElementById("state");
  state.textContent = live.state.replace("_", " ");
  state.className = "state state-" + live.state;
  document.getElementById("state-since").textContent =
    live.stateSince ? "since " + new Date(live.stateSince).toLocaleTimeString() : "";
  const rows = Object.entries(live.signals).map(([name, s]) => {
    const tr = document.createElement("tr");
    for (const [text, cls] of [[name], [s.value.toFixed(2), "num"], [s.unit], [s.quality], [new Date(s.ts).toLocaleTimeString()]]) {
      const td = document.createElement("td");
      td.textContent = text;
      if (cls) td.className = cls;
      tr.appendChild(td);
    }
    return tr;
  });
  document.querySelector("#signals tbody").replaceChildren(...rows);
}

function renderChart(points) {
  const svg = document.getElementById("chart");
  const ns = "http://www.w3.org/2000/svg";
  const width = 600, height = 160, slots = 60;
  const barWidth = width / slots;
  const end = Date.now();
  const bars = [];
  for (const p of points) {
    const slot = slots - 1 - Math.floor((end - Date.parse(p.start)) / 60000);
    if (slot < 0 || slot >= slots || p.oee === null) continue;
    const h = Math.max(1, Math.min(1, p.oee) * (height - 10));
    const rect = document.createElementNS(ns, "rect");
    rect.setAttribute("x", String(slot * barWidth + 1));
    rect.setAttribute("y", String(height - h));
    rect.setAttribute("width", String(barWidth - 2));
    rect.setAttribute("height", String(h));
    rect.setAttribute("class", band(p.oee));
    rect.setAttribute("fill", "currentColor");
    const title = document.createElementNS(ns, "title");
    title.textContent = `${new Date(p.start).toLocaleTimeString()} OEE ${pct(p.oee)}`;
    rect.appendChild(title);
    bars.push(rect);
  }
  svg.replaceChildren(...bars);
}

async function refreshOee() {
  const to = new Date();
  const from = new Date(to.getTime() - 3600 * 1000);
  const data = await getJson(
    `/api/v1/machines/${encodeURIComponent(machineId)}/oee?from=${from.toISOString()}&to=${to.toISOString()}`);
  const last = data.points[data.points.length - 1];
  for (const key of ["oee", "availability", "performance", "quality", "coverage"]) {
    const el = document.getElementById("kpi-" + key);
    const value = last ? last[key] : null;
    el.textContent = pct(value);
    el.className = "value " + (key === "coverage" ? "" : band(value));
  }
  document.getElementById("kpi-minute").textContent = last
    ? `Minute ${new Date(last.start).toLocaleTimeString()}: ${last.total} parts, ${last.good} good`
    : "No closed minute yet: OEE appears after the first full minute.";
  renderChart(data.points);
}

function every(ms, task) {
  const run = () => task().then(() => showError(null), showError);
  run();
  setInterval(run, ms);
}

(async function start() {
  try {
    const park = await getJson("/api/v1/assets");
    const found = findMachine(park, machineId);
    if (!found) throw new Error(`No machine '${machineId}' in this park.`);
    machineId = found.machine.id;
    renderAssets(park);
    document.getElementById("machine-title").textContent =
      `${found.machine.name} · ${found.line.name} · ${found.factory.name}`;
    every(LIVE_MS, refreshLive);
    every(OEE_MS, refreshOee);
  } catch (error) {
    showError(error);
  }
})();
