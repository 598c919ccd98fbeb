// The workbench window the bookmarklet opens. It says it is ready to the opener, addressed to the
// origin the opener declared in this window's address only, with a nonce of this page; it accepts
// one capture message, and only from the opener, from that origin, with that nonce, for a page on
// that origin. Then it posts the capture with the reader's session and CSRF token.
const settings = JSON.parse(document.getElementById("capture-settings").textContent);
const status = document.getElementById("capture-status");
const result = document.getElementById("capture-result");
const ignored = document.getElementById("capture-ignored");
let received = false;

function say(text, { error = false } = {}) {
  status.textContent = text;
  status.classList.toggle("error", error);
}

function csrfToken() {
  const cookie = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  const input = document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch (_error) {
    return null;
  }
}

function showResult(body) {
  const link = document.createElement("a");
  link.href = body.open_url;
  link.textContent = `Open “${body.article.title}”`;
  link.id = "capture-open";
  result.replaceChildren();
  if (body.message) {
    const note = document.createElement("p");
    note.textContent = body.message;
    note.id = "capture-message";
    note.setAttribute("role", "alert");
    result.append(note);
  }
  result.append(link);
  result.hidden = false;
  link.focus();
}

async function send(capture) {
  say(`Sending “${capture.title || capture.url}” to the workbench…`);
  let response;
  try {
    response = await fetch(settings.api, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), Accept: "application/json" },
      body: JSON.stringify({
        team: settings.team,
        page_origin: settings.origin,
        url: capture.url,
        canonical_url: capture.canonical_url || "",
        title: capture.title || "",
        byline: capture.byline || "",
        published: capture.published || "",
        html: capture.html,
        selection: capture.selection || null,
      }),
    });
  } catch (_error) {
    say("The workbench could not be reached. Nothing was saved.", { error: true });
    return;
  }
  let body = null;
  try {
    body = await response.json();
  } catch (_error) {
    body = null;
  }
  if (!response.ok) {
    const error = (body && body.error) || {};
    const fields = error.fields ? Object.values(error.fields).flat().join(" ") : "";
    const message = error.message || `The workbench refused the capture (HTTP ${response.status}).`;
    say(fields && fields !== message ? `${message} ${fields}` : message, { error: true });
    return;
  }
  const placed = body.selection.state !== "not_placed";
  say(placed ? "Saved. Opening the article…" : "Saved, but the selection could not be marked as a claim.");
  showResult(body);
  if (placed && !body.message) window.location.assign(body.open_url);
}

window.addEventListener("message", (event) => {
  const data = event.data;
  const fromOpener = window.opener !== null && event.source === window.opener;
  if (!fromOpener || event.origin !== settings.origin || !data || data.type !== "workbench-capture") {
    if (data && data.type === "workbench-capture") {
      ignored.textContent = `A capture from ${event.origin} was ignored: this window expects one from ${settings.origin}.`;
      ignored.hidden = false;
    }
    return;
  }
  if (received || data.nonce !== settings.nonce) return;
  const capture = data.capture;
  if (!capture || typeof capture.html !== "string" || typeof capture.url !== "string") {
    say("The page sent no capture the workbench can read.", { error: true });
    return;
  }
  if (originOf(capture.url) !== settings.origin) {
    say("The captured page is not on the origin that opened this window; it was refused.", { error: true });
    return;
  }
  received = true;
  send(capture);
});

if (!window.opener) {
  say("Open this window with the “Send to workbench” bookmarklet, from the page you want to capture.", { error: true });
} else {
  say(`Waiting for the page at ${settings.origin}…`);
  window.opener.postMessage({ type: "workbench-capture-ready", nonce: settings.nonce }, settings.origin);
}
