// What several views do alike: keep a minute series up to date, poll machine states.
import { getJson } from "../api.js";

/** `points` with the live minute `m` added or replaced (late data corrects a minute), last hour. */
export function mergeMinute(points, m) {
  const kept = points.filter((p) => p.start !== m.start && Date.parse(p.start) >= Date.now() - 3600_000);
  kept.push(m);
  kept.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  return kept;
}

const STATE_POLL_MS = 3000;

/** Calls `render(Map machine -> {state, since, reason})` with the factory's states every 3 s. */
export function machineStates(ctx, factoryId, render) {
  const poll = () => getJson(`/api/v1/factories/${encodeURIComponent(factoryId)}/states`).then(
    (data) => render(new Map(data.machines.map((m) => [m.machine, m]))), ctx.showError);
  poll();
  const timer = setInterval(poll, STATE_POLL_MS);
  return () => clearInterval(timer);
}
