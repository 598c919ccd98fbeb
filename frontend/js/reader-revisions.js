// The reading view's following of new revisions of the article, mixed into Reader.prototype
// (reader.js): a newer revision is shown at once, or once the reviewer has finished selecting
// or editing (the decision is pure, revisionPlan in revisions.js), with its claims as the server
// re-anchored them.

import { api } from "./api.js";
import { highlightsOf } from "./claims.js";
import { CodePointIndex } from "./codepoints.js";
import { revisionNotice, revisionPlan, revisionSummary } from "./revisions.js";

// How often the highlights are asked for again while the article keeps moving on.
const SWAP_ATTEMPTS = 3;

export const revisionMethods = {
  /** The poller saw a newer revision: show it now, or once the reviewer is done. */
  async onRevision(article) {
    if (article.revision <= this.page.revision) return;
    if (!this.pending || article.revision > this.pending.revision) this.pending = article;
    await this.followRevision();
  },

  async followRevision({ force = false } = {}) {
    const article = this.pending;
    if (!article) return;
    const plan = revisionPlan({
      pageRevision: this.page.revision,
      latestRevision: article.revision,
      selecting: this.selecting(),
      editing: this.panel.hasUnsavedEdits(),
      force,
    });
    if (plan.action === "none") {
      this.pending = null;
      this.hideNotice();
    } else if (plan.action === "defer") {
      this.showNotice(revisionNotice(article.revision, plan.waitingFor));
    } else {
      await this.applyRevision(article);
      // An even newer revision may have come in meanwhile.
      if (this.pending && this.pending !== article) await this.followRevision();
    }
  },

  /** Fetch the article now and follow it (after a mark refused for a newer revision). */
  async fetchRevision({ force = false } = {}) {
    try {
      const article = await api(`articles/${this.page.articleId}/`);
      if (article.revision <= this.page.revision) return;
      this.live.revision = Math.max(this.live.revision, article.revision);
      if (!this.pending || article.revision >= this.pending.revision) this.pending = article;
      await this.followRevision({ force });
    } catch (error) {
      this.announce(`The article could not be reloaded: ${error.message}`);
    }
  },

  async applyRevision(article) {
    while (this.applying) await this.applying;
    if (article.revision <= this.page.revision) return;
    this.applying = this.swapRevision(article).finally(() => {
      this.applying = null;
    });
    await this.applying;
  },

  /** The article's highlights with the article at their revision (it may have moved on since `article`). */
  async highlightsWith(article) {
    for (let attempt = 1; ; attempt += 1) {
      const sentAt = performance.now();
      const answer = await this.live.highlights({ fresh: true });
      if (answer.revision <= article.revision || attempt === SWAP_ATTEMPTS) return { article, answer, sentAt };
      article = await api(`articles/${this.page.articleId}/`);
      this.live.revision = Math.max(this.live.revision, article.revision);
    }
  },

  /** Show the revision's text with its claims as the server re-anchored them. */
  async swapRevision(shown) {
    if (typeof shown.reading_html !== "string") {
      this.showNotice(`Revision ${shown.revision} of this article was saved. Reload the page to see it.`);
      return;
    }
    let article;
    let claims;
    let sentAt;
    try {
      let answer;
      ({ article, answer, sentAt } = await this.highlightsWith(shown));
      if (answer.revision !== article.revision) throw new Error("the article kept changing");
      claims = highlightsOf(answer);
    } catch (error) {
      this.showNotice(`Revision ${shown.revision} of this article was saved but could not be loaded (${error.message}). Try “Apply now” again.`);
      this.live.revision = Math.min(this.live.revision, this.page.revision); // the next tick brings it again
      this.live.etag = null;
      return;
    }
    const selection = this.doc.getSelection();
    if (selection && selection.rangeCount && this.root.contains(selection.anchorNode)) selection.removeAllRanges();
    this.markButton.hidden = true;
    this.pendingSpan = null;
    this.root.innerHTML = article.reading_html;
    this.page.revision = article.revision;
    this.index = new CodePointIndex(article.text);
    if (this.revisionLabel) this.revisionLabel.textContent = String(article.revision);
    if (this.pending && this.pending.revision <= article.revision) this.pending = null;
    if (!this.pending) this.hideNotice();
    const arranged = this.replaceAll(claims, sentAt);
    await this.refreshPanel();
    this.announce(revisionSummary(article.revision, arranged));
  },

  showNotice(message) {
    if (!this.notice.hidden && this.noticeText.textContent === message) return;
    this.noticeText.textContent = message;
    this.notice.hidden = false;
    this.announce(message);
  },

  hideNotice() {
    this.notice.hidden = true;
    this.noticeText.textContent = "";
  },
};
