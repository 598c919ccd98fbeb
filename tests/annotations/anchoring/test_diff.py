import json
import random
import shutil
import subprocess
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.anchoring import diff, reanchor, selectors_for_span
from annotations.anchoring.diff import OffsetMap, offset_map, text_edit
from tests.annotations.anchoring.conftest import PROJECT_ROOT


def assert_sound(old: str, new: str, alignment: OffsetMap) -> None:
    """Equal segments are equal text, in order, apart; offsets map in order and in range."""
    previous_old = previous_new = 0
    for old_start, new_start, length in alignment.segments:
        assert length > 0
        assert old_start >= previous_old and new_start >= previous_new
        assert old[old_start : old_start + length] == new[new_start : new_start + length]
        previous_old, previous_new = old_start + length, new_start + length
    mapped = [alignment.map_offset(offset) for offset in range(len(old) + 1)]
    assert mapped == sorted(mapped)
    assert all(0 <= offset <= len(new) for offset in mapped)


def test_text_edit() -> None:
    edit = text_edit("abcdef", "abXYZef")
    assert (edit.prefix, edit.old_end, edit.new_end) == (2, 4, 5)
    same = text_edit("abc", "abc")
    assert (same.prefix, same.old_end, same.new_end) == (3, 3, 3)
    grown = text_edit("aaa", "aaaa")
    assert (grown.prefix, grown.old_end, grown.new_end) == (3, 3, 4)
    long_old = "x" * 10000 + "middle" + "y" * 10000
    long_edit = text_edit(long_old, long_old.replace("middle", "centre"))
    assert (long_edit.prefix, long_edit.old_end) == (10000, 10005)  # both end in 'e'


def test_unchanged_and_empty_texts() -> None:
    assert offset_map("abc", "abc").segments == ((0, 0, 3),)
    assert offset_map("", "").segments == ()
    assert offset_map("", "new").map_offset(0) == 0
    assert offset_map("abc", "abcX").map_offset(3) == 3
    assert offset_map("old", "").map_offset(2) == 0


def test_edits_above_and_inside_a_paragraph_map_separately() -> None:
    old = "First paragraph.\n\nThe budget was $770 million this year.\n"
    new = "Editor’s note: figures corrected.\n\nFirst paragraph.\n\nThe budget was $768 million this year.\n"
    alignment = offset_map(old, new)
    assert_sound(old, new, alignment)
    shift = new.index("First") - old.index("First")
    assert alignment.map_offset(old.index("The budget")) == old.index("The budget") + shift
    assert alignment.map_offset(old.index("70 million")) == new.index("68 million")
    assert alignment.map_offset(old.index(" million")) == new.index(" million")


def test_an_insertion_maps_offsets_at_its_place_past_it() -> None:
    old = "Rents rose. Officials said so."
    new = "Rents rose. They fell later. Officials said so."
    assert offset_map(old, new).map_offset(old.index("Officials")) == new.index("Officials")


def test_a_changed_stretch_keeps_the_distance_from_its_start() -> None:
    alignment = offset_map("a b xxxxxx c", "a b yy c")
    assert [alignment.map_offset(o) for o in range(4, 11)] == [4, 5, 6, 6, 6, 6, 6]


def test_a_note_sharing_the_first_words_goes_above_the_paragraph() -> None:
    old = "The council said the budget was $770 million.\n\nMore.\n"
    new = "The council corrected this report on Friday.\n\n" + old
    alignment = offset_map(old, new)
    assert alignment.map_offset(0) == new.index("The council said")
    assert alignment.map_offset(old.index("council said")) == new.index("council said")


def test_an_appended_sentence_repeating_the_last_words_goes_after_them() -> None:
    old = "A spokesperson said so."
    new = "A spokesperson said so. The mayor said so."
    assert offset_map(old, new).segments == ((0, 0, len(old)),)


def test_code_points_not_utf16_units() -> None:
    old = "📈 Rents rose 14%.\n\nThe 👨‍👩‍👧 family said so.\n"
    new = "🚨🚨 Note.\n\n" + old.replace("14%", "15%")
    alignment = offset_map(old, new)
    assert_sound(old, new, alignment)
    assert alignment.map_offset(old.index("family")) == new.index("family")
    assert alignment.map_offset(old.index("4%")) == new.index("5%")


def test_crlf_normalised_text_still_aligns_words() -> None:
    old = "Title\r\n\r\nThe port will double its capacity.\r\n"
    new = old.replace("\r\n", "\n")
    alignment = offset_map(old, new)
    assert alignment.map_offset(old.index("port")) == new.index("port")


def test_without_work_left_the_changed_lines_stay_one_stretch(monkeypatch: pytest.MonkeyPatch) -> None:
    old = "Intro.\n\nalpha beta gamma delta\n\nOutro.\n"
    new = "Intro.\n\nNote.\n\ndelta gamma beta alpha\n\nOutro.\n"
    monkeypatch.setattr(diff, "MAX_DIFF_WORK", 0)
    capped = offset_map(old, new)
    assert_sound(old, new, capped)
    # Only the common ends: "Intro.\n\n" and "a\n\nOutro.\n" ("delta" and "alpha" end alike).
    assert capped.segments == ((0, 0, 8), (len(old) - 10, len(new) - 10, 10))
    monkeypatch.undo()
    assert len(offset_map(old, new).segments) > 2


