import pytest

from annotations.errors import InvalidInput
from annotations.models import AuditEvent, Verdict
from annotations.services.verdicts import verdict_propose
from tests.factories import ClaimFactory, TeamFactory, rating

pytestmark = pytest.mark.django_db


def test_a_new_verdict_supersedes_the_old_one_which_stays_in_history():
    claim = ClaimFactory()
    first = verdict_propose(claim=claim, user=None, rating=rating(claim.team, "False"), summary="No.")
    second = verdict_propose(claim=claim, user=None, rating=rating(claim.team, "Half true"), summary="Partly.")
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert Verdict.objects.filter(claim=claim).count() == 2
    event = AuditEvent.objects.filter(action="verdict.propose", target_id=second.pk).get()
    assert event.before == {"rating": "False"} and event.after["rating"] == "Half true"


def test_a_rating_from_another_teams_scale_is_refused():
    claim = ClaimFactory()
    other = TeamFactory()
    with pytest.raises(InvalidInput) as info:
        verdict_propose(claim=claim, user=None, rating=rating(other, "True"), summary="Yes.")
    assert info.value.field == "rating"
