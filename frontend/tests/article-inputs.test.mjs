import assert from "node:assert/strict";
import { test } from "node:test";

import { articleInput, submitLabel } from "../js/article-inputs.js";

test("the label follows the input the server will use", () => {
  assert.equal(submitLabel({}), "Add article");
  assert.equal(submitLabel({ url: "https://example.org/a" }), "Fetch article");
  assert.equal(submitLabel({ url: "https://example.org/a", text: "# Title\n\nBody" }), "Add article");
  assert.equal(submitLabel({ text: "   " , url: " " }), "Add article");
  assert.equal(submitLabel({ file: true, url: "https://example.org/a" }), "Upload article");
});

test("whitespace alone is no input", () => {
  assert.equal(articleInput({ text: "\n\t", url: "  " }), "none");
});
