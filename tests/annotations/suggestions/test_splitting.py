"""Sentences and clauses as code-point spans."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from annotations.suggestions.splitting import Span, candidate_spans, clauses, overlaps_enough, sentences


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in sentences(text)]


def test_sentences_end_at_stops_but_not_at_abbreviations_initials_or_decimals():
    text = (
        "Mr. Smith said the U.S. economy grew 2.5% in 2023. Prices rose! Did wages? "
        '"We are proud," she said. Paragraph ends here\n\nNew paragraph. e.g. not a sentence end.'
    )
    assert texts(text) == [
        "Mr. Smith said the U.S. economy grew 2.5% in 2023.",
        "Prices rose!",
        "Did wages?",
        '"We are proud," she said.',
        "Paragraph ends here",
        "New paragraph. e.g. not a sentence end.",
    ]


def test_clauses_are_cut_only_where_both_sides_stand_alone():
    text = "Unemployment fell to 4% last year, while wages rose by 7% in the same period; prices fell."
    (sentence,) = sentences(text)
    parts = [text[s.start : s.end] for s in clauses(text, sentence)]
    assert parts == ["Unemployment fell to 4% last year", "wages rose by 7% in the same period; prices fell"]


def test_spans_are_trimmed_of_space_and_closing_punctuation_but_keep_paired_quotes():
    text = '  "Everything is expensive," said a teacher.  '
    assert [text[s.start : s.end] for s in candidate_spans(text)] == ['"Everything is expensive," said a teacher']


def test_hits_need_half_of_the_shorter_span():
    assert overlaps_enough(Span(0, 10), Span(5, 50))
    assert not overlaps_enough(Span(0, 10), Span(6, 50))
    assert not overlaps_enough(Span(0, 10), Span(10, 20))


@given(st.text(alphabet=st.sampled_from(list("ab .!?;,\n\"'—é😀1")), max_size=300))
def test_candidate_spans_lie_in_the_text_in_order_without_overlap(text: str):
    spans = candidate_spans(text)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
        assert not text[span.start].isspace() and not text[span.end - 1].isspace()
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.start
