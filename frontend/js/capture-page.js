// Runs inside the page being captured (by the bookmarklet and by the browser extension), so it is
// one self-contained function with no imports: its source is inlined into the bookmarklet and
// handed to chrome.scripting.executeScript as it is. It reads the DOM as the reader sees it now,
// after the page's scripts ran, and the metadata the page states. Nothing is sent from here.
function captureDocument() {
  "use strict";
  const CONTEXT = 64;
  const clean = (value) => (typeof value === "string" ? value.replace(/\s+/g, " ").trim() : "");
  const meta = (...names) => {
    for (const name of names) {
      const node = document.querySelector(`meta[property="${name}"], meta[name="${name}"], meta[itemprop="${name}"]`);
      const value = node && clean(node.getAttribute("content"));
      if (value) return value;
    }
    return "";
  };
  const linkHref = (rel) => {
    const node = document.querySelector(`link[rel~="${rel}"][href]`);
    return node ? node.href : "";
  };
  // JSON-LD objects the page states (NewsArticle, Article, …), flattened out of @graph and arrays.
  const ldObjects = [];
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    let parsed;
    try {
      parsed = JSON.parse(script.textContent || "");
    } catch (_error) {
      continue;
    }
    const queue = [parsed];
    while (queue.length && ldObjects.length < 50) {
      const item = queue.shift();
      if (Array.isArray(item)) queue.push(...item);
      else if (item && typeof item === "object") {
        ldObjects.push(item);
        if (Array.isArray(item["@graph"])) queue.push(...item["@graph"]);
      }
    }
  }
  const ldArticle = ldObjects.find((o) => /Article|Posting|Report/.test(String(o["@type"] || ""))) || {};
  const names = (value) => {
    const list = Array.isArray(value) ? value : [value];
    return list
      .map((v) => (typeof v === "string" ? v : v && typeof v === "object" ? v.name : ""))
      .map(clean)
      .filter(Boolean)
      .join(", ");
  };
  const timeNode = document.querySelector("article time[datetime], main time[datetime], time[datetime]");
  const authorLink = document.querySelector('[rel~="author"], [itemprop="author"], .byline, .author');

  const selection = window.getSelection ? window.getSelection() : null;
  let quote = null;
  if (selection && selection.rangeCount && !selection.isCollapsed) {
    const range = selection.getRangeAt(0);
    const exact = selection.toString();
    if (exact.trim()) {
      const before = document.createRange();
      before.setStart(document.body || document.documentElement, 0);
      before.setEnd(range.startContainer, range.startOffset);
      const after = document.createRange();
      after.setStart(range.endContainer, range.endOffset);
      after.setEndAfter((document.body || document.documentElement).lastChild || document.body);
      quote = {
        exact,
        prefix: clean(before.toString()).slice(-CONTEXT),
        suffix: clean(after.toString()).slice(0, CONTEXT),
      };
    }
  }
  const doctype = document.doctype ? `<!DOCTYPE ${document.doctype.name}>\n` : "";
  let html = doctype + document.documentElement.outerHTML;
  // Lone surrogates would make the JSON unreadable on the server.
  if (typeof html.toWellFormed === "function") html = html.toWellFormed();
  return {
    url: location.href,
    canonical_url: linkHref("canonical") || meta("og:url") || "",
    title: (meta("og:title", "twitter:title") || clean(ldArticle.headline) || clean(document.title)).slice(0, 500),
    byline: (
      meta("author", "article:author", "byl", "parsely-author") ||
      names(ldArticle.author) ||
      clean(authorLink && authorLink.textContent)
    ).slice(0, 200),
    published: (
      meta("article:published_time", "datePublished", "date", "DC.date.issued", "pubdate") ||
      clean(ldArticle.datePublished) ||
      (timeNode ? clean(timeNode.getAttribute("datetime")) : "")
    ).slice(0, 64),
    html,
    selection: quote,
  };
}
