"""Two reviewers deciding the same suggestion at once, each on their own database connection."""

import threading
from typing import Any

import pytest

from annotations.errors import Conflict
from annotations.models import Claim, Suggestion, SuggestionStatus
from annotations.services.suggestions import suggestion_accept, suggestion_dismiss
from tests.annotations.services.test_suggestions import STORY, suggested
from tests.annotations.services.test_workflow_concurrency import first_holds_its_transaction, run_in_thread
from tests.factories import ArticleFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_one_accepts_while_another_dismisses_exactly_one_decision_counts(team: Any, reviewer: Any):
    colleague = MembershipFactory(team=team, user=UserFactory(username="nico")).user
    article = ArticleFactory(team=team, source=STORY, source_format="text")
    suggestion = suggested(article)[0]
    locked = threading.Event()
    outcome: dict[str, Any] = {}

    first = run_in_thread(
        first_holds_its_transaction(lambda: suggestion_accept(suggestion=suggestion, user=reviewer), locked),
        outcome,
        "first",
    )
    assert locked.wait(10)
    second = run_in_thread(lambda: suggestion_dismiss(suggestion=suggestion, user=colleague), outcome, "second")
    first.join(10)
    second.join(10)

    assert isinstance(outcome["first"], Claim)
    assert isinstance(outcome["second"], Conflict) and "accepted" in outcome["second"].message
    decided = Suggestion.objects.get(pk=suggestion.pk)
    assert decided.status == SuggestionStatus.ACCEPTED and decided.claim_id == outcome["first"].pk
    assert Claim.objects.filter(article=article).count() == 1
