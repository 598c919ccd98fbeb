import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.anchoring import (
    QuoteNotFound,
    TextPositionSelector,
    TextQuoteSelector,
    selectors_for_quote,
    selectors_for_span,
)
from annotations.anchoring.selectors import edit_distance

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"


def test_span_selectors_count_code_points() -> None:
    text = f"{FAMILY} said €1.2 billion"
    quote, position = selectors_for_span(text, 13, 17, context=4)
    assert quote == TextQuoteSelector("€1.2", "aid ", " bil")
    assert position == TextPositionSelector(13, 17)


def test_context_is_shorter_at_the_edges() -> None:
    quote, _ = selectors_for_span("abc", 0, 3)
    assert quote == TextQuoteSelector("abc", "", "")


@pytest.mark.parametrize(("start", "end"), [(-1, 2), (2, 2), (3, 2), (0, 4)])
def test_bad_spans_are_rejected(start: int, end: int) -> None:
    with pytest.raises(ValueError):
        selectors_for_span("abc", start, end)


def test_quote_lookup_prefers_context_then_hint() -> None:
    text = "6,000 troops here. Later 6,000 troops there. Then 6,000 troops."
    quote, position = selectors_for_quote(text, "6,000 troops", suffix=" there")
    assert position.start == 25
    assert quote.suffix.startswith(" there")
    assert selectors_for_quote(text, "6,000 troops", hint=48)[1].start == 50
    assert selectors_for_quote(text, "6,000 troops")[1].start == 0


def test_missing_quote_raises() -> None:
    with pytest.raises(QuoteNotFound):
        selectors_for_quote("abc", "x")
    with pytest.raises(ValueError):
        selectors_for_quote("abc", "")


@given(st.text(min_size=1, max_size=60), st.data())
def test_span_round_trip(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote, position = selectors_for_span(text, start, end)
    assert text[position.start : position.end] == quote.exact
    assert text[: position.start].endswith(quote.prefix)
    assert text[position.end :].startswith(quote.suffix)
    assert len(quote.prefix) == min(32, start)
    assert len(quote.suffix) == min(32, len(text) - end)


def plain_edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j - 1] + (ca != cb), previous[j] + 1, current[j - 1] + 1))
        previous = current
    return previous[-1]


@given(st.text(alphabet="ab😀\u0301 ", max_size=70), st.text(alphabet="ab😀\u0301 ", max_size=70))
def test_bit_parallel_edit_distance_is_levenshtein(a: str, b: str) -> None:
    assert edit_distance(a, b) == plain_edit_distance(a, b)
