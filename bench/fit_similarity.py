"""Fit the match score of "Already checked?" (annotations/matching/ranking.py) on its calibration set.

    .venv/bin/python bench/fit_similarity.py

The calibration set (annotations/matching/calibration.json) holds pairs that are the same claim
(translations, paraphrases) and pairs that are not (`unrelated`, or `same_topic`: the same subject
but another figure, direction, place or time). It is used the way the search meets claims: every
first claim (`a`) goes into one corpus, and each second claim (`b`) is searched against all of it
(its CANDIDATES nearest by cosine, as the vector index brings them).

- A same-claim pair gives a positive: `b` with its own `a`.
- An unrelated `b` gives negatives: its NEGATIVES nearest claims of the corpus, since a false match is
  the best of many unrelated claims, not any one of them (and with the figures compared, the best
  by score need not be the nearest by cosine).

A logistic regression (scikit-learn) of the cosine and of whether the two state different figures
(annotations/matching/figures.py) is the score. Its threshold is the lowest at which at most
FALSE_MATCH_TARGET of the unrelated claims find a match above it (issue 14's target), which keeps as
many same-claim pairs as that target allows; the bias is then shifted so that this threshold is the
stored default (DEFAULT_THRESHOLD, the column default of migration 0010). Claims on the same topic
are reported, not fitted: sentence vectors place "unemployment rose" next to "unemployment fell", and
a reviewer tells them apart at a glance.

The figures printed are measured the way the search is used: a same-claim pair counts as found when
its `a` scores above the threshold and among the top 5 of `b`'s candidates; an unrelated claim counts
as a false match when any candidate scores above it. They are given on the whole set (the fit's own
data) and cross-validated (5 folds, repeated 5 times with fixed seeds: fit and threshold chosen on
4/5 of the claims, measured on the other 1/5), for this model and for the cosine alone.

The calibration set is separate from the evaluation set (tests/fixtures/similar_claims.json) that
the tests measure recall and false matches on, so the targets are not met by fitting to them.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotations.matching.embeddings import embed  # noqa: E402
from annotations.matching.figures import figures_differ  # noqa: E402
from annotations.matching.ranking import DEFAULT_THRESHOLD  # noqa: E402

CALIBRATION = ROOT / "annotations" / "matching" / "calibration.json"
CANDIDATES = 40
NEGATIVES = 3
TOP = 5
FALSE_MATCH_TARGET = 0.05
THRESHOLDS = np.round(np.arange(0.01, 1.0, 0.01), 2)
FOLDS, REPEATS = 5, 5
# A weak L2 penalty (C=10): the set is small, and unbounded weights would make the score a step.
PENALTY_C = 10.0


class Calibration:
    """Every query (`b`) with its candidates: cosine, figures differing, and which one is its own `a`."""

    def __init__(self, data: dict) -> None:
        matches, others = data["matches"], data["non_matches"]
        self.kind = ["match"] * len(matches) + [n["kind"] for n in others]
        corpus_text = [m["a"] for m in matches] + [n["a"] for n in others]
        query_text = [m["b"] for m in matches] + [n["b"] for n in others]
        corpus = np.asarray(embed(corpus_text))
        queries = np.asarray(embed(query_text))
        cosine = np.clip(queries @ corpus.T, 0.0, 1.0)
        self.candidates = np.argsort(-cosine, axis=1)[:, :CANDIDATES]
        self.cosine = np.take_along_axis(cosine, self.candidates, axis=1)
        self.differ = np.asarray(
            [[figures_differ(query_text[q], corpus_text[c]) for c in row] for q, row in enumerate(self.candidates)],
            dtype=float,
        )
        self.own = self.candidates == np.arange(len(query_text))[:, None]
        self.positive = np.asarray([k == "match" for k in self.kind])
        self.unrelated = np.asarray([k == "unrelated" for k in self.kind])
        self.same_topic = np.asarray([k == "same_topic" for k in self.kind])

    def features(self, columns: tuple[str, ...]) -> np.ndarray:
        named = {"cosine": self.cosine, "figures_differ": self.differ}
        return np.stack([named[c] for c in columns], axis=-1)

    def training(self, queries: np.ndarray, columns: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
        x = self.features(columns)
        rows, labels = [], []
        for q in queries:
            if self.positive[q] and self.own[q].any():
                rows.append(x[q][self.own[q]][0])
                labels.append(1)
            elif self.unrelated[q]:
                rows.extend(x[q][:NEGATIVES])
                labels.extend([0] * NEGATIVES)
        return np.asarray(rows), np.asarray(labels)

    def measure(self, scores: np.ndarray, queries: np.ndarray, threshold: float) -> dict[str, float]:
        """Share of same-claim pairs found (top 5, above threshold), of unrelated and same-topic claims matching."""
        passed = scores >= threshold
        rank = np.argsort(np.argsort(-scores, axis=1, kind="stable"), axis=1)
        found = np.asarray((self.own & passed & (rank < TOP)).any(axis=1))
        matched = np.asarray(passed.any(axis=1))
        return {
            "found": _share(found, self.positive, queries),
            "unrelated": _share(matched, self.unrelated, queries),
            "same_topic": _share(matched, self.same_topic, queries),
        }


def _share(values: np.ndarray, wanted: np.ndarray, queries: np.ndarray) -> float:
    chosen = np.zeros(len(values), dtype=bool)
    chosen[queries] = True
    chosen &= wanted
    return float(values[chosen].mean()) if chosen.any() else float("nan")


def fit(cal: Calibration, queries: np.ndarray, columns: tuple[str, ...]) -> tuple[np.ndarray, float, float]:
    """Weights, bias and threshold fitted on these queries."""
    x, y = cal.training(queries, columns)
    model = LogisticRegression(C=PENALTY_C, max_iter=1000).fit(x, y)
    weights, bias = model.coef_[0], float(model.intercept_[0])
    scores = score(cal, columns, weights, bias)
    threshold = next(
        (float(t) for t in THRESHOLDS if cal.measure(scores, queries, t)["unrelated"] <= FALSE_MATCH_TARGET),
        float(THRESHOLDS[-1]),
    )
    return weights, bias, threshold


def score(cal: Calibration, columns: tuple[str, ...], weights: np.ndarray, bias: float) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-(cal.features(columns) @ weights + bias))))


def cross_validated(cal: Calibration, columns: tuple[str, ...]) -> dict[str, float]:
    totals: dict[str, list[float]] = {"found": [], "unrelated": [], "same_topic": []}
    everyone = np.arange(len(cal.kind))
    for repeat in range(REPEATS):
        order = np.random.default_rng(repeat).permutation(everyone)
        fold = np.empty(len(everyone), dtype=int)
        fold[order] = np.arange(len(everyone)) % FOLDS
        for k in range(FOLDS):
            train, test = everyone[fold != k], everyone[fold == k]
            weights, bias, threshold = fit(cal, train, columns)
            measured = cal.measure(score(cal, columns, weights, bias), test, threshold)
            for name, kind in (("found", cal.positive), ("unrelated", cal.unrelated), ("same_topic", cal.same_topic)):
                n = int(kind[test].sum())
                totals[name].extend([measured[name]] * n if n else [])
    return {name: float(np.mean(values)) for name, values in totals.items()}


def main() -> None:
    cal = Calibration(json.loads(CALIBRATION.read_text()))
    everyone = np.arange(len(cal.kind))
    print(
        f"calibration: {int(cal.positive.sum())} same-claim pairs, {int(cal.unrelated.sum())} unrelated, "
        f"{int(cal.same_topic.sum())} same topic; {NEGATIVES} negatives per unrelated claim"
    )
    own = cal.own & cal.positive[:, None]
    print(
        f"figures differ: same-claim pairs {cal.differ[own].mean():.0%}, "
        f"nearest {NEGATIVES} of unrelated claims {cal.differ[cal.unrelated][:, :NEGATIVES].mean():.0%}"
    )
    fitted = {}
    for columns in (("cosine",), ("cosine", "figures_differ")):
        weights, bias, threshold = fit(cal, everyone, columns)
        fitted[columns] = (weights, bias, threshold)
        whole = cal.measure(score(cal, columns, weights, bias), everyone, threshold)
        cv = cross_validated(cal, columns)
        rounded = np.round(weights, 2).tolist()
        print(f"\n{' + '.join(columns)}: weights {rounded}, bias {bias:.2f}, threshold {threshold:.2f}")
        for label, measured in (("whole set", whole), (f"cross-validated ({FOLDS}-fold x {REPEATS})", cv)):
            print(
                f"  {label}: same-claim pairs found {measured['found']:.1%}, unrelated matching "
                f"{measured['unrelated']:.1%}, same topic matching {measured['same_topic']:.1%}"
            )
    weights, bias, threshold = fitted[("cosine", "figures_differ")]
    shifted = bias + _logit(DEFAULT_THRESHOLD) - _logit(threshold)
    print("\nConstants for annotations/matching/ranking.py (the bias moves the threshold to DEFAULT_THRESHOLD):")
    print(f"MEANING_WEIGHT = {weights[0]:.2f}")
    print(f"FIGURES_DIFFER_WEIGHT = {weights[1]:.2f}")
    print(f"MEANING_BIAS = {shifted:.2f}")
    print(f"DEFAULT_THRESHOLD = {DEFAULT_THRESHOLD:.2f}  # fitted threshold {threshold:.2f}")


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


if __name__ == "__main__":
    main()
