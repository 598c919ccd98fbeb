// The live-update socket of the reading view: the server pushes a hint whenever something of the
// article changes (a claim, a verdict, a comment, a new revision). A hint carries no data the page
// shows; the page answers it with its usual conditional GETs (live.js). A socket that drops is
// opened again after a growing, jittered delay; meanwhile the page polls.

export const RECONNECT_MIN_MS = 500;
export const RECONNECT_MAX_MS = 30000;

/** The delay before reconnect attempt `attempt` (0, 1, …): doubling from `min` up to `max`, jittered by up to a half. */
export function reconnectDelay(attempt, { min = RECONNECT_MIN_MS, max = RECONNECT_MAX_MS, random = Math.random } = {}) {
  const base = Math.min(max, min * 2 ** Math.max(0, attempt));
  return Math.round(base / 2 + (base / 2) * random());
}

/** The socket URL of an article's live updates, on the page's own host (wss: under https:). */
export function socketUrl(articleId, loc = globalThis.location) {
  const scheme = loc.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${loc.host}/ws/articles/${encodeURIComponent(articleId)}/`;
}

/** A hint as the server sends it, or null for anything else. */
export function parseHint(data) {
  let hint;
  try {
    hint = JSON.parse(data);
  } catch {
    return null;
  }
  if (!hint || typeof hint !== "object" || !Number.isInteger(hint.article) || typeof hint.action !== "string") return null;
  return {
    article: hint.article,
    action: hint.action,
    claim: Number.isInteger(hint.claim) ? hint.claim : null,
    revision: Number.isInteger(hint.revision) ? hint.revision : null,
  };
}

export class LiveSocket {
  /**
   * `onHint(hint)` for each change; `onState(open)` when the socket opens (true) or drops (false).
   * `WebSocketImpl`, `setTimer`, `clearTimer` and `random` can be swapped in tests.
   */
  constructor({
    url,
    onHint,
    onState = () => {},
    WebSocketImpl = globalThis.WebSocket,
    setTimer = (fn, ms) => setTimeout(fn, ms),
    clearTimer = (id) => clearTimeout(id),
    random = Math.random,
  }) {
    this.url = url;
    this.onHint = onHint;
    this.onState = onState;
    this.WebSocketImpl = WebSocketImpl;
    this.setTimer = setTimer;
    this.clearTimer = clearTimer;
    this.random = random;
    this.socket = null;
    this.open = false;
    this.attempts = 0;
    this.retry = null;
    this.stopped = true;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  /** Try again now rather than after the backoff (the browser is back online, the tab visible again). */
  retryNow() {
    if (this.stopped || this.socket) return;
    this.clearTimer(this.retry);
    this.retry = null;
    this.attempts = 0;
    this.connect();
  }

  stop() {
    this.stopped = true;
    this.clearTimer(this.retry);
    this.retry = null;
    if (this.socket) {
      const socket = this.socket;
      this.socket = null;
      socket.close();
    }
    this.setOpen(false);
  }

  connect() {
    this.retry = null;
    if (this.stopped) return;
    let socket;
    try {
      socket = new this.WebSocketImpl(this.url);
    } catch {
      this.dropped(null);
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.attempts = 0;
      this.setOpen(true);
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      const hint = parseHint(event.data);
      if (hint) this.onHint(hint);
    };
    socket.onclose = () => this.dropped(socket);
    socket.onerror = () => {
      // A close event follows.
    };
  }

  dropped(socket) {
    if (socket !== this.socket) return;
    this.socket = null;
    this.setOpen(false);
    if (this.stopped || this.retry) return;
    const delay = reconnectDelay(this.attempts, { random: this.random });
    this.attempts += 1;
    this.retry = this.setTimer(() => this.connect(), delay);
  }

  setOpen(open) {
    if (this.open === open) return;
    this.open = open;
    this.onState(open);
  }
}
