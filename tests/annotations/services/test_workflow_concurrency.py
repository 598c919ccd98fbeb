"""Two people at once, each on their own database connection (one thread each, committed transactions)."""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from annotations.errors import Conflict
from annotations.models import AuditEvent, Claim, ClaimStatus, Role, Verdict
from annotations.services.workflow import ClaimConflict, claim_approve, claim_assign, claim_propose, claim_update
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, UserFactory, rating

pytestmark = pytest.mark.django_db(transaction=True)

HOLD_SECONDS = 0.5


def run_in_thread(work: Callable[[], Any], outcome: dict[str, Any], name: str) -> threading.Thread:
    """Run `work` on a thread, hence on its own database connection; record its result or error."""

    def target() -> None:
        try:
            outcome[name] = work()
        except Exception as exc:
            outcome[name] = exc
        finally:
            outcome[f"{name}_done"] = time.monotonic()
            connection.close()

    thread = threading.Thread(target=target, name=name)
    thread.start()
    return thread


def first_holds_its_transaction(work: Callable[[], Any], locked: threading.Event) -> Callable[[], Any]:
    """`work` in a transaction that stays open for HOLD_SECONDS after it ran, so the second must wait."""

    def held() -> Any:
        with transaction.atomic():
            result = work()
            locked.set()
            time.sleep(HOLD_SECONDS)
        return result

    return held


@pytest.fixture
def claim_in_review(team, reviewer, editor) -> Claim:
    claim: Any = ClaimFactory(article=ArticleFactory(team=team))
    claim = claim_assign(claim=claim, user=editor, assignee=reviewer)
    return claim_propose(claim=claim, user=reviewer, rating=rating(team, "False"), summary="No.")


def test_two_editors_approving_at_once_record_exactly_one_approval(team, editor, claim_in_review):
    second_editor = MembershipFactory(team=team, user=UserFactory(username="sam"), role=Role.EDITOR).user
    locked = threading.Event()
    outcome: dict[str, Any] = {}
    first = run_in_thread(
        first_holds_its_transaction(lambda: claim_approve(claim=claim_in_review, user=editor), locked),
        outcome,
        "first",
    )
    assert locked.wait(10)
    started = time.monotonic()
    second = run_in_thread(lambda: claim_approve(claim=claim_in_review, user=second_editor), outcome, "second")
    first.join(10)
    second.join(10)

    assert isinstance(outcome["first"], Claim) and outcome["first"].status == ClaimStatus.APPROVED
    assert isinstance(outcome["second"], Conflict) and not isinstance(outcome["second"], ClaimConflict)
    assert "approved" in outcome["second"].message
    # The second approval waited for the first one's row lock instead of reading a stale status.
    assert outcome["second_done"] >= outcome["first_done"] - 0.05
    assert outcome["second_done"] - started >= HOLD_SECONDS * 0.5
    verdict = Verdict.objects.get(claim=claim_in_review, is_current=True)
    assert verdict.approved_by == editor
    assert AuditEvent.objects.filter(claim=claim_in_review, action="claim.approve").count() == 1
    assert Claim.objects.get(pk=claim_in_review.pk).version == claim_in_review.version + 1


def test_two_concurrent_edits_the_second_gets_a_conflict_with_the_first_change(team, editor, reviewer, claim_in_review):
    read_version = claim_in_review.version  # both people loaded the claim at this version
    locked = threading.Event()
    outcome: dict[str, Any] = {}
    first = run_in_thread(
        first_holds_its_transaction(
            lambda: claim_update(claim=claim_in_review, user=editor, version=read_version, claimant="Mayor Okafor"),
            locked,
        ),
        outcome,
        "first",
    )
    assert locked.wait(10)
    second = run_in_thread(
        lambda: claim_update(claim=claim_in_review, user=reviewer, version=read_version, claimant="The council"),
        outcome,
        "second",
    )
    first.join(10)
    second.join(10)

    assert isinstance(outcome["first"], Claim) and outcome["first"].claimant == "Mayor Okafor"
    conflict = outcome["second"]
    assert isinstance(conflict, ClaimConflict)
    assert conflict.current.claimant == "Mayor Okafor" and conflict.current.version == read_version + 1
    assert conflict.last_change is not None
    assert conflict.last_change["by"]["username"] == editor.username
    assert conflict.last_change["before"] == {"claimant": ""}
    assert conflict.last_change["after"] == {"claimant": "Mayor Okafor"}
    assert Claim.objects.get(pk=claim_in_review.pk).claimant == "Mayor Okafor"
