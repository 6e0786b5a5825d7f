// Calls to the API with the bearer token, and the live stream of a scope.
const TOKEN_KEY = "gemba.token";

/**
 * A link may carry a token in its fragment (#token=...): it is kept in this browser's storage and
 * taken out of the address bar. The fragment never reaches a server.
 */
export function takeTokenFromAddress() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get("token");
  if (token) {
    localStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, "", location.pathname + location.search + "#/");
  }
}

export function hasToken() {
  return Boolean(localStorage.getItem(TOKEN_KEY));
}

async function call(url, init = {}) {
  const headers = { Accept: "application/json", ...(init.headers || {}) };
  const token = localStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = "Bearer " + token;
  const response = await fetch(url, { ...init, headers });
  if (response.status === 204) return null;
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}

export function getJson(url) {
  return call(url);
}

export function postJson(url, body) {
  return call(url, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** ISO instant `ms` milliseconds before now. */
export function ago(ms) {
  return new Date(Date.now() - ms).toISOString();
}

const listeners = new Set();

/** Called with "live", "connecting" or "offline" as the current stream's connection changes. */
export function onLiveStatus(listener) {
  listeners.add(listener);
}

/**
 * Opens the live stream of a scope; `handlers` has optional oee, oee_shift and anomaly functions,
 * each called with the event's parsed JSON. The browser reconnects on its own and resumes with
 * Last-Event-ID. Returns a function that closes the stream.
 */
export function openLive(params, handlers) {
  const query = new URLSearchParams(params);
  query.set("access_token", localStorage.getItem(TOKEN_KEY) || "");
  const source = new EventSource("/api/v1/live?" + query);
  const status = (s) => listeners.forEach((l) => l(s));
  status("connecting");
  source.onopen = () => status("live");
  source.onerror = () => status(source.readyState === EventSource.CLOSED ? "offline" : "connecting");
  for (const kind of ["oee", "oee_shift", "anomaly"]) {
    if (handlers[kind]) {
      source.addEventListener(kind, (event) => handlers[kind](JSON.parse(event.data)));
    }
  }
  return () => source.close();
}
