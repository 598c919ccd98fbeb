"""The invariants that live in the database hold even when code bypasses the services."""

import pytest
from django.db import IntegrityError, transaction

from annotations.models import AnchorOutcome, Claim, Membership, Verdict
from tests.factories import ArticleFactory, ClaimFactory, UserFactory, rating

pytestmark = pytest.mark.django_db


def test_claim_span_must_be_ordered():
    claim = ClaimFactory()
    for start, end in [(5, 5), (9, 3)]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Claim.objects.filter(pk=claim.pk).update(start=start, end=end)


def test_orphan_has_no_position_and_anchored_claim_has_one():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(anchor_outcome=AnchorOutcome.ORPHAN)
    Claim.objects.filter(pk=claim.pk).update(anchor_outcome=AnchorOutcome.ORPHAN, start=None, end=None)
    assert Claim.objects.get(pk=claim.pk).start is None


def test_not_check_worthy_needs_a_reason():
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status="not_check_worthy")


def test_at_most_one_current_verdict_per_claim():
    claim = ClaimFactory()
    true = rating(claim.team, "True")
    Verdict.objects.create(team=claim.team, claim=claim, rating=true, summary="First")
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(team=claim.team, claim=claim, rating=true, summary="Second")
    Verdict.objects.create(team=claim.team, claim=claim, rating=true, summary="Old", is_current=False)
    assert Verdict.objects.filter(claim=claim).count() == 2


def test_membership_is_unique_per_user_and_team():
    article = ArticleFactory()
    user = UserFactory()
    Membership.objects.create(team=article.team, user=user, role="reviewer")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(team=article.team, user=user, role="editor")


def test_membership_role_is_checked():
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(team=article.team, user=UserFactory(), role="owner")
