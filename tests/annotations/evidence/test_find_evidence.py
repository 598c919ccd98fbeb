from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.evidence import EvidenceItem, find_evidence


def _figure(items: list[EvidenceItem], label_start: str) -> EvidenceItem:
    return next(i for i in items if i.kind == "figure" and i.label.startswith(label_start))


@pytest.mark.parametrize(
    "written",
    [
        "$770 billion",
        "770 billion dollars",
        "$770bn",
        "$770 bn",
        "770,000,000,000",
        "US$770 billion",
        "USD 770 billion",
        "770000 million",
        "$0.77 trillion",
    ],
)
def test_money_amount_matches_other_formats(written: str) -> None:
    text = f"Opening.\n\nThe bill provides {written} for defence."
    items = find_evidence(text=text, quote="Congress approved $770 billion.")
    item = _figure(items, "$770 billion")
    assert item.found, written
    assert item.paragraph == 2
    assert item.start is not None and item.end is not None
    assert text[item.start : item.end].strip() == written
    assert item.label == "$770 billion — found in the report, paragraph 2"


def test_money_in_another_currency_does_not_match() -> None:
    items = find_evidence(text="It costs €770 billion.", quote="It costs $770 billion.")
    assert not _figure(items, "$770 billion").found


@pytest.mark.parametrize("written", ["6000 troops", "6,000 troops", "6k troops", "6 thousand troops"])
def test_plain_numbers_match_with_or_without_separators(written: str) -> None:
    items = find_evidence(text=f"They sent {written}.", quote="They sent 6,000 troops.")
    assert _figure(items, "6,000").found


@pytest.mark.parametrize("written", ["12%", "12 percent", "12 per cent", "12.0%", "12 pct"])
def test_percentages_match(written: str) -> None:
    items = find_evidence(text=f"Prices rose {written} last year.", quote="Prices rose 12%.")
    assert _figure(items, "12%").found


def test_percentage_does_not_match_plain_number() -> None:
    items = find_evidence(text="There were 12 of them.", quote="Prices rose 12%.")
    assert not _figure(items, "12%").found


@pytest.mark.parametrize(
    "written", ["24 December 2021", "December 24, 2021", "2021-12-24", "Dec. 24, 2021", "24th of December 2021"]
)
def test_dates_match_across_formats(written: str) -> None:
    items = find_evidence(text=f"It was signed on {written}.", quote="signed on 24 December 2021")
    item = _figure(items, "24 December 2021")
    assert item.found
    # The date's digits are not also reported as separate numbers.
    assert [i.label.split(" — ")[0] for i in items if i.kind == "figure"] == ["24 December 2021"]


def test_other_date_not_matched() -> None:
    items = find_evidence(text="Signed on 25 December 2021.", quote="signed on 24 December 2021")
    assert not _figure(items, "24 December 2021").found


def test_quote_found_ignoring_case_spacing_and_quote_marks() -> None:
    text = "Title\n\nShe said: \u201cWe  will NOT raise taxes,\u201d to reporters.\nMore."
    items = find_evidence(text=text, quote='"we will not raise taxes,"')
    quote = items[0]
    assert quote.kind == "quote"
    assert quote.found
    assert quote.paragraph == 2
    assert text[quote.start : quote.end] == "We  will NOT raise taxes,"
    assert quote.label == "The quoted claim — found in the report, paragraph 2"
    assert "raise taxes" in quote.excerpt


def test_quote_found_ignoring_punctuation_is_reported_as_such() -> None:
    items = find_evidence(text="We will not raise taxes — ever.", quote="We will not raise taxes, ever")
    assert items[0].found
    assert "(ignoring punctuation)" in items[0].label


def test_restated_claim_and_not_found_labels() -> None:
    items = find_evidence(text="Nothing relevant here.", quote="Taxes fell by 3%.", restated="Taxes went down.")
    assert [(i.kind, i.found) for i in items] == [
        ("quote", False),
        ("restated", False),
        ("figure", False),
    ]
    assert items[0].label == "The quoted claim — not found in the report"
    assert items[2].label == "3% — not found in the report"
    assert items[2].paragraph is None and items[2].start is None and items[2].excerpt == ""


