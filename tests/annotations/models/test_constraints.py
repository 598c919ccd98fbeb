"""The invariants that live in the database hold even when code bypasses the services."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

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


# --- The published record (migration 0004): check constraints and triggers ---------------------------


def published(claim, summary="Published", **fields):
    now = timezone.now()
    return Verdict.objects.create(
        team=claim.team,
        claim=claim,
        rating=rating(claim.team, "False"),
        summary=summary,
        approved_at=now,
        published_at=now,
        **fields,
    )


def immediate():
    """Check the deferred "stays current" trigger now rather than at commit, which tests never reach."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS verdict_published_stays_current IMMEDIATE")


def test_a_published_verdict_cannot_just_stop_being_current():
    verdict = published(ClaimFactory())
    # Checked at commit: within the transaction the update goes through ...
    with pytest.raises(IntegrityError, match="stays current"), transaction.atomic():
        Verdict.objects.filter(pk=verdict.pk).update(is_current=False)
        immediate()  # ... and is refused when the check runs.
    immediate()
    with pytest.raises(IntegrityError, match="stays current"), transaction.atomic():
        Verdict.objects.filter(pk=verdict.pk).update(is_current=False)
    assert Verdict.objects.get(pk=verdict.pk).is_current


def test_a_draft_correction_does_not_let_it_stop_being_current():
    claim = ClaimFactory()
    verdict = published(claim)
    Verdict.objects.create(
        team=claim.team, claim=claim, rating=rating(claim.team, "True"), summary="Draft", is_current=False,
        corrects=verdict, correction_note="New data.",
    )  # fmt: skip
    immediate()
    with pytest.raises(IntegrityError, match="stays current"), transaction.atomic():
        Verdict.objects.filter(pk=verdict.pk).update(is_current=False)


def test_a_published_correction_or_a_retraction_lets_it_go():
    claim = ClaimFactory()
    verdict = published(claim)
    now = timezone.now()
    correction = Verdict.objects.create(
        team=claim.team, claim=claim, rating=rating(claim.team, "True"), summary="Corrected", is_current=False,
        corrects=verdict, correction_note="New data.", approved_at=now,
    )  # fmt: skip
    with transaction.atomic():
        # Any order within the transaction: the check runs at commit (here: when set immediate).
        Verdict.objects.filter(pk=verdict.pk).update(is_current=False)
        Verdict.objects.filter(pk=correction.pk).update(published_at=now, is_current=True)
        immediate()
    other = published(ClaimFactory())
    immediate()
    Verdict.objects.filter(pk=other.pk).update(is_current=False, retracted_at=now, retraction_note="Forged.")
    assert not Verdict.objects.get(pk=other.pk).is_current


def test_publication_and_retraction_cannot_be_undone_or_rewritten():
    claim = ClaimFactory()
    verdict = published(claim)
    for change in (
        {"published_at": None},
        {"published_at": timezone.now()},
        {"summary": "Rewritten"},
        {"rating": rating(claim.team, "True")},
        {"correction_note": "x"},
    ):
        with pytest.raises(IntegrityError, match="cannot be changed"), transaction.atomic():
            Verdict.objects.filter(pk=verdict.pk).update(**change)
    Verdict.objects.filter(pk=verdict.pk).update(is_current=False, retracted_at=timezone.now(), retraction_note="x")
    for change in ({"retracted_at": None}, {"retraction_note": "Other reason"}):
        with pytest.raises(IntegrityError, match="cannot be undone"), transaction.atomic():
            Verdict.objects.filter(pk=verdict.pk).update(**change)
    # Deleting the retracting user (ON DELETE SET NULL) still works.
    user = UserFactory()
    Verdict.objects.filter(pk=verdict.pk).update(retracted_by=user)
    user.delete()
    assert Verdict.objects.get(pk=verdict.pk).retracted_by is None


def test_a_retraction_needs_a_published_verdict_and_a_note_and_ends_its_currency():
    claim = ClaimFactory()
    draft = Verdict.objects.create(team=claim.team, claim=claim, rating=rating(claim.team, "True"), summary="Draft")
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.filter(pk=draft.pk).update(is_current=False, retracted_at=now, retraction_note="x")
    verdict = published(ClaimFactory())
    for values in ({"retraction_note": ""}, {"retraction_note": "x", "is_current": True}):
        with pytest.raises(IntegrityError, match="verdict_retraction_published_with_note"), transaction.atomic():
            Verdict.objects.filter(pk=verdict.pk).update(retracted_at=now, **{"is_current": False, **values})


def test_a_withdrawn_correction_is_never_published_and_stays_withdrawn():
    claim = ClaimFactory()
    verdict = published(claim)
    now = timezone.now()
    draft = Verdict.objects.create(
        team=claim.team, claim=claim, rating=rating(claim.team, "True"), summary="Draft", is_current=False,
        corrects=verdict, correction_note="New data.", approved_at=now, withdrawn_at=now,
    )  # fmt: skip
    with pytest.raises(IntegrityError, match="verdict_withdrawn_unpublished"), transaction.atomic():
        Verdict.objects.filter(pk=draft.pk).update(published_at=now)
    with pytest.raises(IntegrityError, match="stays withdrawn"), transaction.atomic():
        Verdict.objects.filter(pk=draft.pk).update(withdrawn_at=None)


def test_one_pending_correction_per_claim_and_one_published_correction_per_verdict():
    claim = ClaimFactory()
    verdict = published(claim)
    now = timezone.now()
    fields = {"team": claim.team, "claim": claim, "rating": rating(claim.team, "True"), "is_current": False}
    Verdict.objects.create(summary="First", corrects=verdict, correction_note="a", **fields)
    with pytest.raises(IntegrityError, match="verdict_one_pending_correction_per_claim"), transaction.atomic():
        Verdict.objects.create(summary="Second", corrects=verdict, correction_note="b", **fields)
    Verdict.objects.create(summary="Withdrawn", corrects=verdict, correction_note="c", withdrawn_at=now, **fields)
    Verdict.objects.filter(summary="First").update(approved_at=now, published_at=now)
    with pytest.raises(IntegrityError, match="verdict_corrected_once"), transaction.atomic():
        Verdict.objects.create(
            summary="Again", corrects=verdict, correction_note="d", approved_at=now, published_at=now, **fields
        )


def test_the_new_claim_statuses_are_valid():
    claim = ClaimFactory()
    for status in ("correction_in_review", "correction_approved", "retracted"):
        Claim.objects.filter(pk=claim.pk).update(status=status)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status="corrected")
