"""A claim's place in document order is kept by the database, whichever way the claim is written."""

from __future__ import annotations

import pytest

from annotations.models import Claim
from annotations.models.claims import ORPHAN_POSITION
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def _order(claim_id: int) -> int:
    return Claim.objects.values_list("document_order", flat=True).get(pk=claim_id)


def test_document_order_follows_every_write() -> None:
    article = ArticleFactory()
    claim = ClaimFactory(article=article)
    assert claim.document_order == claim.start == _order(claim.pk)
    Claim.objects.filter(pk=claim.pk).update(start=None, end=None, anchor_outcome="orphan")
    assert _order(claim.pk) == ORPHAN_POSITION
    fresh = Claim.objects.get(pk=claim.pk)
    fresh.start, fresh.end, fresh.anchor_outcome = 3, 8, "moved"
    fresh.save()
    assert _order(claim.pk) == 3
    [placed, orphan] = Claim.objects.bulk_create(
        [
            Claim(team=article.team, article=article, exact="x", start=12, end=13),
            Claim(team=article.team, article=article, exact="y", anchor_outcome="orphan"),
        ]
    )
    assert (_order(placed.pk), _order(orphan.pk)) == (12, ORPHAN_POSITION)
    assert list(Claim.objects.filter(article=article).values_list("pk", flat=True)) == [
        claim.pk, placed.pk, orphan.pk
    ]  # fmt: skip
