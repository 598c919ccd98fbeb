"""Recall and false matches of "Already checked?" on the labelled multilingual set, through the real search.

The set is tests/fixtures/similar_claims.json (pairs of an earlier claim and a new wording of it, in
14 languages, and unrelated claims, some on the same topic as an earlier claim). The score's
constants and the default threshold were fitted on a different set (annotations/matching/calibration.json).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from annotations.models import Claim, Team
from annotations.selectors.similar import similar_to_claim
from annotations.services.embeddings import claim_embed
from tests.factories import ArticleFactory, ClaimFactory

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "similar_claims.json"
TOP = 5


@dataclass
class Quality:
    found: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    """By the new wording's language: whether the earlier claim was among the top 5 above the threshold."""
    by_kind: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    false_match: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    """By "unrelated" / "same topic": whether anything passed the threshold for the claim."""

    @staticmethod
    def rate(values: list[bool]) -> float:
        return sum(values) / len(values)

    def recall(self) -> float:
        return self.rate([hit for hits in self.found.values() for hit in hits])


def make_claim(team: Team, text: str, language: str = "en", *, embedded: bool = True) -> Claim:
    """A claim quoting the whole of a one-sentence article in `language`, its vector computed (unless not)."""
    claim = ClaimFactory.create(
        article=ArticleFactory(team=team, source=text, source_format="text", language=language), exact=text
    )
    if embedded:
        claim_embed(claim_id=claim.pk)
    return claim


def evaluate(team: Team) -> Quality:
    data = json.loads(FIXTURE.read_text())
    quality = Quality()
    earlier = {pair["id"]: make_claim(team, pair["earlier"], pair["earlier_language"]) for pair in data["pairs"]}
    for item in data["unrelated"]:
        claim = make_claim(team, item["text"], item["language"])
        found = similar_to_claim(claim=claim, limit=TOP)
        kind = "same topic" if item["id"].startswith("u-hard") else "unrelated"
        quality.false_match[kind].append(bool(found.claims))
    for pair in data["pairs"]:
        claim = make_claim(team, pair["new"], pair["language"])
        found = similar_to_claim(claim=claim, limit=TOP)
        hit = earlier[pair["id"]].pk in [match.key for match in found.claims]
        quality.found[pair["language"]].append(hit)
        quality.by_kind[pair["kind"]].append(hit)
        claim.delete()
    return quality
