from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.anchoring import (
    Anchor,
    TextQuoteSelector,
    reanchor,
    reanchor_many,
    selectors_for_span,
)
from annotations.anchoring.matching import MIN_QUOTE_SIMILARITY
from annotations.anchoring.selectors import similarity
from tests.annotations.anchoring.conftest import anchoring_cases

CASES = anchoring_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_parity_fixture(case: dict[str, Any]) -> None:
    quote, position = selectors_for_span(case["text"], case["position"]["start"], case["position"]["end"])
    assert quote == TextQuoteSelector(**case["quote"])
    old_text = case["text"] if case.get("use_old_text") else None
    anchor = reanchor(case["new_text"], quote, position, old_text=old_text)
    assert {"outcome": anchor.outcome, "start": anchor.start, "end": anchor.end} == case["expected"]
    assert_consistent(case["new_text"], quote, anchor)


def assert_consistent(text: str, quote: TextQuoteSelector, anchor: Anchor) -> None:
    if anchor.outcome in ("exact", "moved"):
        assert anchor.start is not None and anchor.end is not None
        assert text[anchor.start : anchor.end] == quote.exact
    elif anchor.outcome == "fuzzy":
        assert anchor.start is not None and anchor.end is not None
        assert text[anchor.start : anchor.end] != quote.exact
        assert similarity(quote.exact, text[anchor.start : anchor.end]) >= MIN_QUOTE_SIMILARITY
    else:
        assert anchor.outcome == "orphan"
        assert anchor.start is None and anchor.end is None


def test_fuzzy_match_covers_the_edited_claim() -> None:
    text = "Officials said the port will double its capacity by 2030, the paper wrote."
    quote, position = selectors_for_span(text, 15, 56)
    edited = text.replace("double its capacity", "nearly double its capacity")
    anchor = reanchor(edited, quote, position)
    assert anchor.outcome == "fuzzy"
    assert edited[anchor.start : anchor.end] == "the port will nearly double its capacity by 2030"


def test_quote_without_position_uses_context() -> None:
    text = "a X b. c X d."
    anchor = reanchor(text, TextQuoteSelector("X", "c ", " d"), None)
    assert (anchor.outcome, anchor.start) == ("moved", 9)
    assert reanchor(text, TextQuoteSelector("Y"), None).outcome == "orphan"


def test_old_text_maps_positions_across_the_edit() -> None:
    old = "Figure: 6,000 troops."
    new = "6,000 troops. " + old
    quote, position = selectors_for_span(old, 8, 20)
    assert reanchor(new, quote, position).start == 0  # nearest to the old offset
    assert reanchor(new, quote, position, old_text=old).start == 22


def test_figure_changed_under_an_editors_note_stays_fuzzy() -> None:
    """The bug report: "$770" -> "$768" inside the quote plus a note at the top."""
    old = (
        "The port authority said its budget was $770 million this year.\n\n"
        "Critics said the figure hid the cost of dredging.\n"
    )
    start = old.index("its budget")
    quote, position = selectors_for_span(old, start, old.index(" this year"))
    edited = old.replace("$770", "$768")
    assert reanchor(edited, quote, position, old_text=old).outcome == "fuzzy"
    note = "Editor’s note: " + "this article was corrected after publication; " * 4
    new = note[:190] + "\n\n" + edited
    anchor = reanchor(new, quote, position, old_text=old)
    assert anchor.outcome == "fuzzy"
    assert new[anchor.start : anchor.end] == "its budget was $768 million"
    assert reanchor(new, quote, position).outcome == "orphan"  # the old position alone is too far off


def test_reanchor_many_matches_reanchor() -> None:
    old = "Rents rose 📈 14% in a year. Rents rose again. " * 20
    new = "🚨 Update: " + old.replace("again", "once more", 3)
    claims = [selectors_for_span(old, s, s + 10) for s in range(0, len(old) - 10, 37)]
    for old_text in (None, old):
        many = reanchor_many(new, claims, old_text=old_text)
        assert many == [reanchor(new, q, p, old_text=old_text) for q, p in claims]
        for (quote, _), anchor in zip(claims, many, strict=True):
            assert_consistent(new, quote, anchor)


ALPHABET = st.sampled_from([*list("abc de."), "😀", "🇪", "́", "大", "ع", "\xa0", "\n"])
texts = st.lists(ALPHABET, min_size=1, max_size=120).map("".join)


def chars(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.lists(ALPHABET, min_size=min_size, max_size=max_size).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    left=chars(0, 60),
    near_before=chars(8, 8),
    claim=chars(1, 20),
    near_after=chars(8, 8),
    right=chars(0, 60),
    inserted=chars(0, 30),
    data=st.data(),
)
def test_edit_away_from_the_claim_keeps_it(
    left: str, near_before: str, claim: str, near_after: str, right: str, inserted: str, data: st.DataObject
) -> None:
    """An edit outside the claim and 8 code points around it never loses the claim."""
    text = left + near_before + claim + near_after + right
    start = len(left) + len(near_before)
    quote, position = selectors_for_span(text, start, start + len(claim))
    before = data.draw(st.booleans())
    lo, hi = (0, len(left)) if before else (len(text) - len(right), len(text))
    edit_at = data.draw(st.integers(lo, hi))
    edit_end = data.draw(st.integers(edit_at, hi))
    new = text[:edit_at] + inserted + text[edit_end:]
    for old_text in (None, text):
        anchor = reanchor(new, quote, position, old_text=old_text)
        assert anchor.outcome in ("exact", "moved")
        assert new[anchor.start : anchor.end] == quote.exact
    delta = len(inserted) - (edit_end - edit_at) if before else 0
    mapped = reanchor(new, quote, position, old_text=text)
    assert mapped.start == start + delta
    assert mapped.outcome == ("exact" if delta == 0 else "moved")


@settings(max_examples=300, deadline=None)
@given(texts, texts, st.data())
def test_any_edit_gives_a_consistent_anchor(text: str, inserted: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, min(len(text), start + 40)))
    quote, position = selectors_for_span(text, start, end)
    edit_at = data.draw(st.integers(0, len(text)))
    edit_end = data.draw(st.integers(edit_at, min(len(text), edit_at + 30)))
    new = text[:edit_at] + inserted[: data.draw(st.integers(0, len(inserted)))] + text[edit_end:]
    for old_text in (None, text):
        assert_consistent(new, quote, reanchor(new, quote, position, old_text=old_text))
