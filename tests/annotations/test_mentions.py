from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from annotations.mentions import mentioned

MEMBERS = ["anna", "anna.b", "bob", "zoë", "Ines_O", "李雷", "ada+news"]


def test_a_name_followed_by_punctuation_is_mentioned_once() -> None:
    assert mentioned("@anna, see this. Thanks @anna! And @bob.", MEMBERS) == ["anna", "bob"]


def test_the_longest_member_name_wins() -> None:
    assert mentioned("cc @anna.b please", MEMBERS) == ["anna.b"]
    assert mentioned("cc @anna. please", MEMBERS) == ["anna"]


def test_a_name_that_goes_on_is_not_a_shorter_member() -> None:
    assert mentioned("@annabel and @anna.bo and @bobby", MEMBERS) == []


def test_unicode_names_case_blind_and_normalised() -> None:
    decomposed = "zoe\u0308"  # "zoë" with a combining diaeresis
    assert mentioned(f"Ask @{decomposed}: she knows. @ines_o too; @李雷。", MEMBERS) == ["zoë", "Ines_O", "李雷"]


def test_an_email_address_or_a_lone_at_is_not_a_mention() -> None:
    assert mentioned("write to anna@bob.org or @ or @@", MEMBERS) == []


def test_names_with_plus_and_apostrophes() -> None:
    assert mentioned("(@ada+news) and @anna's note", MEMBERS) == ["ada+news", "anna"]


def test_only_the_given_names_count() -> None:
    assert mentioned("@carol @anna", ["anna"]) == ["anna"]
    assert mentioned("@anna", []) == []


@given(st.text(), st.lists(st.from_regex(r"[\w.@+-]{1,12}", fullmatch=True), max_size=5))
def test_mentions_are_among_the_names_once_each(body: str, names: list[str]) -> None:
    found = mentioned(body, names)
    assert len(found) == len(set(found))
    assert set(found) <= set(names)


@given(st.sampled_from(MEMBERS), st.sampled_from([" ", ".", ",", "!", "?", ":", ";", ")", "'s", "", "\n"]))
def test_a_member_followed_by_any_ending_is_found(name: str, ending: str) -> None:
    assert mentioned(f"hi @{name}{ending}", MEMBERS) == [name]
