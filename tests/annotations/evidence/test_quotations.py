"""Quoted phrases: between matching marks, with apostrophes inside words never ending them."""

from __future__ import annotations

import pytest

from annotations.evidence.quotations import quoted_phrases


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("He said \u2018Don\u2019t do it\u2019 twice.", ["Don\u2019t do it"]),
        ("She wrote 'We can't wait' today.", ["We can't wait"]),
        ("\u201ca historic day\u201d and \u201canother\u201d", ["a historic day", "another"]),
        ("Er sagte \u201eDas ist nicht hinnehmbar\u201c.", ["Das ist nicht hinnehmbar"]),
        ("Il parle d\u2019une « situation explosive » ici.", ["situation explosive"]),
        ("rock \u2019n\u2019 roll in the \u201990s", []),
        ("the workers\u2019 union", []),
        ("\u201cunclosed quotation\nnext line\u201d", []),
        ('"outer \u2018inner\u2019 words"', ["outer \u2018inner\u2019 words"]),
    ],
)
def test_quoted_phrases(text: str, phrases: list[str]) -> None:
    assert quoted_phrases(text) == phrases
