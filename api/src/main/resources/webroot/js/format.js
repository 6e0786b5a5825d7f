// Numbers, times and colour bands as the dashboards show them.
import { currentLanguage } from "./i18n.js";

let bands = { red: 0.65, green: 0.85 };

export function setBands(configured) {
  if (configured) bands = configured;
}

export function pct(value) {
  return value === null || value === undefined ? "–" : (value * 100).toFixed(1) + " %";
}

/** The CSS class of an OEE-type ratio's colour band. */
export function band(value) {
  if (value === null || value === undefined) return "band-none";
  if (value < bands.red) return "band-red";
  return value <= bands.green ? "band-yellow" : "band-green";
}

export function bandOf(value) {
  return band(value).slice(5);
}

/** Hours and minutes of an instant in a time zone (the factory's: where the shift happens). */
export function time(iso, timeZone) {
  return iso ? new Date(iso).toLocaleTimeString(currentLanguage(), { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }) : "";
}

/** As time(), with seconds. */
export function clock(iso, timeZone) {
  return iso ? new Date(iso).toLocaleTimeString(currentLanguage(), { hourCycle: "h23", timeZone }) : "";
}

export function minutes(ms) {
  return (ms / 60000).toFixed(1);
}

/** Creates an element: el("td", {className: "num"}, "text", child, ...). */
export function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === "dataset") Object.assign(e.dataset, v);
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e[k] = v;
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}
