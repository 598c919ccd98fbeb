"""Two imports of the same review at once, each on its own database connection (committed transactions)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from annotations.models import ExternalReview
from annotations.services.external_reviews import ImportOutcome, external_reviews_import
from tests.annotations.published_reviews import claim_review
from tests.annotations.services.test_workflow_concurrency import first_holds_its_transaction, run_in_thread
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_connections_importing_the_same_url_at_once_make_one_review(team: Any, editor: Any) -> None:
    second_editor = MembershipFactory(team=team, user=UserFactory(username="sam"), role="editor").user
    locked = threading.Event()
    outcome: dict[str, Any] = {}
    document = [claim_review(1), claim_review(2)]
    first = run_in_thread(
        first_holds_its_transaction(lambda: external_reviews_import(team=team, user=editor, document=document), locked),
        outcome,
        "first",
    )
    assert locked.wait(10)
    changed = [claim_review(1, reviewRating={"alternateName": "Engañoso"}), claim_review(2)]
    second = run_in_thread(
        lambda: external_reviews_import(team=team, user=second_editor, document=changed), outcome, "second"
    )
    first.join(10)
    second.join(10)

    assert isinstance(outcome["first"], ImportOutcome), outcome["first"]
    assert isinstance(outcome["second"], ImportOutcome), outcome["second"]
    # The second waited for the team's import lock, then found both reviews: no duplicate, no error.
    assert (outcome["first"].created, outcome["second"].created) == (2, 0)
    assert (outcome["second"].updated, outcome["second"].unchanged) == (1, 1)
    reviews = ExternalReview.objects.filter(team=team).order_by("url")
    assert [r.rating_text for r in reviews] == ["Engañoso", "Falso"]