def test_pathological_input_stays_within_the_work_cap() -> None:
    """Reversed words: each round of patience recursion finds one anchor, so without the
    cap the work would grow with the square of the 200,000 tokens."""
    words = [f"w{i}" for i in range(100_000)]
    old, new = " ".join(words), " ".join(reversed(words))
    began = time.perf_counter()
    alignment = offset_map(old, new)
    assert time.perf_counter() - began < 5
    for old_start, new_start, length in alignment.segments:
        assert old[old_start : old_start + length] == new[new_start : new_start + length]


# Text with few distinct characters, so that repeats and ambiguous alignments are common.
ALPHABET = st.sampled_from([*list("ab .\n"), "the ", "The", "😀", "\r\n", "é", "”", "\n\n", "$770", "大"])


def chars(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    return st.lists(ALPHABET, min_size=min_size, max_size=max_size).map("".join)


@st.composite
def revisions(draw: st.DrawFn, text: str, keep: str = "") -> str:
    """``text`` after a few insertions, deletions, replacements and line moves that leave
    ``keep`` where it is."""
    for _ in range(draw(st.integers(1, 4))):
        if draw(st.booleans()) and "\n" in text:
            lines = text.split("\n")
            line = lines.pop(draw(st.integers(0, len(lines) - 1)))
            lines.insert(draw(st.integers(0, len(lines))), line)
            text = "\n".join(lines)
        else:
            at = draw(st.integers(0, len(text)))
            end = draw(st.integers(at, min(len(text), at + 12)))
            if not keep or keep not in text[at:end]:
                text = text[:at] + draw(chars(0, 8)) + text[end:]
    return text


@settings(max_examples=400, deadline=None)
@given(chars(0, 80), st.data())
def test_alignment_is_sound(old: str, data: st.DataObject) -> None:
    new = data.draw(revisions(old))
    assert_sound(old, new, offset_map(old, new))


@settings(max_examples=200, deadline=None)
@given(chars(0, 80))
def test_unchanged_text_maps_to_itself(text: str) -> None:
    alignment = offset_map(text, text)
    assert [alignment.map_offset(o) for o in range(len(text) + 1)] == list(range(len(text) + 1))


FIRST, LAST = "\x00", "\x01"  # marks the claim's first and last word while the text is edited


@st.composite
def articles(draw: st.DrawFn) -> list[list[str]]:
    """Paragraphs of words, no word used twice, one run of words marked as the claim."""
    sizes = draw(st.lists(st.integers(1, 12), min_size=1, max_size=6))
    words = iter(f"w{n}{draw(st.sampled_from(['', '', '.', ',']))}" for n in range(sum(sizes)))
    paragraphs = [[next(words) for _ in range(size)] for size in sizes]
    words_of_claim = paragraphs[draw(st.integers(0, len(paragraphs) - 1))]
    first = draw(st.integers(0, len(words_of_claim) - 1))
    last = draw(st.integers(first, len(words_of_claim) - 1))
    words_of_claim[first] = FIRST + words_of_claim[first]
    words_of_claim[last] += LAST
    return paragraphs


def claim_at(paragraphs: list[list[str]]) -> tuple[int, int, int]:
    """(paragraph, first word, last word) of the claim."""
    for p, words in enumerate(paragraphs):
        for first, word in enumerate(words):
            if word.startswith(FIRST):
                return p, first, next(i for i, w in enumerate(words) if w.endswith(LAST))
    raise AssertionError("the claim is gone")


@st.composite
def edited(draw: st.DrawFn, paragraphs: list[list[str]]) -> list[list[str]]:
    """Paragraphs and words inserted, deleted and replaced, none of the claim's."""
    paragraphs = [list(words) for words in paragraphs]
    fresh = iter(f"n{n}" for n in range(1000))
    for _ in range(draw(st.integers(1, 5))):
        claim, first, last = claim_at(paragraphs)
        p = draw(st.integers(0, len(paragraphs) - 1))
        words = paragraphs[p]
        action = draw(st.sampled_from(["insert paragraph", "delete paragraph", "insert", "delete", "replace"]))
        if action == "insert paragraph":
            paragraphs.insert(draw(st.integers(0, len(paragraphs))), [next(fresh) for _ in range(3)])
        elif action == "delete paragraph":
            if p != claim:
                del paragraphs[p]
        else:
            at = draw(st.integers(0, len(words)))
            end = at if action == "insert" else draw(st.integers(at, min(len(words), at + 3)))
            added = [] if action == "delete" else [next(fresh) for _ in range(draw(st.integers(1, 3)))]
            outside = p != claim or end <= first or at > last
            if outside and words[:at] + added + words[end:]:
                paragraphs[p] = words[:at] + added + words[end:]
    return paragraphs


def render(paragraphs: list[list[str]]) -> tuple[str, int, int]:
    """The text and the claim's span in it."""
    marked = "\n\n".join(" ".join(words) for words in paragraphs) + "\n"
    start = marked.index(FIRST)
    end = marked.index(LAST) - 1
    return marked.replace(FIRST, "").replace(LAST, ""), start, end


@settings(max_examples=400, deadline=None)
@given(articles(), st.data())
def test_edits_away_from_a_claim_carry_its_start_exactly(paragraphs: list[list[str]], data: st.DataObject) -> None:
    """With no word repeated and nothing moved, the claim's start maps to where it went."""
    old, start, end = render(paragraphs)
    new, new_start, new_end = render(data.draw(edited(paragraphs)))
    assert offset_map(old, new).map_offset(start) == new_start
    quote, position = selectors_for_span(old, start, end)
    anchor = reanchor(new, quote, position, old_text=old)
    assert (anchor.start, anchor.end) == (new_start, new_end)
    assert anchor.outcome == ("exact" if new_start == start else "moved")


@settings(max_examples=400, deadline=None)
@given(chars(1, 80), chars(1, 20), chars(0, 80), st.data())
def test_edits_away_from_the_quote_keep_it(left: str, claim: str, right: str, data: st.DataObject) -> None:
    """Insertions, deletions, replacements and line moves outside the quote never make it
    fuzzy or an orphan, and wherever it lands the text is the quote."""
    old = left + claim + right
    quote, position = selectors_for_span(old, len(left), len(left) + len(claim))
    sentinel = "\x00"
    marked = data.draw(revisions(left + sentinel + right, keep=sentinel))
    new = marked.replace(sentinel, claim)
    anchor = reanchor(new, quote, position, old_text=old)
    assert anchor.outcome in ("exact", "moved")
    assert anchor.start is not None and anchor.end is not None
    assert new[anchor.start : anchor.end] == claim
    # Only where the quote occurs once (overlaps counted: "\n\n" occurs twice in "\n\n\n") is its place certain.
    if sum(new.startswith(claim, i) for i in range(len(new))) == 1:
        assert anchor.start == marked.index(sentinel)


@settings(max_examples=400, deadline=None)
@given(chars(1, 100), st.data())
def test_a_quote_mapped_onto_itself_is_exact_or_moved(old: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(old) - 1))
    end = data.draw(st.integers(start + 1, min(len(old), start + 30)))
    quote, position = selectors_for_span(old, start, end)
    new = data.draw(revisions(old))
    alignment = offset_map(old, new)
    mapped_start, mapped_end = alignment.map_offset(start), alignment.map_offset(end)
    anchor = reanchor(new, quote, position, old_text=old)
    if new[mapped_start:mapped_end] == quote.exact:
        assert anchor.outcome == ("exact" if mapped_start == start else "moved")
        assert anchor.start == mapped_start


