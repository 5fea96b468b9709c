// The GOV.UK timeout-warning pattern. The server signs a person out after a spell without requests (the
// session's idle limit); a few minutes before that, a modal dialog offers "Stay signed in" (a request
// that renews the session) or "Sign out". Tabs share the time of the last request through localStorage,
// so working in one tab keeps the others' dialogs closed. Escape means "Stay signed in".
const dialog = document.getElementById("timeout-warning");
const LAST_REQUEST = "sendplan:last-request";

function start() {
  const idle = Number(dialog.dataset.idleSeconds) * 1000;
  const warn = Math.min(Number(dialog.dataset.warnSeconds) * 1000, idle / 2);
  const login = dialog.dataset.loginUrl;
  const countdown = dialog.querySelector("[data-timeout-countdown]");
  const announce = dialog.querySelector("[data-timeout-announce]");
  const live = dialog.querySelector("[data-timeout-live]");
  const heading = dialog.querySelector("#timeout-heading");
  const extendForm = dialog.querySelector("[data-timeout-extend]");
  const logoutForm = dialog.querySelector("[data-timeout-logout]");
  const signIn = dialog.querySelector("[data-timeout-sign-in]");
  let seen = Date.now();
  let state = "closed"; // closed, warning, signed-out
  let spoken = "";
  let returnFocus = null;

  const store = (action) => {
    try {
      return action(window.localStorage);
    } catch {
      return null;
    }
  };
  const touch = () => {
    seen = Date.now();
    store((s) => s.setItem(LAST_REQUEST, String(seen)));
  };
  const lastRequest = () => Math.max(seen, Number(store((s) => s.getItem(LAST_REQUEST))) || 0);
  const isSignIn = (url) => Boolean(url) && new URL(url, window.location.href).pathname.startsWith(login);

  function words(ms) {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds > 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minutes`;
    }
    return seconds === 1 ? "1 second" : `${seconds} seconds`;
  }

  function show(which) {
    for (const part of dialog.querySelectorAll("[data-timeout-when]")) {
      part.hidden = part.dataset.timeoutWhen !== which;
    }
  }

  function update(left) {
    const text = words(left);
    countdown.textContent = text;
    announce.textContent = `For your security, we will sign you out in ${text}.`;
    // Speak now and then, not every second: each minute, then every 15 seconds in the last minute.
    const step = left > 60000 ? text : words(Math.ceil(left / 15000) * 15000);
    if (step !== spoken) {
      spoken = step;
      live.textContent = `We will sign you out in ${step}.`;
    }
  }

  function open() {
    state = "warning";
    heading.textContent = "You’re about to be signed out";
    show("warning");
    returnFocus = document.activeElement;
    if (!dialog.open) dialog.showModal();
    dialog.focus();
  }

  function close() {
    state = "closed";
    spoken = "";
    if (dialog.open) dialog.close();
    if (returnFocus && returnFocus.focus) returnFocus.focus();
  }

  function signedOut() {
    state = "signed-out";
    heading.textContent = "You have been signed out";
    show("signed-out");
    signIn.href = `${login}?next=${encodeURIComponent(window.location.pathname + window.location.search)}`;
    if (!dialog.open) dialog.showModal();
    dialog.focus();
    live.textContent = "You have been signed out.";
    // End the session on the server now, so what the dialog says is true whatever its clock says.
    fetch(logoutForm.action, { method: "POST", body: new FormData(logoutForm), credentials: "same-origin" }).catch(
      () => {},
    );
  }

  async function stay() {
    try {
      const response = await fetch(extendForm.action, {
        method: "POST",
        body: new FormData(extendForm),
        credentials: "same-origin",
      });
      if (response.ok && !isSignIn(response.url)) {
        touch();
        close();
        return;
      }
      signedOut(); // the session had already ended
    } catch {
      live.textContent = "We could not reach the service. Check your connection and try again.";
    }
  }

  function tick() {
    if (state === "signed-out") return;
    const left = lastRequest() + idle - Date.now();
    if (left <= 0) {
      signedOut();
    } else if (left <= warn) {
      if (state !== "warning") open();
      update(left);
    } else if (state === "warning") {
      close(); // another tab kept the session
    }
  }

  extendForm.addEventListener("submit", (event) => {
    event.preventDefault();
    stay();
  });
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (state === "warning") stay();
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail.xhr;
    if (xhr && xhr.status > 0 && !isSignIn(xhr.responseURL)) touch();
  });
  touch(); // this page was just served: the session's idle time starts now
  window.setInterval(tick, 1000);
}

if (dialog && typeof dialog.showModal === "function") start();
