// "Already checked?": the answer of GET claims/{id}/similar/ in one shape (older servers send
// only `results` with `similarity`), a match's score in words, language codes as the names a
// reader knows, and a review's publication day. Pure functions, no DOM.

/** A match score from 0 to 1 (`score`, or the older `similarity`), or null when there is none. */
export function matchScore(item) {
  const raw = item && (typeof item.score === "number" ? item.score : item.similarity);
  if (typeof raw !== "number" || Number.isNaN(raw)) return null;
  return Math.min(1, Math.max(0, raw));
}

/** The score as a percentage and a word, so that it never depends on colour: "83% match, strong". */
export function scoreText(score) {
  if (score === null || score === undefined) return "";
  const percent = Math.round(score * 100);
  const strength = score >= 0.8 ? "strong" : score >= 0.65 ? "good" : "possible";
  return `${percent}% match, ${strength}`;
}

/** How the match was found, in words: "same meaning and similar wording". */
export function matchedByText(matchedBy) {
  const words = { meaning: "same meaning", wording: "similar wording" };
  const parts = (Array.isArray(matchedBy) ? matchedBy : []).map((m) => words[m] || String(m)).filter(Boolean);
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : parts[0] || "";
}

/** A BCP 47 language tag in its canonical spelling ("pt-BR"), or "" when it is empty or not one. */
export function languageTag(code) {
  const text = String(code || "").trim();
  if (!text) return "";
  try {
    return Intl.getCanonicalLocales(text)[0] || "";
  } catch {
    return "";
  }
}

/** The language's name in the reader's `locale` ("Spanish"), or the tag itself when there is no name. */
export function languageName(code, locale = undefined) {
  const tag = languageTag(code);
  if (!tag) return "";
  try {
    return new Intl.DisplayNames(locale ? [locale] : undefined, { type: "language", fallback: "code" }).of(tag) || tag;
  } catch {
    return tag;
  }
}

/** A review's publication date without its time; a bare date ("2024-05-01") is that day everywhere. */
export function reviewDay(iso, locale = undefined) {
  if (!iso) return "";
  const bare = /^\d{4}-\d{2}-\d{2}$/.test(iso);
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return date.toLocaleDateString(locale, { year: "numeric", month: "long", day: "numeric", ...(bare ? { timeZone: "UTC" } : {}) });
}

/** The similar-claims answer with every key present; matches best first. `pending`: the claim's meaning is
 * still being computed, so only its wording was compared yet. */
export function similarAnswer(body) {
  const answer = body && typeof body === "object" ? body : {};
  const byScore = (a, b) => (matchScore(b) ?? 0) - (matchScore(a) ?? 0);
  const list = (value) => (Array.isArray(value) ? value.filter((item) => item && typeof item === "object") : []);
  const threshold = typeof answer.threshold === "number" ? answer.threshold : null;
  return {
    threshold,
    pending: answer.pending === true,
    results: list(answer.results).sort(byScore),
    elsewhere: list(answer.elsewhere).sort(byScore),
  };
}
