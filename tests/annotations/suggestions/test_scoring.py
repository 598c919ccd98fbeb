"""Scores and reasons from the shipped weights (data, read without scikit-learn)."""

from __future__ import annotations

import subprocess
import sys

from annotations.suggestions import FEATURES, suggest
from annotations.suggestions.scoring import Weights, reasons, score, shipped_weights


def test_the_shipped_weights_cover_every_feature_and_name_their_version():
    weights = shipped_weights()
    assert set(weights.weights) == set(FEATURES)
    assert weights.version.startswith("base-")


def test_a_score_is_a_probability_and_reasons_are_the_features_that_raise_it():
    weights = Weights("t", intercept=-1.0, weights={"amount": 2.0, "opinion": -3.0, "date": 0.1})
    assert abs(score({}, weights) - 0.2689) < 1e-3
    assert score({"amount": 1.0}, weights) > 0.5 > score({"amount": 1.0, "opinion": 1.0}, weights)
    assert reasons({"amount": 1.0, "opinion": 1.0, "date": 1.0}, weights) == ["amount"]
    assert 0 < score({"amount": 1e6}, weights) <= 1 and 0 <= score({"opinion": 1e6}, weights) < 1


def test_figures_attributions_and_comparisons_outrank_colour_and_feelings():
    text = (
        "The sun was shining over the harbour. "
        "The port handled 12.4 million containers last year, 8% more than in 2022, the port authority said. "
        '"I am so proud of this team," the director said.'
    )
    ranked = suggest(text)
    assert text[ranked[0].start : ranked[0].end].startswith("The port handled 12.4 million containers")
    assert {"figure", "attribution"} <= set(ranked[0].reasons) and ranked[0].features["comparison"] > 0
    assert all(not text[c.start : c.end].startswith("The sun") for c in ranked)


def test_scoring_does_not_load_scikit_learn():
    code = (
        "import sys; from annotations.suggestions import suggest; suggest('Prices rose 5% in 2023.'); "
        "print('sklearn' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
