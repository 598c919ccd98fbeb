// Live updates: poll the article's claims changed since the last answer, so
// other people's claims appear without a reload. A full reload every few polls
// also notices deleted claims.

import { apiList } from "./api.js";
import { latestUpdate } from "./claims.js";

export const POLL_MS = 3000;
export const FULL_EVERY = 10;

export class LivePoller {
  constructor({ articleId, since, onClaims, onFull, interval = POLL_MS }) {
    this.articleId = articleId;
    this.since = since;
    this.onClaims = onClaims;
    this.onFull = onFull;
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

  async tick() {
    if (this.busy || document.visibilityState === "hidden") return;
    this.busy = true;
    try {
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
