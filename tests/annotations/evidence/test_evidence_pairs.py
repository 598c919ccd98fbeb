"""The evidence check on a corpus of claim/report pairs (tests/fixtures/evidence_pairs.json): the
misses and false hits seen in use and their kin, in several languages, each with whether the item
must be found and, when it must, the passage of the report it must point at.

Recall is the share of items that must be found that are found at their passage; a false hit is an
item found that must not be.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotations.evidence import EvidenceItem, find_evidence

PAIRS = json.loads((Path(__file__).parents[2] / "fixtures" / "evidence_pairs.json").read_text())
RECALL_AT_LEAST = 0.95
FALSE_HITS_AT_MOST = 0.02


def _item(case: dict[str, Any]) -> EvidenceItem | None:
    items = find_evidence(
        text=case["report"], quote=case["quote"], restated=case["restated"], language=case["language"]
    )
    if case["kind"] == "quote":
        return next((i for i in items if i.kind == "quote"), None)
    shown = case["target"] if case["kind"] == "figure" else f"\u201c{case['target']}\u201d"
    return next((i for i in items if i.kind == case["kind"] and i.label.startswith(f"{shown} \u2014 ")), None)


def _at_its_passage(case: dict[str, Any], item: EvidenceItem | None) -> bool:
    return item is not None and item.found and case["report"][item.start : item.end] == case["at"]


def test_the_corpus_is_large_and_varied() -> None:
    assert len(PAIRS) >= 80
    assert len({case["language"] for case in PAIRS}) >= 5
    assert 30 <= sum(case["found"] for case in PAIRS) <= len(PAIRS) - 30


def test_recall_and_false_hits_meet_their_targets() -> None:
    must_find = [case for case in PAIRS if case["found"]]
    must_not = [case for case in PAIRS if not case["found"]]
    missed = [case["name"] for case in must_find if not _at_its_passage(case, _item(case))]
    false_hits = [case["name"] for case in must_not if (item := _item(case)) is not None and item.found]
    recall = 1 - len(missed) / len(must_find)
    false_rate = len(false_hits) / len(must_not)
    assert recall >= RECALL_AT_LEAST, missed
    assert false_rate <= FALSE_HITS_AT_MOST, false_hits


@pytest.mark.parametrize("case", PAIRS, ids=[case["name"] for case in PAIRS])
def test_each_pair(case: dict[str, Any]) -> None:
    item = _item(case)
    if case["found"]:
        assert _at_its_passage(case, item), item
    else:
        assert item is None or not item.found, item
