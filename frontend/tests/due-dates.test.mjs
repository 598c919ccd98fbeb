import assert from "node:assert/strict";
import { test } from "node:test";

import { fromLocalInput, isOverdue, toLocalInput } from "../js/due-dates.js";

test("a local input value goes to the API in UTC and comes back the same", () => {
  const iso = fromLocalInput("2025-04-01T14:30");
  assert.equal(new Date(iso).getHours(), 14);
  assert.equal(toLocalInput(iso), "2025-04-01T14:30");
  assert.equal(toLocalInput(fromLocalInput("2025-12-31T23:59:30")), "2025-12-31T23:59");
});

test("empty and impossible values are no date", () => {
  assert.equal(fromLocalInput(""), null);
  assert.equal(fromLocalInput("2025-02-31T10:00"), null);
  assert.equal(fromLocalInput("tomorrow"), null);
  assert.equal(toLocalInput(null), "");
  assert.equal(toLocalInput("not a date"), "");
});

test("overdue is strictly before now", () => {
  const now = new Date("2025-04-01T12:00:00Z");
  assert.equal(isOverdue("2025-04-01T11:59:59Z", now), true);
  assert.equal(isOverdue("2025-04-01T12:00:00Z", now), false);
  assert.equal(isOverdue(null, now), false);
});
