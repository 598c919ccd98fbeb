"""A logistic regression over the span features: score = 1 / (1 + e^-(intercept + Σ weight × feature)).

The weights are data (`data/weights.json` for the shipped model, a team's own after a refit), read
here without scikit-learn, which only the fitting needs.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from annotations.suggestions.features import FEATURES, REASONS

REASON_MIN_CONTRIBUTION = 0.25
"""A feature is named as a reason when it adds at least this much to the log-odds."""


@dataclass(frozen=True)
class Weights:
    """A fitted model: its version (shown with every suggestion it scored), intercept and weights."""

    version: str
    intercept: float
    weights: Mapping[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "intercept": self.intercept, "weights": dict(self.weights)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Weights:
        weights = {name: float(data["weights"].get(name, 0.0)) for name in FEATURES}
        return cls(version=str(data["version"]), intercept=float(data["intercept"]), weights=weights)


@functools.cache
def shipped_weights() -> Weights:
    """The starting model, fitted on the shipped labelled set (annotations/suggestions/fitting.py)."""
    data = json.loads(resources.files("annotations.suggestions").joinpath("data/weights.json").read_text("utf-8"))
    return Weights.from_json(data)


def logit(features: Mapping[str, float], weights: Weights) -> float:
    return weights.intercept + sum(weights.weights.get(name, 0.0) * value for name, value in features.items())


def score(features: Mapping[str, float], weights: Weights) -> float:
    """The probability that a desk marks the span, 0–1."""
    z = logit(features, weights)
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def reasons(features: Mapping[str, float], weights: Weights) -> list[str]:
    """The reasons behind a score: the features that raise it most, strongest first, each named once."""
    contributions: dict[str, float] = {}
    for name, value in features.items():
        reason = REASONS.get(name)
        if reason is None:
            continue
        contribution = weights.weights.get(name, 0.0) * value
        if contribution >= REASON_MIN_CONTRIBUTION:
            contributions[reason] = max(contributions.get(reason, 0.0), contribution)
    return sorted(contributions, key=lambda r: -contributions[r])
