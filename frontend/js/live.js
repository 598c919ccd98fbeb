// Live updates: on every tick, ask for the article's highlights again with the ETag of the last
// answer (a conditional GET, answered 304 while none of the article's claims changed), so other
// people's claims, changes and deletions appear without a reload. The highlights carry the
// revision their offsets count in; one past the page's means a newer revision of the article,
// fetched with its own conditional GET (answered 304 while the text is at the revision seen).
//
// Ticks are pushed: a WebSocket (live-socket.js) tells the page when something of the article
// changed, and the page asks at once. While the socket is open the page still asks now and then
// (a hint lost on the way is caught up); while it is down the page polls every `interval` and the
// socket is opened again with backoff. `document.body.dataset.liveMode` says which ("socket" or
// "polling").

import { API_ROOT, ApiError } from "./api.js";
import { LiveSocket, socketUrl } from "./live-socket.js";
import { etagRevision, ifNoneMatch } from "./revisions.js";

export const POLL_MS = 3000;
/** How often the page asks while the socket is open: only a safety net for a lost hint. */
export const SOCKET_POLL_MS = 30000;

export class LivePoller {
  /**
   * `socket`: a LiveSocket-like object ({start, stop}) made by `socket({onHint, onState})`, or
   * false to only poll; by default the article's own socket when the browser has WebSocket.
   */
  constructor({ articleId, revision, onHighlights, onRevision, interval = POLL_MS, socketInterval = SOCKET_POLL_MS, socket }) {
    this.articleId = articleId;
    this.revision = revision;
    this.onHighlights = onHighlights;
    this.onRevision = onRevision;
    this.interval = interval;
    this.socketInterval = socketInterval;
    this.etag = null;
    this.timer = null;
    this.period = null;
    this.busy = false;
    this.again = false;
    this.pushed = false;
    this.socketFactory = socket === undefined ? defaultSocket(articleId) : socket || null;
    this.socket = null;
    this.onVisible = () => {
      if (document.visibilityState !== "visible") return;
      if (this.socket && this.socket.retryNow) this.socket.retryNow();
      this.tick();
    };
    this.onOnline = () => {
      if (this.socket && this.socket.retryNow) this.socket.retryNow();
      this.tick();
    };
  }

  start() {
    if (this.timer) return;
    this.schedule(this.interval);
    this.showMode();
    document.addEventListener("visibilitychange", this.onVisible);
    if (typeof window !== "undefined") window.addEventListener("online", this.onOnline);
    if (this.socketFactory && !this.socket) {
      this.socket = this.socketFactory({ onHint: (hint) => this.hint(hint), onState: (open) => this.socketState(open) });
      this.socket.start();
    }
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
    this.period = null;
    document.removeEventListener("visibilitychange", this.onVisible);
    if (typeof window !== "undefined") window.removeEventListener("online", this.onOnline);
    if (this.socket) this.socket.stop();
    this.socket = null;
    this.pushed = false;
  }

  /** Poll every `ms` from now on. */
  schedule(ms) {
    if (this.timer && this.period === ms) return;
    clearInterval(this.timer);
    this.period = ms;
    this.timer = setInterval(() => this.tick(), ms);
  }

  /** The socket opened (ask now: changes may have been missed while it was down) or dropped (poll). */
  socketState(open) {
    this.pushed = open;
    if (!this.timer) return;
    this.schedule(open ? this.socketInterval : this.interval);
    this.showMode();
    this.tick();
  }

  /** A hint pushed by the server: something of this article changed, so ask now. */
  hint(hint) {
    if (!hint || String(hint.article) !== String(this.articleId)) return;
    this.tick();
  }

  showMode() {
    if (typeof document !== "undefined" && document.body) document.body.dataset.liveMode = this.pushed ? "socket" : "polling";
  }

  /**
   * The article's highlights ({article, revision, claims}), or null while they are the ones last
   * answered (304). `fresh` asks for them whatever was answered before.
   */
  async highlights({ fresh = false } = {}) {
    const headers = {};
    if (this.etag && !fresh) headers["If-None-Match"] = this.etag;
    const response = await fetch(`${API_ROOT}articles/${this.articleId}/highlights/`, {
      credentials: "same-origin",
      cache: "no-store",
      headers,
    });
    if (response.status === 304) return null;
    const answer = await response.json().catch(() => null);
    if (!response.ok || !answer) throw new ApiError(response.status, answer);
    this.etag = response.headers.get("ETag");
    return answer;
  }

  /** The article if it is past the latest revision seen (which then moves on), else null. */
  async newerRevision() {
    const response = await fetch(`${API_ROOT}articles/${this.articleId}/`, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json", "If-None-Match": ifNoneMatch(this.revision) },
    });
    if (response.status === 304 || !response.ok) return null;
    const tagged = etagRevision(response.headers.get("ETag"));
    if (tagged !== null && tagged <= this.revision) return null;
    const article = await response.json();
    if (!Number.isInteger(article.revision) || article.revision <= this.revision) return null;
    this.revision = article.revision;
    return article;
  }

  /** Look for a newer revision now (the highlights, or a claim just marked, count in one). */
  async checkRevision() {
    try {
      const article = await this.newerRevision();
      if (article) await this.onRevision(article);
    } catch {
      // The next tick asks again.
    }
  }

  async tick() {
    if (document.visibilityState === "hidden") return;
    if (this.busy) {
      // A change announced while a request is out may have missed it: ask once more after it.
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        const sentAt = performance.now();
        const answer = await this.highlights();
        // An answer the page could not take (its newer revision not yet fetched) is asked for again.
        if (answer && !(await this.onHighlights(answer, sentAt))) this.etag = null;
      } while (this.again);
    } catch {
      // Offline or a server hiccup: the next tick tries again.
    } finally {
      this.busy = false;
    }
  }
}

function defaultSocket(articleId) {
  if (typeof WebSocket === "undefined" || typeof location === "undefined") return null;
  return ({ onHint, onState }) => new LiveSocket({ url: socketUrl(articleId), onHint, onState });
}
