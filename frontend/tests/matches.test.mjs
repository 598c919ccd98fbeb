import assert from "node:assert/strict";
import { test } from "node:test";

import { languageName, languageTag, matchScore, matchedByText, reviewDay, scoreText, similarAnswer } from "../js/matches.js";

test("the score is `score`, else the older `similarity`, kept within 0 to 1", () => {
  assert.equal(matchScore({ score: 0.83, similarity: 0.5 }), 0.83);
  assert.equal(matchScore({ similarity: 0.61 }), 0.61);
  assert.equal(matchScore({ score: 1.2 }), 1);
  assert.equal(matchScore({ score: -0.1 }), 0);
  assert.equal(matchScore({}), null);
  assert.equal(matchScore({ score: "0.8" }), null);
  assert.equal(matchScore(null), null);
});

test("a score reads as a percentage and a word, never as a colour alone", () => {
  assert.equal(scoreText(0.834), "83% match, strong");
  assert.equal(scoreText(0.7), "70% match, good");
  assert.equal(scoreText(0.5), "50% match, possible");
  assert.equal(scoreText(1), "100% match, strong");
  assert.equal(scoreText(null), "");
});

test("how a match was found reads as words", () => {
  assert.equal(matchedByText(["meaning", "wording"]), "same meaning and similar wording");
  assert.equal(matchedByText(["meaning"]), "same meaning");
  assert.equal(matchedByText([]), "");
  assert.equal(matchedByText(undefined), "");
});

test("language codes become names in the reader's language, and odd codes do no harm", () => {
  assert.equal(languageName("es", "en"), "Spanish");
  assert.equal(languageName("pt-br", "en"), "Brazilian Portuguese");
  assert.equal(languageName("de", "fr"), "allemand");
  assert.equal(languageTag("pt-br"), "pt-BR");
  assert.equal(languageName("", "en"), "");
  assert.equal(languageName(null, "en"), "");
  assert.equal(languageTag("not a language!"), "");
  assert.equal(languageName("not a language!", "en"), "");
  assert.equal(languageName("<script>", "en"), "");
});

test("a bare publication date is the same day in every time zone", () => {
  assert.equal(reviewDay("2024-05-01", "en-US"), "May 1, 2024");
  assert.equal(reviewDay("", "en-US"), "");
  assert.equal(reviewDay("soon", "en-US"), "soon");
  assert.match(reviewDay("2024-05-01T12:00:00Z", "en-US"), /May \d, 2024/);
});

test("the older answer (results with similarity only) reads like the new one", () => {
  const old = similarAnswer({ results: [{ id: 1, similarity: 0.6 }, { id: 2, similarity: 0.9 }] });
  assert.deepEqual(old, {
    threshold: null,
    pending: false,
    results: [{ id: 2, similarity: 0.9 }, { id: 1, similarity: 0.6 }],
    elsewhere: [],
  });
  const current = similarAnswer({
    threshold: 0.5,
    pending: true,
    results: [{ id: 3, score: 0.7, similarity: 0.7, language: "es", matched_by: ["meaning"] }],
    elsewhere: [{ id: 9, score: 0.55, publisher: "Maldita" }, null],
  });
  assert.equal(current.threshold, 0.5);
  assert.equal(current.pending, true);
  assert.deepEqual(current.results.map((r) => r.id), [3]);
  assert.deepEqual(current.elsewhere.map((r) => r.id), [9]);
  const empty = { threshold: null, pending: false, results: [], elsewhere: [] };
  assert.deepEqual(similarAnswer(undefined), empty);
  assert.deepEqual(similarAnswer({ results: "nope", elsewhere: {}, pending: "yes" }), empty);
});
