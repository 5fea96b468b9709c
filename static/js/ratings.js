// Nothing typed into a rating is lost. Each criterion (a form, or a row of the whole-audit page, marked
// data-autosave="<ref>") autosaves through htmx; this script:
// - keeps what is typed in this browser (localStorage) until the server has saved it, and puts it back
//   when the page is opened again (after signing in again, say), then saves it;
// - says beside the criterion, as an error, when an autosave fails: signed out, a conflict, a server
//   error, or no connection (and saves again when the connection is back);
// - warns before leaving the page while anything is unsaved.
const DRAFT_PREFIX = "sendplan:draft:";
const DRAFT_MAX_AGE = 12 * 60 * 60 * 1000; // no session lasts longer
const dirty = new Map(); // ref -> revision of what is typed
const sent = new Map(); // ref -> revision the last request carried
const signedOut = new Set(); // refs whose last request met the sign-in page
let leaving = false;

const esc = (value) => CSS.escape(value);
const autosaveOf = (node) => (node && node.closest ? node.closest("[data-autosave]") : null);
const find = (ref) => document.querySelector(`[data-autosave="${esc(ref)}"]`);
const scopeOf = (el) => el.closest("[data-draft-scope]");

function draftKey(el) {
  const scope = scopeOf(el);
  return scope ? `${DRAFT_PREFIX}${scope.dataset.draftScope}:${el.dataset.autosave}` : null;
}

function storage(action) {
  try {
    return action(window.localStorage);
  } catch {
    return null; // storage refused (private browsing, full): the page still warns before leaving
  }
}

function versionInput(el) {
  return el.querySelector(`input[name="${esc(el.dataset.autosave)}-version"]`);
}

function snapshot(el) {
  const prefix = `${el.dataset.autosave}-`;
  const data = {};
  for (const field of el.querySelectorAll("input[name], textarea[name]")) {
    const name = field.name;
    if (!name.startsWith(prefix) || name.endsWith("-version") || name.endsWith("-was")) continue;
    if (field.type === "radio") {
      if (field.checked) data[name] = field.value;
    } else if (field.type !== "hidden") {
      data[name] = field.value;
    }
  }
  return data;
}

function sameAnswer(a, b) {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if ((a[key] || "").trim() !== (b[key] || "").trim()) return false;
  return true;
}

function keepDraft(el) {
  const key = draftKey(el);
  const version = versionInput(el);
  if (!key) return;
  const draft = { at: Date.now(), version: version ? version.value : "", data: snapshot(el) };
  storage((store) => store.setItem(key, JSON.stringify(draft)));
}

function dropDraft(el) {
  const key = draftKey(el);
  if (key) storage((store) => store.removeItem(key));
}

function apply(el, data) {
  const prefix = `${el.dataset.autosave}-`;
  for (const field of el.querySelectorAll("input[name], textarea[name]")) {
    const name = field.name;
    if (!name.startsWith(prefix)) continue;
    if (field.type === "radio") field.checked = data[name] === field.value;
    else if (field.tagName === "TEXTAREA" && name in data) field.value = data[name];
  }
}

function anchorOf(el) {
  const holder = el.id ? el : el.closest("[id]");
  return holder ? `#${holder.id}` : "";
}

function signInUrl(el) {
  const scope = scopeOf(el);
  const login = (scope && scope.dataset.loginUrl) || "/accounts/login/";
  const next = `${window.location.pathname}${window.location.search}${anchorOf(el)}`;
  return `${login}?next=${encodeURIComponent(next)}`;
}

function say(el, html, isError) {
  const ref = el.dataset.autosave;
  let box = document.getElementById(`problem-${ref}`);
  if (!box) {
    box = document.createElement("p");
    box.id = `problem-${ref}`;
    el.appendChild(box);
  }
  box.className = isError ? "govuk-error-message app-save-problem" : "govuk-body-s app-save-problem";
  box.setAttribute("role", isError ? "alert" : "status");
  box.innerHTML = html;
  el.classList.toggle("app-autosave--error", Boolean(isError));
}

function clearProblem(el) {
  const box = document.getElementById(`problem-${el.dataset.autosave}`);
  if (box) box.remove();
  el.classList.remove("app-autosave--error");
}

const KEPT = "What you typed is still here, and kept in this browser.";

function problem(el, kind, status) {
  const ref = el.dataset.autosave;
  const error = '<span class="govuk-visually-hidden">Error:</span> ';
  if (kind === "signed-out") {
    say(
      el,
      `${error}${ref} was not saved: you have been signed out. ${KEPT} ` +
        `<a class="govuk-link" data-keeps-drafts href="${signInUrl(el)}">Sign in again to save it</a>`,
      true,
    );
  } else if (kind === "conflict") {
    say(el, `${error}${ref} was not saved: someone else changed it since you opened this page. Check both versions, then save again.`, true);
  } else if (kind === "offline") {
    say(el, `${error}${ref} was not saved: there is no connection. ${KEPT} It will be saved when you are back online.`, true);
  } else {
    say(el, `${error}${ref} was not saved: something went wrong (error ${status}). ${KEPT} Try again in a few minutes, or reload the page.`, true);
  }
}

