"""How alike two claims are, from what they mean and how they are worded: one score from 0 to 1.

Three signals are measured for every candidate:

- `meaning`: the cosine of the two claims' sentence vectors (annotations.matching.embeddings), which
  holds across languages and rewordings;
- `figures_differ`: both claims state figures and share none (annotations.matching.figures). Sentence
  vectors score claims built on the same template high ("life expectancy in China reached 78.6
  years", "life expectancy in Chile is above 80 years"), whatever the place and the figure; figures
  are written in digits in every language, so they tell such claims apart across languages too;
- `wording`: pg_trgm's trigram similarity of the two quotes, which catches a claim repeated nearly
  word for word even before its vector is computed.

The meaning and the figures are combined by a logistic model fitted on a labelled calibration set
that ships with the package (calibration.json: translations, paraphrases, unrelated claims and claims
on the same topic), searched the way the workbench searches (`python bench/fit_similarity.py` fits it
again, cross-validates it and prints the constants below). Its threshold is the lowest at which at
most 5% of the unrelated claims of the calibration set find a match (the false-match target), and the
fitted log-odds are shifted so that this threshold is DEFAULT_THRESHOLD, the default a team's setting
was created with. Wording is not fitted: a trigram similarity of 0.6 or more (pg_trgm's own default for
word similarity) means the quotes are nearly the same text, whatever they mean, and scores as such.
The score is the larger of the two, so more alike in wording never scores lower.
Because one model scores every pair, one threshold means the same thing in every language.
Claims on the same topic but not the same claim ("unemployment rose" for "unemployment fell") mostly
pass it: sentence vectors place them side by side, and the reviewer tells them apart at a glance.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

# Fitted by bench/fit_similarity.py on annotations/matching/calibration.json.
MEANING_WEIGHT = 12.09
FIGURES_DIFFER_WEIGHT = -3.65
MEANING_BIAS = -6.49
DEFAULT_THRESHOLD = 0.47
"""A new team's threshold (migration 0010 stores it as the column's default): the fitted threshold,
moved here by MEANING_BIAS (bench/fit_similarity.py)."""
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
    figures_differ: bool = False

    @property
    def matched_by(self) -> list[str]:
        """What made it a match: the meaning, the wording, or both."""
        reasons = []
        by_meaning = match_score(meaning=self.meaning, wording=0.0, figures_differ=self.figures_differ)
        if self.meaning is not None and by_meaning >= SIGNAL_LEVEL:
            reasons.append(MEANING)
        if match_score(meaning=None, wording=self.wording) >= SIGNAL_LEVEL:
            reasons.append(WORDING)
        return reasons or [MEANING if self.meaning is not None else WORDING]


def match_score(*, meaning: float | None, wording: float, figures_differ: bool = False) -> float:
    """How likely, 0 to 1, a candidate with these signals is the same claim."""
    by_wording = _logistic(WORDING_WEIGHT * (_unit(wording) - WORDING_MIDPOINT))
    if meaning is None:
        return by_wording
    by_meaning = _logistic(MEANING_WEIGHT * _unit(meaning) + FIGURES_DIFFER_WEIGHT * figures_differ + MEANING_BIAS)
    return max(by_meaning, by_wording)


Signals = tuple[float | None, float, bool]
"""A candidate's meaning (None without both vectors), wording, and whether the two state different figures."""


def ranked(signals: Mapping[int, Signals], *, threshold: float, limit: int) -> list[Match]:
    """The candidates scoring at least `threshold`, best first (ties: the earlier key first), at most `limit`."""
    matches = [
        Match(
            key,
            meaning,
            wording,
            round(match_score(meaning=meaning, wording=wording, figures_differ=differ), 4),
            differ,
        )
        for key, (meaning, wording, differ) in signals.items()
    ]
    kept = [m for m in matches if m.score >= threshold]
    kept.sort(key=lambda m: (-m.score, m.key))
    return kept[:limit]


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def _unit(value: float) -> float:
    return min(1.0, max(0.0, float(value)))
