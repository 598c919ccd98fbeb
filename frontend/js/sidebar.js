// The claim list beside the article: claims in document order with status and
// rating and how it was re-anchored on the last revision (moved, fuzzy with its score),
// orphans apart with their old quote. Arrow keys move through the list. It lists what the
// highlights hold (claims.js); the status labels come with the page. Below the list, the legend of
// the highlights' cues (highlight-cues.js) for the team's rating scale.

import { anchorLabel, excerpt, fuzzyDescription } from "./claims.js";
import { STATUS_GROUPS, ratingNumeral, safeColor } from "./highlight-cues.js";

function el(doc, tag, className, text) {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function claimButton(doc, claim, place, { statusLabel, quote }) {
  const button = el(doc, "button", "claim-item");
  button.type = "button";
  button.dataset.claimId = String(claim.id);
  button.append(el(doc, "span", `status status-${claim.status}`, statusLabel));
  if (claim.rating) {
    const rating = el(doc, "span", "rating", claim.rating.label);
    if (/^#[0-9a-f]{6}$/i.test(claim.rating.color || "")) rating.style.borderColor = claim.rating.color;
    button.append(" ", rating);
  }
  const label = anchorLabel(place);
  if (label) {
    const badge = el(doc, "span", `anchor anchor-${place.outcome}`, label);
    if (place.outcome === "fuzzy") badge.title = fuzzyDescription(place);
    button.append(" ", badge);
  }
  button.append(" ", el(doc, "span", "quote", place.start === null ? `“${excerpt(quote)}”` : excerpt(quote)));
  if (place.start === null) button.classList.add("orphan");
  return button;
}

export class Sidebar {
  /**
   * `statuses`: [{value, label}]; `ratings`: the team's scale [{id, label, color}] in display order;
   * `quote(claim, place)`: the words a listed claim was marked on.
   */
  constructor(doc, { statuses = [], ratings = [], quote, onOpen }) {
    this.doc = doc;
    this.statusLabels = new Map(statuses.map(({ value, label }) => [value, label]));
    this.renderLegend(ratings);
    this.quote = quote;
    this.list = doc.getElementById("claim-list");
    this.orphanSection = doc.getElementById("orphans");
    this.orphanList = doc.getElementById("orphan-list");
    this.count = doc.getElementById("claim-count");
    this.onOpen = onOpen;
    for (const list of [this.list, this.orphanList]) {
      list.addEventListener("click", (event) => {
        const button = event.target.closest("button.claim-item");
        if (button) this.onOpen(Number(button.dataset.claimId), { scroll: true });
      });
      list.addEventListener("keydown", (event) => this.onKey(event));
    }
  }

  render({ placed, orphans }) {
    const focusedId = this.doc.activeElement && this.doc.activeElement.dataset && this.doc.activeElement.dataset.claimId;
    const fill = (list, entries) => {
      const items = entries.map(({ claim, place }) => {
        const li = this.doc.createElement("li");
        const statusLabel = this.statusLabels.get(claim.status) || claim.status;
        li.append(claimButton(this.doc, claim, place, { statusLabel, quote: this.quote(claim, place) }));
        return li;
      });
      list.replaceChildren(...items);
    };
    fill(this.list, placed);
    if (placed.length === 0) this.list.replaceChildren(el(this.doc, "li", "muted empty", "No claims marked yet."));
    fill(this.orphanList, orphans);
    this.orphanSection.hidden = orphans.length === 0;
    this.count.textContent = `(${placed.length})`;
    if (focusedId) this.button(Number(focusedId))?.focus();
  }

  /** The key to the highlights: each status' line and symbol, each rating's colour and number. */
  renderLegend(ratings) {
    const box = this.doc.getElementById("highlight-legend");
    if (!box) return;
    const doc = this.doc;
    const item = (...children) => {
      const li = doc.createElement("li");
      li.append(...children);
      return li;
    };
    const statuses = el(doc, "ul", "legend legend-statuses");
    statuses.setAttribute("aria-label", "Statuses: line and symbol");
    for (const group of STATUS_GROUPS) {
      for (const [status, glyph] of Object.entries(group.statuses)) {
        const sample = el(doc, "span", "claim-sample", "Claim");
        sample.dataset.line = group.line;
        sample.dataset.status = status;
        sample.dataset.glyph = glyph;
        sample.setAttribute("aria-hidden", "true");
        const label = this.statusLabels.get(status) || status;
        const line = group.line === "thick" ? "thick line" : `${group.line} line`;
        statuses.append(item(sample, " ", el(doc, "span", "", `${glyph} ${label}`), el(doc, "span", "muted", ` (${line})`)));
      }
    }
    const scale = el(doc, "ul", "legend legend-ratings");
    scale.setAttribute("aria-label", "Ratings: colour and number");
    const swatch = (color) => {
      const node = el(doc, "span", "legend-swatch");
      node.setAttribute("aria-hidden", "true");
      if (color) node.style.setProperty("--claim-color", color);
      return node;
    };
    ratings.forEach((rating, i) => {
      scale.append(item(swatch(safeColor(rating.color)), " ", el(doc, "span", "", `${ratingNumeral(i + 1)} ${rating.label}`)));
    });
    scale.append(item(swatch(null), " ", el(doc, "span", "", "Not rated yet (no number)")));
    box.replaceChildren(statuses, scale);
  }

  button(claimId) {
    return this.doc.querySelector(`.claims-sidebar button.claim-item[data-claim-id="${claimId}"]`);
  }

  setActive(claimId) {
    for (const button of this.doc.querySelectorAll(".claims-sidebar button.claim-item")) {
      const active = Number(button.dataset.claimId) === claimId;
      button.classList.toggle("active", active);
      if (active) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    }
  }

  onKey(event) {
    if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) return;
    const buttons = Array.from(this.doc.querySelectorAll(".claims-sidebar button.claim-item"));
    if (buttons.length === 0) return;
    const at = buttons.indexOf(this.doc.activeElement);
    let next = at;
    if (event.key === "ArrowDown") next = Math.min(buttons.length - 1, at + 1);
    else if (event.key === "ArrowUp") next = Math.max(0, at - 1);
    else if (event.key === "Home") next = 0;
    else next = buttons.length - 1;
    event.preventDefault();
    buttons[next].focus();
  }
}
