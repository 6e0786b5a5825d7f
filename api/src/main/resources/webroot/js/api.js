// Calls to the API, who they are made as, and the live stream of a scope.
//
// A person signs in: the API keeps the session's refresh token in a cookie no script can read,
// and this page holds only a short-lived access token, in memory, refreshed before it expires.
// A wall screen opens a link with a viewer's long-lived token (#token=...): that token is kept in
// this browser's storage, so the screen comes back after a power cut.
const LINK_KEY = "gemba.token";
const SESSION_HEADERS = { "X-Requested-With": "gemba-dashboard" };

let accessToken = null;
let fromLink = false;
let refreshTimer = null;

/** The claims of a JWT, or {} when it is not one. */
export function claims(token) {
  try {
    const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return {};
  }
}

function expired(token) {
  const exp = claims(token).exp;
  return !exp || exp * 1000 <= Date.now();
}

/** The token a link carries in its fragment (#token=...), taken out of the address bar. */
export function takeLinkFromAddress() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get("token");
  if (!token) return null;
  history.replaceState(null, "", location.pathname + location.search + "#/");
  return token;
}

/** Uses a link's token from now on, in this browser. */
export function acceptLink(token) {
  localStorage.setItem(LINK_KEY, token);
  accessToken = token;
  fromLink = true;
}

/** The user the current token names, or null. */
export function currentUser() {
  return accessToken ? claims(accessToken).sub : null;
}

function useSessionToken(body) {
  accessToken = body.accessToken;
  fromLink = false;
  clearTimeout(refreshTimer);
  const inMs = Date.parse(body.expiresAt) - Date.now() - 60_000;
  refreshTimer = setTimeout(() => refresh(), Math.max(5_000, inMs));
}

/** Gets a new access token for the signed-in session; false when there is none. */
async function refresh() {
  const response = await fetch("/api/v1/session/refresh", { method: "POST", headers: SESSION_HEADERS });
  if (response.status !== 200) return false;
  useSessionToken(await response.json());
  return true;
}

/**
 * Resumes what this browser had: a link's token still valid, or else a signed-in session.
 * Returns whether the dashboard may call the API now.
 */
export async function resume() {
  const link = localStorage.getItem(LINK_KEY);
  if (link && !expired(link)) {
    accessToken = link;
    fromLink = true;
    return true;
  }
  if (link) localStorage.removeItem(LINK_KEY);
  return refresh();
}

/** Signs in; throws an Error whose message the API wrote, with retryAfter (s) when throttled. */
export async function signIn(user, password) {
  const response = await fetch("/api/v1/session", {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ user, password }),
  });
  const body = await response.json();
  if (!response.ok) {
    const error = new Error(body.detail || response.statusText);
    error.status = response.status;
    error.retryAfter = Number(response.headers.get("Retry-After")) || 0;
    throw error;
  }
  localStorage.removeItem(LINK_KEY);
  useSessionToken(body);
}

/** Signs out: ends the session on the API and forgets every token of this browser. */
export async function signOut() {
  clearTimeout(refreshTimer);
  accessToken = null;
  localStorage.removeItem(LINK_KEY);
  await fetch("/api/v1/session", { method: "DELETE", headers: SESSION_HEADERS });
}

const signedOutListeners = new Set();

/** Called when the API no longer accepts this browser's token and there is no session left. */
export function onSignedOut(listener) {
  signedOutListeners.add(listener);
}

async function call(url, init = {}, retried = false) {
  const headers = { Accept: "application/json", ...(init.headers || {}) };
  if (accessToken) headers.Authorization = "Bearer " + accessToken;
  const response = await fetch(url, { ...init, headers });
  if (response.status === 401 && !retried) {
    if (!fromLink && (await refresh())) return call(url, init, true);
    accessToken = null;
    signedOutListeners.forEach((l) => l());
  }
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
 * Last-Event-ID. The API ends a stream when its token expires ("expired"): it is opened again with
 * a fresh token. Returns a function that closes the stream.
 */
export function openLive(params, handlers) {
  let source = null;
  let closed = false;
  const status = (s) => listeners.forEach((l) => l(s));
  const open = () => {
    const query = new URLSearchParams(params);
    query.set("access_token", accessToken || "");
    source = new EventSource("/api/v1/live?" + query);
    status("connecting");
    source.onopen = () => status("live");
    source.onerror = () => status(source.readyState === EventSource.CLOSED ? "offline" : "connecting");
    source.addEventListener("expired", async () => {
      source.close();
      if (closed) return;
      if (fromLink || (await refresh())) open();
      else signedOutListeners.forEach((l) => l());
    });
    for (const kind of ["oee", "oee_shift", "anomaly"]) {
      if (handlers[kind]) {
        source.addEventListener(kind, (event) => handlers[kind](JSON.parse(event.data)));
      }
    }
  };
  open();
  return () => {
    closed = true;
    source.close();
  };
}
