"""Fitting the weights: scikit-learn's logistic regression over the span features.

Run offline to refit the shipped starting weights from the shipped labelled set:

    .venv/bin/python -m annotations.suggestions.fitting            # prints the weights and figures
    .venv/bin/python -m annotations.suggestions.fitting --write    # and writes data/weights.json

A team's refit (annotations/services/suggestions.py) calls `fit` in the worker with the same
examples plus the team's own, weighted more. scikit-learn is imported only here, inside `fit`, so
scoring in the web process never loads it.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from annotations.suggestions import featured_spans, rank
from annotations.suggestions.features import FEATURES
from annotations.suggestions.labelled import (
    LabelledArticle,
    fitting_set,
    is_hit,
    precision_at,
    recall_at,
)
from annotations.suggestions.scoring import Weights

REGULARIZATION = 1.0
"""scikit-learn's C: the inverse strength of the L2 penalty that keeps the weights small."""
BASE_VERSION = "base-1"


@dataclass(frozen=True)
class Example:
    features: Mapping[str, float]
    label: int
    weight: float = 1.0


def article_examples(article: LabelledArticle) -> list[Example]:
    """Every candidate span of the article, labelled 1 when it hits a span the desk marked."""
    return [Example(f, int(is_hit(span, article.marked))) for span, f in featured_spans(article.text)]


def base_examples() -> list[Example]:
    return [e for article in fitting_set() for e in article_examples(article)]


def fit(examples: Sequence[Example], *, version: str, regularization: float = REGULARIZATION) -> Weights:
    """Fit the weights on labelled examples (both labels must occur)."""
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    x = [[e.features.get(name, 0.0) for name in FEATURES] for e in examples]
    y = [e.label for e in examples]
    model = LogisticRegression(C=regularization, max_iter=1000)
    model.fit(x, y, sample_weight=[e.weight for e in examples])
    weights = {name: round(float(w), 4) for name, w in zip(FEATURES, model.coef_[0], strict=True)}
    return Weights(version=version, intercept=round(float(model.intercept_[0]), 4), weights=weights)


def figures(articles: Sequence[LabelledArticle], weights: Weights) -> dict[str, tuple[float, float]]:
    """Precision@10 and recall@15 per article."""
    result = {}
    for article in articles:
        ranked = [c.span for c in rank(featured_spans(article.text), weights)]
        result[article.id] = (precision_at(ranked, article.marked), recall_at(ranked, article.marked))
    return result


def cross_validated(articles: Sequence[LabelledArticle], regularization: float) -> dict[str, tuple[float, float]]:
    """Each article judged by weights fitted on the others (leave one article out)."""
    result = {}
    for held_out in articles:
        rest = [e for a in articles if a is not held_out for e in article_examples(a)]
        weights = fit(rest, version="cv", regularization=regularization)
        result.update(figures([held_out], weights))
    return result


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="write data/weights.json")
    args = parser.parse_args(argv)
    articles = fitting_set()
    examples = [e for a in articles for e in article_examples(a)]
    print(f"{len(articles)} articles, {len(examples)} candidate spans, {sum(e.label for e in examples)} marked")
    cv = cross_validated(articles, REGULARIZATION)
    print("leave-one-article-out on the fitting set: precision@10, recall@15")
    for article_id, (p, r) in cv.items():
        print(f"  {article_id:32} {p:.2f} {r:.2f}")
    print(f"  mean {statistics.mean(p for p, _ in cv.values()):.2f} {statistics.mean(r for _, r in cv.values()):.2f}")
    weights = fit(examples, version=BASE_VERSION)
    print(f"intercept {weights.intercept:+.3f}")
    for name in FEATURES:
        print(f"  {name:14} {weights.weights[name]:+.3f}")
    if args.write:
        path = Path(__file__).with_name("data") / "weights.json"
        path.write_text(json.dumps(weights.to_json(), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
