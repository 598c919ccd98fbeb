"""Fit the match score of "Already checked?" (annotations/matching/ranking.py) on its calibration set.

    .venv/bin/python bench/fit_similarity.py

The calibration set (annotations/matching/calibration.json) holds pairs that are the same claim
(translations, paraphrases) and pairs that are not (`unrelated`, or `same_topic`: the same subject
but another figure, direction, place or time). It is used the way the search meets claims: every
first claim (`a`) goes into one corpus, and each second claim (`b`) is searched against all of it.

- A same-claim pair gives a positive: the cosine of `b` to its own `a`.
- An unrelated `b` gives a negative: its best cosine to anything in the corpus, since a false match
  is the best of many unrelated claims, not any one of them.

A logistic regression (scikit-learn) of the cosine on those is the score; the default threshold is
the one that best separates them (Youden's J: the share of same-claim pairs kept minus the share
of unrelated claims let through, in hundredths). Claims on the same
topic are reported, not fitted: sentence vectors place "unemployment rose" next to "unemployment
fell", and a reviewer tells them apart at a glance.

The calibration set is separate from the evaluation set (tests/fixtures/similar_claims.json) that
the tests measure recall and false matches on, so the targets are not met by fitting to them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from annotations.matching.embeddings import embed  # noqa: E402
from annotations.matching.ranking import match_score  # noqa: E402

CALIBRATION = ROOT / "annotations" / "matching" / "calibration.json"


def main() -> None:
    data = json.loads(CALIBRATION.read_text())
    matches, others = data["matches"], data["non_matches"]
    corpus = np.asarray(embed([m["a"] for m in matches] + [n["a"] for n in others]))
    same_b = np.asarray(embed([m["b"] for m in matches]))
    other_b = np.asarray(embed([n["b"] for n in others]))
    positive = np.einsum("ij,ij->i", same_b, corpus[: len(matches)])
    best_other = (other_b @ corpus.T).max(axis=1)
    unrelated = np.asarray([n["kind"] == "unrelated" for n in others])
    negative, same_topic = best_other[unrelated], best_other[~unrelated]

    x = np.concatenate([positive, negative])[:, None]
    y = np.concatenate([np.ones(len(positive)), np.zeros(len(negative))])
    # A weak L2 penalty (C=10): the set is small, and unbounded weights would make the score a step.
    fitted = LogisticRegression(C=10.0).fit(x, y)
    weight, bias = fitted.coef_[0][0], fitted.intercept_[0]

    def score(cosine: np.ndarray) -> np.ndarray:
        return np.asarray(1.0 / (1.0 + np.exp(-(weight * cosine + bias))))

    # Youden's J: the threshold that best separates the two, counting a missed match and a false
    # one alike (the share of same-claim pairs kept minus the share of unrelated claims let through).
    candidates = np.arange(0.01, 1.0, 0.01)
    kept = [(score(positive) >= t).mean() - (score(negative) >= t).mean() for t in candidates]
    threshold = float(round(candidates[int(np.argmax(kept))], 2))
    print(f"calibration: {len(positive)} same-claim pairs, {len(negative)} unrelated, {len(same_topic)} same topic")
    print(f"cosine medians: same claim {np.median(positive):.3f}, best unrelated {np.median(negative):.3f}")
    print("\nConstants for annotations/matching/ranking.py:")
    print(f"MEANING_WEIGHT = {weight:.2f}")
    print(f"MEANING_BIAS = {bias:.2f}")
    print(f"DEFAULT_THRESHOLD = {threshold:.2f}")
    print("\nWith those, on the calibration set:")
    for name, values, hits in (
        ("same-claim pairs pass", positive, True),
        ("unrelated claims pass", negative, False),
        ("same-topic claims pass", same_topic, False),
    ):
        print(f"  {name}: {np.mean(score(values) >= threshold):.0%}" + ("" if hits else " (false matches)"))
    now = np.asarray([match_score(meaning=float(c), wording=0.0) for c in positive])
    print(f"\nThe constants now in ranking.py give same-claim pairs a median score of {np.median(now):.2f}.")


if __name__ == "__main__":
    main()
