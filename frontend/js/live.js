// Live updates: on every tick, ask whether the article has a newer revision (a conditional GET
// answered 304 while it has not) and poll the article's claims changed since the last answer,
// so other people's revisions and claims appear without a reload. A full reload every few polls
// also notices deleted claims.

import { API_ROOT, apiList } from "./api.js";
import { latestUpdate } from "./claims.js";
import { etagRevision, ifNoneMatch } from "./revisions.js";

export const POLL_MS = 3000;
export const FULL_EVERY = 10;

export class LivePoller {
  constructor({ articleId, since, revision, onClaims, onFull, onRevision, interval = POLL_MS }) {
    this.articleId = articleId;
    this.since = since;
    this.revision = revision;
    this.onClaims = onClaims;
    this.onFull = onFull;
    this.onRevision = onRevision;
    this.interval = interval;
    this.polls = 0;
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

  seen(claims) {
    this.since = latestUpdate(this.since, claims);
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

  /** Look for a newer revision now (e.g. a claim just came back anchored to one). */
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
      await this.checkRevision();
      this.polls += 1;
      const base = `articles/${this.articleId}/claims/?page_size=500`;
      if (this.polls % FULL_EVERY === 0) {
        const claims = await apiList(base);
        this.seen(claims);
        this.onFull(claims);
      } else {
        const claims = await apiList(`${base}&updated_since=${encodeURIComponent(this.since)}`);
        this.seen(claims);
        if (claims.length) this.onClaims(claims);
      }
    } catch {
      // Offline or a server hiccup: the next tick tries again.
    } finally {
      this.busy = false;
    }
  }
}