def run_js_offset_maps(pairs: list[tuple[str, str]]) -> list[list[list[int]]]:
    script = (
        f'import {{ offsetMap }} from "{(PROJECT_ROOT / "frontend/js/diff.js").as_uri()}";'
        'import { readFileSync } from "node:fs";'
        'const pairs = JSON.parse(readFileSync(0, "utf8"));'
        "process.stdout.write(JSON.stringify(pairs.map(([o, n]) => offsetMap(o, n).segments)));"
    )
    node = shutil.which("node")
    assert node is not None
    result = subprocess.run(
        [node, "--input-type=module", "-e", script],
        input=json.dumps(pairs),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    segments: list[list[list[int]]] = json.loads(result.stdout)
    return segments


def generated_revisions(seed: int, count: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pieces = [*"ab .\n", "the ", "The", "😀", "👨‍👩‍👧", "\r\n", "é", "”", "\n\n", "$770", "$768", "大", "! "]
    pairs = []
    for _ in range(count):
        old = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        new = old
        for _ in range(rng.randint(1, 4)):
            if rng.random() < 0.2 and "\n" in new:
                lines = new.split("\n")
                lines.insert(rng.randint(0, len(lines) - 1), lines.pop(rng.randrange(len(lines))))
                new = "\n".join(lines)
            else:
                at = rng.randint(0, len(new))
                end = rng.randint(at, min(len(new), at + 10))
                new = new[:at] + "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6))) + new[end:]
        pairs.append((old, new))
    return pairs


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_diff_js_gives_the_same_offset_maps() -> None:
    pairs = generated_revisions(20211224, 1500)
    words = " ".join(f"w{i}" for i in range(3000))
    pairs.append((words, " ".join(reversed(words.split(" ")))))
    pairs.append(("Intro.\n\n" + words + "\n", "Note.\n\nIntro.\n\n" + words.replace("w17 ", "w17 x ") + "\n"))
    expected = [[list(segment) for segment in offset_map(old, new).segments] for old, new in pairs]
    assert run_js_offset_maps(pairs) == expected
