"""How alike two claims are, from what they mean and how they are worded: one score from 0 to 1.

Two signals are measured for every candidate:

- `meaning`: the cosine of the two claims' sentence vectors (annotations.matching.embeddings), which
  holds across languages and rewordings;
- `wording`: pg_trgm's trigram similarity of the two quotes, which catches a claim repeated nearly
  word for word even before its vector is computed, and names and figures the vectors blur.

The meaning is turned into a probability that the candidate is the same claim by a logistic model
fitted on a labelled calibration set that ships with the package (calibration.json: translations,
paraphrases, unrelated claims and claims on the same topic), searched the way the workbench searches
(`python bench/fit_similarity.py` fits it again and prints the constants below). Wording is not
fitted: a trigram similarity of 0.6 or more (pg_trgm's own default for word similarity) means the
quotes are nearly the same text, whatever they mean, and scores as such. The score is the larger of
the two, so more alike in either way never scores lower.
Because the score is a probability, one threshold means the same thing in every language. A new
team's threshold, DEFAULT_THRESHOLD, is the one that best separates same-claim pairs from unrelated
claims on the calibration set (Youden's J: as much weight on a missed match as on a false one).
Claims on the same
topic but not the same claim ("unemployment rose" for "unemployment fell") mostly pass it: sentence
vectors place them side by side, and the reviewer tells them apart at a glance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

# Fitted by bench/fit_similarity.py on annotations/matching/calibration.json.
MEANING_WEIGHT = 9.48
MEANING_BIAS = -5.15
DEFAULT_THRESHOLD = 0.47
"""A new team's threshold: the one that best separates the calibration set (bench/fit_similarity.py)."""
# Wording: 0.5 at a trigram similarity of 0.6, 0.92 at 0.8, 0.99 at 1.0.
WORDING_WEIGHT = 12.0
WORDING_MIDPOINT = 0.6

MEANING = "meaning"
WORDING = "wording"
SIGNAL_LEVEL = 0.5
"""A signal whose own score is at least this is named among the reasons for a match (`matched_by`)."""


@dataclass(frozen=True)
class Match:
    """One candidate with its two signals (meaning is None when either vector is missing) and its score."""

    key: int
    meaning: float | None
    wording: float
    score: float

    @property
    def matched_by(self) -> list[str]:
        """What made it a match: the meaning, the wording, or both."""
        reasons = []
        if self.meaning is not None and match_score(meaning=self.meaning, wording=0.0) >= SIGNAL_LEVEL:
            reasons.append(MEANING)
        if match_score(meaning=None, wording=self.wording) >= SIGNAL_LEVEL:
            reasons.append(WORDING)
        return reasons or [MEANING if self.meaning is not None else WORDING]


def match_score(*, meaning: float | None, wording: float) -> float:
    """The probability, 0 to 1, that a candidate with these signals is the same claim."""
    by_wording = _logistic(WORDING_WEIGHT * (_unit(wording) - WORDING_MIDPOINT))
    if meaning is None:
        return by_wording
    return max(_logistic(MEANING_WEIGHT * _unit(meaning) + MEANING_BIAS), by_wording)


Signals = tuple[float | None, float]
"""A candidate's meaning (None without both vectors) and wording."""


def ranked(signals: Mapping[int, Signals], *, threshold: float, limit: int) -> list[Match]:
    """The candidates scoring at least `threshold`, best first (ties: the earlier key first), at most `limit`."""
    matches = [
        Match(key, meaning, wording, round(match_score(meaning=meaning, wording=wording), 4))
        for key, (meaning, wording) in signals.items()
    ]
    kept = [m for m in matches if m.score >= threshold]
    kept.sort(key=lambda m: (-m.score, m.key))
    return kept[:limit]


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _unit(value: float) -> float:
    return min(1.0, max(0.0, float(value)))