function markDirty(el) {
  const ref = el.dataset.autosave;
  dirty.set(ref, (dirty.get(ref) || 0) + 1);
  keepDraft(el);
}

function isSignInPage(xhr, el) {
  if (!xhr || !xhr.responseURL) return false;
  const scope = scopeOf(el);
  const login = (scope && scope.dataset.loginUrl) || "/accounts/login/";
  return new URL(xhr.responseURL).pathname.startsWith(login);
}

function naWithoutReason(el) {
  const ref = esc(el.dataset.autosave);
  const na = el.querySelector(`input[name="${ref}-level"][value="na"]:checked`);
  const reason = el.querySelector(`textarea[name="${ref}-na_reason"]`);
  return Boolean(na && reason && !reason.value.trim());
}

document.addEventListener("input", (event) => {
  const el = autosaveOf(event.target);
  if (el) markDirty(el);
});
document.addEventListener("change", (event) => {
  const el = autosaveOf(event.target);
  if (el && event.target !== el) markDirty(el);
});

document.addEventListener("htmx:confirm", (event) => {
  const el = autosaveOf(event.detail.elt);
  const trigger = event.detail.triggeringEvent;
  // "Not applicable" without its reason yet: wait for the reason rather than fail (a Save press still asks).
  if (el && (!trigger || trigger.type !== "submit") && naWithoutReason(el)) event.preventDefault();
});

document.addEventListener("htmx:beforeRequest", (event) => {
  const el = autosaveOf(event.detail.elt);
  if (el) sent.set(el.dataset.autosave, dirty.get(el.dataset.autosave));
});

document.addEventListener("htmx:beforeSwap", (event) => {
  const el = autosaveOf(event.detail.elt);
  if (!el) return;
  const xhr = event.detail.xhr;
  if (isSignInPage(xhr, el)) {
    // The session ended: the server answered with the sign-in page. Show nothing of it here.
    signedOut.add(el.dataset.autosave);
    event.detail.shouldSwap = false;
    event.detail.isError = true;
  } else if (xhr.status === 409 || xhr.status === 422) {
    // A conflict (both versions shown) or an unfinished answer (what is missing): draw it.
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

document.addEventListener("htmx:afterRequest", (event) => {
  // When a conflict redraws the criterion, htmx reports on the nearest element still on the page:
  // the element that sent the request is in requestConfig.
  const config = event.detail.requestConfig;
  const before = autosaveOf(config ? config.elt : event.detail.elt);
  if (!before) return;
  const ref = before.dataset.autosave;
  const el = find(ref) || before; // a conflict redraws the criterion: use the new one
  const xhr = event.detail.xhr;
  if (signedOut.delete(ref)) {
    problem(el, "signed-out");
  } else if (!xhr || xhr.status === 0) {
    problem(el, "offline");
  } else if (xhr.status === 409) {
    problem(el, "conflict");
  } else if (xhr.status === 422) {
    clearProblem(el); // the status line says what is missing; it stays unsaved
  } else if (xhr.status >= 400) {
    problem(el, "error", xhr.status);
  } else {
    clearProblem(el);
    if (dirty.get(ref) === sent.get(ref)) {
      dirty.delete(ref);
      dropDraft(el);
    }
  }
});

window.addEventListener("online", () => {
  for (const ref of dirty.keys()) {
    const el = find(ref);
    if (el && !naWithoutReason(el)) window.htmx.trigger(el, "change");
  }
});

document.addEventListener("click", (event) => {
  if (event.target.closest && event.target.closest("[data-keeps-drafts]")) leaving = true;
});
document.addEventListener("submit", (event) => {
  // A form that saves every row (the whole-audit page without htmx) takes the unsaved text with it.
  if (!event.defaultPrevented && event.target.querySelector("[data-autosave]")) leaving = true;
});
window.addEventListener("pageshow", () => {
  leaving = false;
});
window.addEventListener("beforeunload", (event) => {
  if (leaving || dirty.size === 0) return;
  event.preventDefault();
  event.returnValue = ""; // older browsers need a value to show their "leave page?" question
});

function restoreDrafts() {
  for (const el of document.querySelectorAll("[data-autosave]")) {
    const key = draftKey(el);
    const raw = key && storage((store) => store.getItem(key));
    if (!raw) continue;
    let draft = null;
    try {
      draft = JSON.parse(raw);
    } catch {
      draft = null;
    }
    if (!draft || !draft.data || Date.now() - draft.at > DRAFT_MAX_AGE || sameAnswer(draft.data, snapshot(el))) {
      dropDraft(el);
      continue;
    }
    apply(el, draft.data);
    // Save on top of the version the typing started from: if someone saved since, that is a conflict.
    const version = versionInput(el);
    if (version && draft.version !== "") version.value = draft.version;
    markDirty(el);
    say(el, `Your unsaved changes to ${el.dataset.autosave} were kept in this browser and have been put back. Saving them now.`, false);
    if (!naWithoutReason(el)) window.htmx.trigger(el, "change");
  }
}

// After htmx has set up the page's autosaves (it starts on DOMContentLoaded, registered before this).
if (window.htmx) {
  const later = () => window.setTimeout(restoreDrafts, 0);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", later);
  else later();
}
