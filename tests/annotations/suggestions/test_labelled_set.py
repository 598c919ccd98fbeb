"""The targets on the evaluation set (tests/fixtures/suggestions_eval.txt): precision of the top 10
suggestions of each article at least 0.6, and at least 70% of the marked claims among the top 15.
The weights were fitted on other articles (annotations/suggestions/data/desk_marked.txt)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from annotations.suggestions import suggest
from annotations.suggestions.labelled import (
    LabelledArticle,
    fitting_set,
    parse_labelled,
    precision_at,
    recall_at,
)

EVALUATION = Path(__file__).resolve().parents[2] / "fixtures" / "suggestions_eval.txt"
KINDS = {"politics", "economy", "health", "science", "local"}


def evaluation_set() -> list[LabelledArticle]:
    return parse_labelled(EVALUATION.read_text(encoding="utf-8"))


def test_the_evaluation_set_covers_every_kind_and_more_than_english():
    articles = evaluation_set()
    assert len(articles) >= 8
    assert {a.kind for a in articles} == KINDS
    assert {a.language for a in articles} - {"en"}
    for article in articles:
        assert len(article.marked) >= 7, article.id
        assert all(article.text[s.start : s.end].strip() for s in article.marked)


def test_the_fitting_and_evaluation_sets_share_no_article():
    fitting = fitting_set()
    evaluation = evaluation_set()
    assert not {a.id for a in fitting} & {a.id for a in evaluation}
    fitted_sentences = {s for a in fitting for s in a.text.split(". ")}
    shared = [s for a in evaluation for s in a.text.split(". ") if s in fitted_sentences and len(s) > 40]
    assert shared == []


def figures(article: LabelledArticle) -> tuple[float, float]:
    """Precision of the top 10 of the whole ranking (hits / 10, whatever their score) and the share
    of the marked claims among the top 15 suggestions shown (those scoring MIN_SCORE or more)."""
    ranking = [c.span for c in suggest(article.text, min_score=0.0)]
    shown = [c.span for c in suggest(article.text)]
    assert len(ranking) >= 10
    return precision_at(ranking, article.marked, 10), recall_at(shown, article.marked, 15)


@pytest.mark.parametrize("article", evaluation_set(), ids=lambda a: a.id)
def test_each_article_meets_the_targets(article: LabelledArticle):
    precision, recall = figures(article)
    assert precision >= 0.6
    assert recall >= 0.7


def test_the_figures_per_kind(capsys: pytest.CaptureFixture[str]):
    by_kind: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for article in evaluation_set():
        by_kind[article.kind].append(figures(article))
    with capsys.disabled():
        print()
        for kind, results in sorted(by_kind.items()):
            p = sum(f[0] for f in results) / len(results)
            r = sum(f[1] for f in results) / len(results)
            print(f"{kind:10} precision@10 {p:.2f}  recall@15 {r:.2f}  ({len(results)} articles)")
            assert p >= 0.6 and r >= 0.7
