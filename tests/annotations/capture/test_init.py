from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.capture import (
    CaptureRefused,
    Selection,
    origin_of,
    place_selection,
    provenance_sentence,
    read_capture,
    same_site,
)

PAGE = "<html><body><p>Hello</p></body></html>"


def capture(**fields: object) -> dict[str, object]:
    return {"url": "https://news.example/a/1", "html": PAGE, **fields}


def test_a_capture_is_read_with_its_metadata() -> None:
    read = read_capture(
        capture(
            canonical_url="https://www.news.example/a/1", title="  A\n title ", byline="Ana", published="2025-03-01"
        ),
        max_html_bytes=1000,
    )
    assert read.title == "A title"
    assert read.canonical_url == "https://www.news.example/a/1"
    assert read.html == PAGE.encode()
    assert read.selection is None


def test_a_canonical_url_on_another_site_is_dropped() -> None:
    read = read_capture(capture(canonical_url="https://other.example/real-article"), max_html_bytes=1000)
    assert read.canonical_url == ""


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "", None, "data:text/html,x"])
def test_only_http_pages_are_accepted(url: object) -> None:
    with pytest.raises(CaptureRefused) as refused:
        read_capture(capture(url=url), max_html_bytes=1000)
    assert refused.value.field == "url"


def test_a_page_over_the_limit_is_refused_as_too_large() -> None:
    with pytest.raises(CaptureRefused) as refused:
        read_capture(capture(html="é" * 600), max_html_bytes=1000)
    assert refused.value.too_large and refused.value.field == "html"
    assert "MB" in refused.value.message


def test_nul_characters_are_dropped_from_the_page_and_refused_elsewhere() -> None:
    read = read_capture(capture(html="<p>a\x00b</p>"), max_html_bytes=1000)
    assert read.html == b"<p>ab</p>" and read.nul_removed == 1
    with pytest.raises(CaptureRefused) as refused:
        read_capture(capture(title="a\x00"), max_html_bytes=1000)
    assert refused.value.field == "title"
    with pytest.raises(CaptureRefused):
        read_capture(capture(selection={"exact": "a\x00"}), max_html_bytes=1000)


def test_an_empty_selection_is_no_selection() -> None:
    assert read_capture(capture(selection={"exact": "  "}), max_html_bytes=1000).selection is None
    assert read_capture(capture(selection="Hello"), max_html_bytes=1000).selection == Selection("Hello")


def test_the_selection_is_placed_across_different_whitespace() -> None:
    text = "First paragraph.\n\nThe mayor said the bridge\ncost 4 million. Then more."
    start, end = place_selection(text, Selection("the bridge cost 4 million"))
    assert text[start:end] == "the bridge\ncost 4 million"


def test_the_context_picks_among_repeated_quotes() -> None:
    text = "Taxes rose. The minister said taxes rose. Experts doubt taxes rose."
    start, _end = place_selection(text, Selection("taxes rose", prefix="Experts doubt ", suffix="."))
    assert start == text.rindex("taxes rose")


def test_a_selection_not_in_the_text_is_not_placed() -> None:
    assert place_selection("Only this text.", Selection("a menu item")) is None


@given(st.text(min_size=1, max_size=60), st.integers(0, 59), st.integers(1, 20))
def test_a_placed_selection_matches_the_text_but_for_whitespace(text: str, at: int, length: int) -> None:
    exact = text[at : at + length]
    if not exact.strip():
        return
    span = place_selection(text, Selection(exact))
    assert span is not None
    assert " ".join(text[span[0] : span[1]].split()) == " ".join(exact.split())


def test_origins_and_sites() -> None:
    assert origin_of("https://Example.org:443/a?b") == "https://example.org"
    assert origin_of("http://127.0.0.1:8123/x") == "http://127.0.0.1:8123"
    assert same_site("https://www.example.org/a", "https://example.org/b")
    assert not same_site("https://example.org.evil.test/", "https://example.org/")


def test_provenance_sentence() -> None:
    day = datetime.date(2025, 5, 3)
    assert (
        provenance_sentence(origin="captured", by="ana", on=day, url="https://news.example/a")
        == "Captured in a browser by ana on 3 May 2025 from https://news.example/a."
    )
    assert provenance_sentence(origin="pasted", by="", on=day, url="https://x.example/") == "Pasted in on 3 May 2025."
