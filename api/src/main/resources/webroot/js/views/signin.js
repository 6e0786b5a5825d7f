// The sign-in page: a user name and a password. Repeated failures are slowed down by the API,
// which says how long to wait; the page says it too.
import { signIn } from "../api.js";
import { el } from "../format.js";
import { t } from "../i18n.js";

/** Shows the sign-in form in `view`; calls `done` once signed in. */
export function signInView(view, done) {
  const user = el("input", { id: "sign-in-user", name: "username", autocomplete: "username", required: true });
  const password = el("input", {
    id: "sign-in-password", name: "password", type: "password", autocomplete: "current-password", required: true,
  });
  const problem = el("p", { id: "sign-in-error", className: "error-inline", role: "alert", hidden: true });
  const button = el("button", { id: "sign-in-submit", type: "submit", className: "primary", textContent: t("signIn") });
  const form = el("form", { id: "sign-in", className: "card sign-in" },
    el("h2", { textContent: t("signInTitle") }),
    el("label", { htmlFor: "sign-in-user", textContent: t("userName") }), user,
    el("label", { htmlFor: "sign-in-password", textContent: t("password") }), password,
    button, problem);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    problem.hidden = true;
    try {
      await signIn(user.value.trim(), password.value);
      password.value = "";
      done();
    } catch (error) {
      password.value = "";
      problem.hidden = false;
      problem.textContent = error.status === 429
        ? t("tooManyAttempts").replace("{s}", String(error.retryAfter || 1))
        : error.status === 401 ? t("wrongPassword") : String(error.message || error);
    } finally {
      button.disabled = false;
    }
  });
  view.replaceChildren(form);
  user.focus();
}

/**
 * Asks whether a link that signs in as someone else may replace the one signed in now: `choose`
 * is called with true (switch) or false (stay).
 */
export function confirmLinkView(view, linkUser, currentUser, choose) {
  view.replaceChildren(el("div", { id: "link-confirm", className: "card sign-in" },
    el("h2", { textContent: t("linkTitle") }),
    el("p", { textContent: t("linkQuestion").replace("{link}", linkUser).replace("{current}", currentUser) }),
    el("div", { className: "title-row" },
      el("button", { id: "link-switch", className: "primary", textContent: t("linkSwitch").replace("{link}", linkUser), onclick: () => choose(true) }),
      el("button", { id: "link-stay", textContent: t("linkStay").replace("{current}", currentUser), onclick: () => choose(false) }))));
}
