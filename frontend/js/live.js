// Live updates: on every tick, ask for the article's highlights again with the ETag of the last
// answer (a conditional GET, answered 304 while none of the article's claims changed), so other
// people's claims, changes and deletions appear without a reload. The highlights carry the
// revision their offsets count in; one past the page's means a newer revision of the article,
// fetched with its own conditional GET (answered 304 while the text is at the revision seen).

import { API_ROOT, ApiError } from "./api.js";
import { etagRevision, ifNoneMatch } from "./revisions.js";

export const POLL_MS = 3000;

export class LivePoller {
  constructor({ articleId, revision, onHighlights, onRevision, interval = POLL_MS }) {
    this.articleId = articleId;
    this.revision = revision;
    this.onHighlights = onHighlights;
    this.onRevision = onRevision;
    this.interval = interval;
    this.etag = null;
    this.timer = null;
    this.busy = false;
  }

  start() {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.interval);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.tick();
    });
  }

  stop() {
    clearInterval(this.timer);
    this.timer = null;
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
    if (this.busy || document.visibilityState === "hidden") return;
    this.busy = true;
    try {
      const sentAt = performance.now();
      const answer = await this.highlights();
      // An answer the page could not take (its newer revision not yet fetched) is asked for again.
      if (answer && !(await this.onHighlights(answer, sentAt))) this.etag = null;
    } catch {
      // Offline or a server hiccup: the next tick tries again.
    } finally {
      this.busy = false;
    }
  }
}
