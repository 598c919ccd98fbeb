"""Figures written in words: "six thousand", "seis mil", "a third", "one in three"."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from annotations.evidence.figures.digits import CURRENCY_SIGNS, tail_after, trend_of
from annotations.evidence.figures.figure import HUNDRED, Figure, FigureKind
from annotations.evidence.folding import Folded, fold
from annotations.evidence.languages import LANGUAGES, Style


@dataclass(frozen=True)
class _Words:
    """A language's number words, folded like the text they are looked for in."""

    sequence: re.Pattern[str]
    token: re.Pattern[str]
    ones: dict[str, int]
    multipliers: dict[str, Decimal]
    fractions: dict[str, int]
    halves: frozenset[str]
    joiners: frozenset[str]
    articles: frozenset[str]
    one_in: re.Pattern[str]
    """The joining words and the denominator of "one in three"; the numerator is the word before."""
    small: re.Pattern[str]


def _folded(word: str) -> str:
    return fold(word).text


def _trie(words: set[str]) -> str:
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + pattern(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return pattern(root)


@cache
def _words(code: str) -> _Words:
    language = LANGUAGES[code]
    ones = {_folded(w): v for w, v in language.ones.items()}
    multipliers = {_folded(w): v for w, v in language.multipliers.items()}
    fractions = {_folded(w): v for w, v in language.fractions.items()}
    halves = frozenset(map(_folded, language.halves))
    joiners = frozenset(map(_folded, language.joiners))
    token = _trie(set(ones) | set(multipliers) | set(fractions) | halves)
    joiner = "|".join(map(re.escape, joiners))
    glue = "[ -]?" if code == "de" else "[ -]"
    between = f"(?:{glue}(?:(?:{joiner}){glue})?)" if joiner else glue
    sequence = re.compile(rf"(?<![^\W\d_])(?:{token})(?:{between}(?:{token}))*(?![^\W\d_])")
    small = _trie({w for w, v in ones.items() if 1 <= v <= 20})
    one_in = "|".join(re.escape(_folded(w)).replace(r"\ ", " ") for w in language.one_in)
    return _Words(
        sequence=sequence,
        token=re.compile(_trie(set(ones) | set(multipliers) | set(fractions) | halves | joiners)),
        ones=ones,
        multipliers=multipliers,
        fractions=fractions,
        halves=halves,
        joiners=joiners,
        articles=frozenset(map(_folded, language.articles)),
        one_in=re.compile(rf" (?:{one_in}) (?P<b>{small}|\d{{1,3}})(?![^\W_])"),
        small=re.compile(rf"(?:{small}|\d{{1,2}})"),
    )


def _word_value(tokens: list[str], words: _Words) -> tuple[Decimal, Decimal] | None:
    """The value of number words and half the unit they are exact to ("six thousand": 500)."""
    total = current = Decimal(0)
    big = Decimal(0)
    last_big = False
    for token in tokens:
        if token in words.joiners:
            continue
        if token in words.ones:
            current += words.ones[token]
            last_big = False
        elif token in words.multipliers:
            m = words.multipliers[token]
            if m >= 1000:
                if last_big and not current:
                    total *= m
                else:
                    total += (current or 1) * m
                current, big, last_big = Decimal(0), m, True
            else:
                current = (current or 1) * m
                last_big = False
        else:
            return None
    value = total + current
    return value, (big / 2 if last_big else Decimal("0.5"))


def word_figures(text: str, folded: Folded, style: Style) -> Iterator[Figure]:
    language = style.language
    words = _words(language.code)
    tail = tail_after(language.code)
    f = folded.text
    done = 0
    for match in words.sequence.finditer(f):
        if folded.origin(match.start()) < done:
            continue
        tokens = words.token.findall(match.group(0))
        lead = f.rfind(" ", 0, max(0, match.start() - 1)) + 1
        article = match.start() > 0 and f[lead : match.start()].strip() in words.articles
        start = folded.origin(lead if article and tokens[0] not in words.ones else match.start())
        end = folded.origin(match.end() - 1) + 1
        if tokens[-1] in words.fractions or tokens[-1] in words.halves:
            figure = _fraction(text, f, match, tokens, words, start, end, article)
        else:
            figure = _word_number(text, tokens, words, tail, style, start, end)
        if figure is not None:
            done = figure.end
            yield figure


def _word_number(
    text: str, tokens: list[str], words: _Words, tail: re.Pattern[str], style: Style, start: int, end: int
) -> Figure | None:
    parsed = _word_value(tokens, words)
    if parsed is None:
        return None
    value, half = parsed
    after = tail.match(text, end)
    assert after is not None
    kind: FigureKind = "percent" if after["pct"] else "points" if after["points"] else "number"
    if kind == "number" and value < 10:
        return None  # "one of them", "two sides"
    currency = None
    if after["pct"] or after["points"] or after["curword"]:
        end = after.end()
    if after["curword"]:
        word = after["curword"].lower()
        currency = style.language.currencies.get(word) or CURRENCY_SIGNS.get(word)
    trend = trend_of(text, start, end, style.language)
    return Figure(start, end, text[start:end], kind, value, half=half, currency=currency, trend=trend)


def one_in_figures(text: str, folded: Folded, style: Style) -> Iterator[Figure]:
    """ "One in three", "1 in 5": a percentage."""
    words = _words(style.language.code)
    f = folded.text
    for match in words.one_in.finditer(f):
        lead = f.rfind(" ", 0, match.start()) + 1
        if not words.small.fullmatch(f, lead, match.start()):
            continue
        a, b = _small(f[lead : match.start()], words), _small(match["b"], words)
        if a and b and a < b:
            start, end = folded.origin(lead), folded.origin(match.end() - 1) + 1
            yield Figure(start, end, text[start:end], "percent", HUNDRED * a / b)


def _small(token: str, words: _Words) -> int:
    return int(token) if token.isdigit() else words.ones.get(token, 0)


def _fraction(
    text: str, f: str, match: re.Match[str], tokens: list[str], words: _Words, start: int, end: int, article: bool
) -> Figure | None:
    last = tokens[-1]
    numerator_tokens = tokens[:-1]
    if last in words.halves:
        following = f[match.end() : match.end() + 8].split(" ")[1:2]
        if numerator_tokens or not (article or (following[:1] and following[0] in _OF)):
            return None
        return Figure(start, end, text[start:end], "percent", Decimal(50))
    parsed = _word_value(numerator_tokens, words) if numerator_tokens else (Decimal(1), Decimal(0))
    if parsed is None or (not numerator_tokens and not article):
        return None
    numerator = parsed[0]
    if not 0 < numerator < words.fractions[last]:
        return None
    return Figure(start, end, text[start:end], "percent", HUNDRED * numerator / words.fractions[last])


_OF = frozenset(["of", "de", "des", "du", "der", "dos", "das", "da", "di", "dei", "delle", "degli"])
