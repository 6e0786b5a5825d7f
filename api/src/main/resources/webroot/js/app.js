// Gemba dashboards: one page, four views (park, factory, line, machine) chosen by the address's
// fragment: #/park, #/factory/<f>, #/line/<f>/<l>, #/machine/<m>.
import {
  acceptLink, claims, currentUser, getJson, onLiveStatus, onSignedOut, resume, signOut, takeLinkFromAddress,
} from "./api.js";
import { el, setBands } from "./format.js";
import { currentLanguage, LANGUAGES, setLanguage, t } from "./i18n.js";
import { parkView } from "./views/park.js";
import { factoryView } from "./views/factory.js";
import { lineView } from "./views/line.js";
import { machineView } from "./views/machine.js";
import { confirmLinkView, signInView } from "./views/signin.js";

const view = document.getElementById("view");
let context = null;
let dispose = () => {};

export function showError(error) {
  const box = document.getElementById("error");
  box.hidden = !error;
  box.textContent = error ? String(error.message || error) : "";
}

function crumbs(parts) {
  const nav = document.getElementById("crumbs");
  nav.replaceChildren(...parts.flatMap((p, i) => [
    i > 0 ? el("span", { className: "sep", textContent: "›" }) : null,
    p.hash ? el("a", { href: p.hash, textContent: p.text }) : el("span", { textContent: p.text }),
  ].filter(Boolean)));
}

function home() {
  return context.me.readsPark ? "#/park" : "#/factory/" + encodeURIComponent(context.me.factory);
}

function route() {
  if (location.hash.startsWith("#token=")) {
    followLink(takeLinkFromAddress(), true);
    return;
  }
  dispose();
  dispose = () => {};
  showError(null);
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  const park = context.park;
  const factory = (id) => park.factories.find((f) => f.id === id);
  const trail = context.me.readsPark ? [{ text: park.name, hash: "#/park" }] : [];
  try {
    if (parts[0] === "factory" && factory(parts[1])) {
      const f = factory(parts[1]);
      crumbs([...trail, { text: f.name }]);
      dispose = factoryView(view, context, f);
    } else if (parts[0] === "line" && factory(parts[1])?.lines.find((l) => l.id === parts[2])) {
      const f = factory(parts[1]);
      const l = f.lines.find((x) => x.id === parts[2]);
      crumbs([...trail, { text: f.name, hash: "#/factory/" + encodeURIComponent(f.id) }, { text: l.name }]);
      dispose = lineView(view, context, f, l);
    } else if (parts[0] === "machine" && context.placement(parts[1])) {
      const { factory: f, line: l, machine: m } = context.placement(parts[1]);
      crumbs([...trail, { text: f.name, hash: "#/factory/" + encodeURIComponent(f.id) },
        { text: l.name, hash: `#/line/${encodeURIComponent(f.id)}/${encodeURIComponent(l.id)}` }, { text: m.name }]);
      dispose = machineView(view, context, f, l, m);
    } else if (parts[0] === "park" && context.me.readsPark) {
      crumbs([{ text: park.name }]);
      dispose = parkView(view, context);
    } else {
      location.replace(home());
    }
  } catch (error) {
    showError(error);
  }
}

function renderHeader() {
  const lang = document.getElementById("lang");
  lang.textContent = t("language");
  lang.onclick = () => {
    setLanguage(LANGUAGES[(LANGUAGES.indexOf(currentLanguage()) + 1) % LANGUAGES.length]);
    renderHeader();
    if (context) route();
    else showSignIn();
  };
  if (context) document.getElementById("user").textContent = `${t("signedInAs")} ${context.me.name} (${context.me.role})`;
  document.getElementById("live-status").hidden = !context;
  const out = document.getElementById("sign-out");
  out.textContent = t("signOut");
  out.hidden = !context;
}

/** Back to the sign-in page: nothing of the last user stays on screen. */
function showSignIn() {
  dispose();
  dispose = () => {};
  context = null;
  window.removeEventListener("hashchange", route);
  document.getElementById("crumbs").replaceChildren();
  document.getElementById("user").textContent = "";
  renderHeader();
  signInView(view, () => open());
}

/** Loads who the user is and the park, then shows the view the address names. */
async function open() {
  try {
    const [config, me, park] = await Promise.all([
      fetch("config.json").then((r) => r.json()), getJson("/api/v1/me"), getJson("/api/v1/assets")]);
    setBands(config.oeeBands);
    const placements = new Map();
    for (const f of park.factories) for (const l of f.lines) for (const m of l.machines) placements.set(m.id, { factory: f, line: l, machine: m });
    context = { me, park, placement: (id) => placements.get(id), showError };
    renderHeader();
    window.removeEventListener("hashchange", route);
    window.addEventListener("hashchange", route);
    route();
  } catch (error) {
    showError(error);
  }
}

onLiveStatus((status) => {
  const badge = document.getElementById("live-status");
  badge.dataset.state = status;
  badge.textContent = t(status);
});

document.getElementById("sign-out").addEventListener("click", async () => {
  await signOut();
  showSignIn();
});
onSignedOut(() => showSignIn());

/**
 * Opens the dashboard with a link's token; when someone else is signed in on this browser, asks
 * first: a link must not quietly replace them.
 */
function followLink(link, signedIn) {
  const linkUser = claims(link).sub;
  if (signedIn && currentUser() && currentUser() !== linkUser) {
    dispose();
    dispose = () => {};
    confirmLinkView(view, linkUser, currentUser(), async (switchTo) => {
      if (switchTo) {
        await signOut();
        acceptLink(link);
      }
      open();
    });
    return;
  }
  acceptLink(link);
  open();
}

(async function start() {
  setLanguage(currentLanguage());
  renderHeader();
  const link = takeLinkFromAddress();
  // The skeleton's links: ?machine=<id>
  const legacy = new URLSearchParams(location.search).get("machine");
  if (legacy) history.replaceState(null, "", location.pathname + "#/machine/" + encodeURIComponent(legacy));
  const signedIn = await resume();
  if (link) {
    followLink(link, signedIn);
  } else if (signedIn) {
    open();
  } else {
    showSignIn();
  }
})();
