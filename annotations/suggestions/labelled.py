"""Labelled articles (the spans a desk marked, in [[double brackets]]) and how suggestions are judged
against them: precision of the top 10 and the share of marked claims among the top 15, where a
suggestion hits a claim when they overlap by at least half of the shorter span.

The format: "### <id> <kind> <language>" starts an article, lines starting with "#" otherwise are
comments, and paragraphs are separated by blank lines (joined with "\\n\\n", as in reader text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

from annotations.suggestions.splitting import Span, overlaps_enough

TOP_PRECISION = 10
TOP_RECALL = 15


@dataclass(frozen=True)
class LabelledArticle:
    id: str
    kind: str
    language: str
    text: str
    marked: tuple[Span, ...]


def _article(header: str, lines: list[str]) -> LabelledArticle:
    article_id, kind, language = header.split()
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    source = "\n\n".join(" ".join(p) for p in paragraphs if p)
    text: list[str] = []
    marked: list[Span] = []
    at = 0
    start = None
    rest = source
    while rest:
        token = "]]" if start is not None else "[["
        i = rest.find(token)
        if i < 0:
            if start is not None:
                raise ValueError(f"{article_id}: an unclosed [[")
            text.append(rest)
            break
        text.append(rest[:i])
        at += i
        if start is None:
            start = at
        else:
            marked.append(Span(start, at))
            start = None
        rest = rest[i + 2 :]
    return LabelledArticle(article_id, kind, language, "".join(text), tuple(marked))


def parse_labelled(source: str) -> list[LabelledArticle]:
    articles: list[LabelledArticle] = []
    header: str | None = None
    lines: list[str] = []
    for line in source.splitlines():
        if line.startswith("### "):
            if header is not None:
                articles.append(_article(header, lines))
            header, lines = line[4:], []
        elif line.startswith("#"):
            continue
        elif header is not None:
            lines.append(line)
    if header is not None:
        articles.append(_article(header, lines))
    return articles


def fitting_set() -> list[LabelledArticle]:
    """The shipped articles the starting weights are fitted on."""
    source = resources.files("annotations.suggestions").joinpath("data/desk_marked.txt").read_text("utf-8")
    return parse_labelled(source)


def is_hit(span: Span, marked: Sequence[Span]) -> bool:
    return any(overlaps_enough(span, claim) for claim in marked)


def precision_at(suggested: Sequence[Span], marked: Sequence[Span], k: int = TOP_PRECISION) -> float:
    """The share of the top k suggestions that hit a marked claim (of all of them, when fewer than k)."""
    top = list(suggested[:k])
    return sum(is_hit(s, marked) for s in top) / len(top) if top else 0.0


def recall_at(suggested: Sequence[Span], marked: Sequence[Span], k: int = TOP_RECALL) -> float:
    """The share of the marked claims that a top-k suggestion hits."""
    top = list(suggested[:k])
    return sum(is_hit(claim, top) for claim in marked) / len(marked) if marked else 1.0