@pytest.mark.parametrize("marks", [('"', '"'), ("\u201c", "\u201d"), ("\u2018", "\u2019"), ("\u00ab", "\u00bb")])
def test_quoted_phrases_in_the_claim_are_checked(marks: tuple[str, str]) -> None:
    opening, closing = marks
    quote = f"The minister called it {opening}a historic day{closing} for the country."
    items = find_evidence(text="Para one.\nIt was, he said, \u201cA historic day\u201d.", quote=quote)
    phrase = next(i for i in items if i.kind == "quotation")
    assert phrase.found
    assert phrase.paragraph == 2
    assert phrase.label == "\u201ca historic day\u201d — found in the report, paragraph 2"


def test_figures_from_quote_and_restated_are_not_repeated() -> None:
    items = find_evidence(text="Cost: $5m.", quote="It cost $5 million", restated="cost 5,000,000 dollars")
    assert len([i for i in items if i.kind == "figure"]) == 1


def test_offsets_are_code_points_after_astral_characters() -> None:
    text = "\U0001f600\U0001f4b0 Funding \U0001f1fa\U0001f1f8: $770bn approved."
    items = find_evidence(text=text, quote="funding 🇺🇸: $770BN approved")
    figure = _figure(items, "$770BN")
    assert figure.start == text.index("$770bn")
    assert text[figure.start : figure.end] == "$770bn"
    quote = items[0]
    assert quote.found
    assert quote.start == 3
    assert text[quote.start : quote.end] == "Funding 🇺🇸: $770bn approved"


def test_numbers_inside_names_are_not_figures() -> None:
    items = find_evidence(text="COVID-19 and the G7.", quote="COVID-19 at the G7 summit")
    assert [i for i in items if i.kind == "figure"] == []


def test_paragraphs_skip_blank_lines() -> None:
    text = "One.\n\n\nTwo.\n   \nThree has 42 items."
    items = find_evidence(text=text, quote="42 items")
    assert items[0].paragraph == 3
    assert _figure(items, "42").paragraph == 3


@given(st.text(max_size=200), st.text(max_size=40))
def test_offsets_always_point_into_the_text(text: str, quote: str) -> None:
    for item in find_evidence(text=text, quote=quote, restated=quote[::-1]):
        if item.found:
            assert item.start is not None and item.end is not None
            assert 0 <= item.start < item.end <= len(text)
            assert item.paragraph is not None and item.paragraph >= 1


def test_the_excerpt_says_where_the_match_is_in_it() -> None:
    text = "Intro.\n\nAfter  a long debate,\tthe council approved \u20ac5bn for new roads \U0001f6a7 last night."
    [quote, figure] = find_evidence(text=text, quote="the council approved \u20ac5bn")
    for item in (quote, figure):
        assert item.mark_start is not None and item.mark_end is not None
        assert item.excerpt[item.mark_start : item.mark_end] == " ".join(text[item.start : item.end].split())
    assert figure.excerpt[figure.mark_start : figure.mark_end] == "\u20ac5bn"


def test_in_a_pdf_the_page_is_given() -> None:
    pages = ["First page about nothing.", "Second page: the budget is $5bn.", "Third."]
    text = "\n\n".join(pages)
    starts = [0, len(pages[0]) + 2, len(pages[0]) + len(pages[1]) + 4]
    [quote, figure] = find_evidence(text=text, quote="the budget is $5bn", page_starts=starts)
    assert (quote.page, figure.page) == (2, 2)
    assert quote.label == "The quoted claim \u2014 found in the report, page 2"
    [missing] = find_evidence(text=text, quote="nowhere", page_starts=starts)
    assert missing.page is None and missing.label == "The quoted claim \u2014 not found in the report"


def test_the_claims_language_reads_its_figures() -> None:
    text = "The plan costs 1.5 million euros."
    [_, figure] = find_evidence(text=text, quote="El plan cuesta 1,5 millones de euros", language="es")
    assert figure.found and text[figure.start : figure.end] == "1.5 million euros"
