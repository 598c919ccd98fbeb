"""Setting and clearing many claims' due dates at once (annotations.services.workflow.deadlines)."""

import datetime

import pytest
from django.utils import timezone

from annotations.errors import InvalidInput, NotAllowed
from annotations.models import AuditEvent, Claim, ClaimStatus
from annotations.services.workflow import claim_update, claims_bulk_set_due
from tests.factories import ArticleFactory, ClaimFactory, publish_claim

pytestmark = pytest.mark.django_db

DUE = datetime.datetime(2031, 5, 6, 17, 30, tzinfo=datetime.UTC)


def test_sets_the_due_date_of_every_selected_claim_once_audited(team, editor):
    claims = [ClaimFactory(article=ArticleFactory(team=team)) for _ in range(3)]
    result = claims_bulk_set_due(
        team=team, claim_ids=[c.pk for c in claims[:2]], versions={c.pk: 1 for c in claims[:2]}, due_at=DUE, user=editor
    )
    assert sorted(result.updated) == sorted(c.pk for c in claims[:2]) and not result.skipped and not result.changed
    rows = {c.pk: c for c in Claim.objects.filter(team=team)}
    assert rows[claims[0].pk].due_at == DUE and rows[claims[0].pk].version == 2
    assert rows[claims[2].pk].due_at is None and rows[claims[2].pk].version == 1
    events = AuditEvent.objects.filter(action="claim.update", team=team)
    assert events.count() == 2
    event = events.first()
    assert event.actor == editor and event.after["bulk"] is True and event.before == {"due_at": None}
    assert event.after["due_at"].startswith("2031-05-06 17:30")


def test_clearing_and_setting_the_same_date_again_writes_only_what_changes(team, editor):
    claim = ClaimFactory(article=ArticleFactory(team=team))
    claims_bulk_set_due(team=team, claim_ids=[claim.pk], due_at=DUE, user=editor)
    again = claims_bulk_set_due(team=team, claim_ids=[claim.pk], due_at=DUE, user=editor)
    assert again.updated == [claim.pk]
    assert Claim.objects.get(pk=claim.pk).version == 2  # nothing changed the second time
    claims_bulk_set_due(team=team, claim_ids=[claim.pk], due_at=None, user=editor)
    claim.refresh_from_db()
    assert claim.due_at is None and claim.version == 3
    assert AuditEvent.objects.filter(action="claim.update", claim=claim).count() == 2


def test_published_claims_are_skipped_and_stale_versions_left_alone(team, editor, reviewer):
    published = publish_claim(ClaimFactory(article=ArticleFactory(team=team)), reviewer=reviewer, editor=editor)
    stale = ClaimFactory(article=ArticleFactory(team=team))
    claim_update(claim=stale, user=editor, version=1, claimant="Mayor")
    fresh = ClaimFactory(article=ArticleFactory(team=team))
    result = claims_bulk_set_due(
        team=team,
        claim_ids=[published.pk, stale.pk, fresh.pk],
        versions={published.pk: Claim.objects.get(pk=published.pk).version, stale.pk: 1, fresh.pk: 1},
        due_at=DUE,
        user=editor,
    )
    assert result.skipped == [published.pk] and result.changed == [stale.pk] and result.updated == [fresh.pk]
    assert Claim.objects.get(pk=published.pk).status == ClaimStatus.PUBLISHED
    assert Claim.objects.get(pk=stale.pk).due_at is None


def test_reviewers_may_not_and_other_teams_claims_are_refused_as_a_whole(team, editor, reviewer, outsider):
    own = ClaimFactory(article=ArticleFactory(team=team))
    theirs = ClaimFactory(article=ArticleFactory(team=outsider.memberships.get().team))
    with pytest.raises(NotAllowed):
        claims_bulk_set_due(team=team, claim_ids=[own.pk], due_at=DUE, user=reviewer)
    with pytest.raises(InvalidInput) as refused:
        claims_bulk_set_due(team=team, claim_ids=[own.pk, theirs.pk], due_at=DUE, user=editor)
    assert refused.value.field == "claim_ids"
    with pytest.raises(NotAllowed):  # an admin of another team is no editor here
        claims_bulk_set_due(team=team, claim_ids=[own.pk], due_at=DUE, user=outsider)
    assert not Claim.objects.filter(due_at__isnull=False).exists()


@pytest.mark.parametrize("bad", [datetime.datetime(2031, 5, 6, 17, 30), "2031-05-06", 5])
def test_a_due_date_without_time_zone_or_not_a_date_is_refused(team, editor, bad):
    claim = ClaimFactory(article=ArticleFactory(team=team))
    with pytest.raises(InvalidInput) as refused:
        claims_bulk_set_due(team=team, claim_ids=[claim.pk], due_at=bad, user=editor)
    assert refused.value.field == "due_at"


def test_an_empty_or_huge_selection_is_refused(team, editor):
    with pytest.raises(InvalidInput):
        claims_bulk_set_due(team=team, claim_ids=[], due_at=timezone.now(), user=editor)
    with pytest.raises(InvalidInput):
        claims_bulk_set_due(team=team, claim_ids=range(1, 502), due_at=timezone.now(), user=editor)
