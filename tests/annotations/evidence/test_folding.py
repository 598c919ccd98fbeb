"""Folding whole strings at once gives what folding character by character gives, offsets included."""

from __future__ import annotations

import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotations.evidence import Report, evidence_in, find_evidence, prepare
from annotations.evidence.folding import INVISIBLE, QUOTE_MARKS, OffsetMap, fold, fold_needle, loosen

QUOTES = str.maketrans({**QUOTE_MARKS, "\u00a0": " "})


def fold_one_by_one(text: str, *, drop_punctuation: bool = False) -> tuple[str, list[int]]:
    """The definition, for a text in NFC once its invisible characters are dropped: each character
    in turn, with the index of the character it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in INVISIBLE:
            continue
        if char.isspace():
            if chars and chars[-1] == " ":
                continue
            chars.append(" ")
            origin.append(index)
            continue
        if drop_punctuation and unicodedata.category(char)[0] in "PS":
            continue
        for folded in char.translate(QUOTES).casefold():
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


TRICKY = (
    "aAzZ09 .,;:!?-'\"()$€%*\n\t\r\u00a0\u2009\u202f\u3000\u2028\u200b"
    "\u2018\u2019\u201c\u201d\u00ab\u00bb\u2013\u2014\u2212\u2032"
    "ßİıſKΣσςŉǰΐﬁﬃẞ\u0301é😀🇺🇸"
)
texts = st.text(alphabet=st.one_of(st.sampled_from(TRICKY), st.characters()), max_size=300)
composed = texts.map(lambda text: unicodedata.normalize("NFC", text))


def _visible_composed(text: str) -> bool:
    return unicodedata.is_normalized("NFC", "".join(char for char in text if char not in INVISIBLE))


@given(composed)
def test_fold_matches_the_definition(text: str) -> None:
    assume(_visible_composed(text))
    expected, origin = fold_one_by_one(text)
    folded = fold(text)
    assert folded.text == expected
    assert [folded.origin(i) for i in range(len(expected))] == origin


@given(composed)
def test_loose_fold_matches_the_definition(text: str) -> None:
    assume(_visible_composed(text))
    expected, origin = fold_one_by_one(text, drop_punctuation=True)
    loose = loosen(fold(text))
    assert loose.text == expected
    assert [loose.origin(i) for i in range(len(expected))] == origin


def test_expanding_case_folds_and_collapsed_spaces_keep_offsets() -> None:
    text = "Die  STRASSE\n\n heißt \u201eGroße\u201c Straße."
    folded = fold(text)
    assert folded.text == 'die strasse heisst "grosse" strasse.'
    assert folded.find("heisst") == (text.index("heißt"), text.index("heißt") + len("heißt"))
    assert folded.find("strasse.") == (text.rindex("Straße"), len(text))
    assert loosen(folded).find("grosse strasse") == (text.index("Große"), text.index("Straße.") + 6)


def test_needles_lose_surrounding_quote_marks_and_loose_ones_their_punctuation() -> None:
    assert fold_needle(" \u201cWe will NOT  raise taxes,\u201d ") == "we will not raise taxes,"
    assert fold_needle("We will not raise taxes — ever!", loose=True) == "we will not raise taxes ever"


@given(st.lists(st.tuples(st.integers(0, 2**31 - 1), st.integers(-(2**31), 2**31 - 1)), max_size=50))
def test_offset_maps_survive_being_kept(pairs: list[tuple[int, int]]) -> None:
    offsets = OffsetMap()
    for position, delta in sorted(set(pairs)):
        offsets.positions.append(position)
        offsets.deltas.append(delta)
    assert OffsetMap.from_bytes(offsets.to_bytes()) == offsets


def test_a_kept_report_finds_what_a_fresh_one_does() -> None:
    text = "Title\n\nThe  ministry said: \u201cWe will not raise taxes \u2014 ever.\u201d\n"
    text += "It costs $770bn (Dec. 24, 2021)."
    quote, restated = "we will not raise taxes, ever", "It costs 770 billion dollars, said on 24 December 2021"
    kept = Report.from_parts(text=text, **prepare(text).parts())
    assert evidence_in(kept, quote=quote, restated=restated) == find_evidence(text=text, quote=quote, restated=restated)
    assert [item.found for item in evidence_in(kept, quote=quote, restated=restated)] == [True, False, True, True]


@settings(deadline=None)  # the first call builds the table of composing characters
@given(texts)
def test_decomposed_and_composed_text_fold_alike_and_keep_offsets_in_order(text: str) -> None:
    decomposed = unicodedata.normalize("NFD", text)
    folded = fold(decomposed)
    assert folded.text == fold(unicodedata.normalize("NFC", text)).text
    origins = [folded.origin(i) for i in range(len(folded.text))]
    assert origins == sorted(origins)
    assert all(0 <= at < len(decomposed) for at in origins)


def test_a_decomposed_report_matches_a_composed_quote_over_whole_characters() -> None:
    report = unicodedata.normalize("NFD", "Le ministre a déclaré : « la réforme était nécessaire ».")
    [quote] = find_evidence(text=report, quote="la réforme était nécessaire")
    assert quote.found and quote.start is not None and quote.end is not None
    assert unicodedata.normalize("NFC", report[quote.start : quote.end]) == "la réforme était nécessaire"


def test_soft_hyphens_and_zero_width_characters_inside_words_do_not_matter() -> None:
    report = "The govern\u00adment will in\u200bvest \u2060heavily\ufeff in ro\u200dads."
    [quote] = find_evidence(text=report, quote="The government will invest heavily in roads")
    assert quote.found and quote.label.startswith("The quoted claim — found in the report,")
    assert quote.excerpt == "The government will invest heavily in roads."


def test_quote_marks_and_dashes_are_unified() -> None:
    assert fold("\u00abNon\u00bb \u2039oui\u203a l\u02bcami \u2015 fin").text == "\"non\" 'oui' l'ami - fin"
