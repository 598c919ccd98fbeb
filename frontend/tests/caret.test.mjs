import assert from "node:assert/strict";
import { test } from "node:test";

import { CaretText, mergeBlocks, moveCaret, selectedSpan, stepSelection, textAtCaret } from "../js/caret.js";
import { cpLength } from "../js/codepoints.js";

// Two paragraphs separated by "\n\n" (not on screen), the first with an astral letter and a ZWJ emoji.
const FIRST = "The 👨‍👩‍👧‍👦 family said 𝔼 rose. Mr. Smith agreed! Rents rose 14 % in a year.";
const SECOND = "Second paragraph here.";
const TEXT = `${FIRST}\n\n${SECOND}`;
const BLOCKS = [
  { start: 0, end: cpLength(FIRST) },
  { start: cpLength(FIRST) + 2, end: cpLength(TEXT) },
];
const at = (needle) => Array.from(TEXT.slice(0, TEXT.indexOf(needle))).length;
const ct = () => new CaretText(TEXT, BLOCKS);

test("a character is a grapheme cluster: the family emoji is one step of seven code points", () => {
  const text = ct();
  const before = at("👨");
  assert.equal(moveCaret(text, before, "character", 1), before + 7);
  assert.equal(moveCaret(text, before + 7, "character", -1), before);
  assert.equal(moveCaret(text, at("𝔼"), "character", 1), at("𝔼") + 1);
});

test("characters step over the gap between paragraphs and stop at the ends of the text", () => {
  const text = ct();
  assert.equal(moveCaret(text, BLOCKS[0].end, "character", 1), BLOCKS[1].start);
  assert.equal(moveCaret(text, BLOCKS[1].start, "character", -1), BLOCKS[0].end);
  assert.equal(moveCaret(text, 0, "character", -1), 0);
  assert.equal(moveCaret(text, BLOCKS[1].end, "character", 1), BLOCKS[1].end);
});

test("forwards a word ends at its end, backwards at its start; punctuation and emoji are not words", () => {
  const text = ct();
  assert.equal(moveCaret(text, 0, "word", 1), 3); // "The"
  assert.equal(moveCaret(text, 3, "word", 1), at(" said")); // past the emoji to the end of "family"
  assert.equal(moveCaret(text, at(" said"), "word", -1), at("family"));
  assert.equal(moveCaret(text, at("rose."), "word", 1), at(". Mr."));
  assert.equal(moveCaret(text, at("14"), "word", 1), at(" %"));
});

test("words move into the next paragraph at its end and back", () => {
  const text = ct();
  assert.equal(moveCaret(text, at("year.") + 4, "word", 1), BLOCKS[0].end);
  assert.equal(moveCaret(text, BLOCKS[0].end, "word", 1), BLOCKS[1].start);
  assert.equal(moveCaret(text, BLOCKS[1].start, "word", -1), BLOCKS[0].end);
});

test("sentences end before their trailing space and honour abbreviations such as Mr.", () => {
  const text = ct();
  assert.equal(moveCaret(text, 0, "sentence", 1), at(" Mr."));
  const smith = moveCaret(text, at(" Mr."), "sentence", 1);
  assert.ok(smith === at(" Rents") || smith === at(" Smith"), `sentence end ${smith}`);
  assert.equal(moveCaret(text, at("Rents") + 2, "sentence", -1), at("Rents"));
  assert.equal(moveCaret(text, at("Rents"), "sentence", 1), BLOCKS[0].end);
  // Past the end of a paragraph: the end of the next one's first sentence.
  assert.equal(moveCaret(text, BLOCKS[0].end, "sentence", 1), BLOCKS[1].end);
  assert.equal(moveCaret(text, BLOCKS[1].start, "sentence", -1), at("Rents"));
});

test("paragraph and text ends", () => {
  const text = ct();
  assert.equal(moveCaret(text, 5, "paragraph", 1), BLOCKS[0].end);
  assert.equal(moveCaret(text, BLOCKS[0].end, "paragraph", 1), BLOCKS[1].start);
  assert.equal(moveCaret(text, 5, "paragraph", -1), 0);
  assert.equal(moveCaret(text, BLOCKS[1].start, "paragraph-edge", -1), BLOCKS[1].start);
  assert.equal(moveCaret(text, BLOCKS[0].end, "paragraph-edge", 1), BLOCKS[0].end);
  assert.equal(moveCaret(text, 5, "paragraph-edge", 1), BLOCKS[0].end);
  assert.equal(moveCaret(text, 5, "text", 1), BLOCKS[1].end);
  assert.equal(moveCaret(text, BLOCKS[1].end, "text", -1), 0);
});

test("a caret in the gap between paragraphs snaps to the next paragraph", () => {
  const text = ct();
  assert.equal(text.clamp(BLOCKS[0].end + 1), BLOCKS[1].start);
  assert.equal(moveCaret(text, BLOCKS[0].end + 1, "character", 1), BLOCKS[1].start + 1);
});

test("shift extends from the anchor; without it a selection collapses to the side moved to", () => {
  const text = ct();
  let caret = { anchor: at("Rents"), focus: at("Rents") };
  caret = stepSelection(text, caret, "word", 1, true);
  caret = stepSelection(text, caret, "word", 1, true);
  assert.deepEqual(selectedSpan(caret), { start: at("Rents"), end: at(" 14") });
  assert.equal(text.slice(caret.anchor, caret.focus), "Rents rose");
  caret = stepSelection(text, caret, "character", -1, true);
  assert.equal(text.slice(caret.anchor, caret.focus), "Rents ros");
  assert.deepEqual(stepSelection(text, caret, "character", 1, false), { anchor: caret.focus, focus: caret.focus });
  assert.deepEqual(stepSelection(text, caret, "character", -1, false), { anchor: caret.anchor, focus: caret.anchor });
  // Backwards from the anchor selects before it.
  const back = stepSelection(text, { anchor: at("Rents"), focus: at("Rents") }, "sentence", -1, true);
  assert.equal(selectedSpan(back).end, at("Rents"));
  assert.ok([at("Mr."), at("Smith")].includes(selectedSpan(back).start));
  assert.equal(selectedSpan({ anchor: 4, focus: 4 }), null);
});

test("nested blocks merge into the outer one; empty ones are dropped", () => {
  assert.deepEqual(
    mergeBlocks([
      { start: 10, end: 20 },
      { start: 0, end: 8 },
      { start: 12, end: 15 },
      { start: 30, end: 30 },
    ]),
    [
      { start: 0, end: 8 },
      { start: 10, end: 20 },
    ],
  );
  assert.equal(moveCaret(new CaretText("", []), 3, "word", 1), 0);
});

test("what is announced at the caret: the word, else the character", () => {
  const text = ct();
  assert.equal(textAtCaret(text, at("family") + 2), "family");
  assert.equal(textAtCaret(text, at(" said")), "space");
  assert.equal(textAtCaret(text, at("👨")), "👨‍👩‍👧‍👦");
  assert.equal(textAtCaret(text, BLOCKS[0].end), "end of paragraph");
});
