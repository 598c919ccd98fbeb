"""Marking and revising take turns on the article row: two people, each on their own database connection."""

import threading
from typing import Any

import pytest

from annotations.models import Article, ArticleRevision, Claim
from annotations.services.articles import ArticleConflict, article_revise
from annotations.services.claims import claim_create
from tests.annotations.services.test_workflow_concurrency import first_holds_its_transaction, run_in_thread
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Opposition members claimed that not one new bus was ordered in 2025."
REVISED = (
    "Editor's note: this story was updated.\n\nOpposition members claimed that not one new bus was ordered in 2025."
)


@pytest.fixture
def article(team: Any) -> Any:
    return ArticleFactory(team=team, source=TEXT, source_format="text")


def test_a_claim_marked_during_a_revision_lands_on_the_new_text(article, editor, reviewer):
    start = TEXT.index("not one new bus")
    locked = threading.Event()
    outcome: dict[str, Any] = {}
    revise = first_holds_its_transaction(
        lambda: article_revise(article=article, user=editor, source=REVISED, source_format="text", revision=1),
        locked,
    )
    first = run_in_thread(revise, outcome, "revise")
    assert locked.wait(10)
    second = run_in_thread(
        lambda: claim_create(
            article=article, user=reviewer, start=start, end=start + 15, exact="not one new bus", revision=1
        ),
        outcome,
        "mark",
    )
    first.join(20)
    second.join(20)
    assert isinstance(outcome["revise"], Article), outcome["revise"]
    assert isinstance(outcome["mark"], Claim), outcome["mark"]
    assert outcome["mark_done"] >= outcome["revise_done"]  # it waited for the revision's lock
    article.refresh_from_db()
    claim = Claim.objects.get(pk=outcome["mark"].pk)
    assert article.revision == 2 and claim.anchored_revision == 2
    assert article.text[claim.start : claim.end] == "not one new bus"


def test_a_claim_marked_before_a_revision_is_re_anchored_by_it(article, editor, reviewer):
    start = TEXT.index("not one new bus")
    locked = threading.Event()
    outcome: dict[str, Any] = {}
    mark = first_holds_its_transaction(
        lambda: claim_create(article=article, user=reviewer, start=start, end=start + 15, revision=1), locked
    )
    first = run_in_thread(mark, outcome, "mark")
    assert locked.wait(10)
    second = run_in_thread(
        lambda: article_revise(article=article, user=editor, source=REVISED, source_format="text", revision=1),
        outcome,
        "revise",
    )
    first.join(20)
    second.join(20)
    claim = Claim.objects.get(pk=outcome["mark"].pk)
    article.refresh_from_db()
    assert claim.anchored_revision == 2 and article.text[claim.start : claim.end] == "not one new bus"


def test_two_text_revisions_at_once_save_one_and_refuse_the_other(article, editor, team):
    from annotations.models import Role
    from tests.factories import MembershipFactory, UserFactory

    other = MembershipFactory(team=team, user=UserFactory(username="otto"), role=Role.EDITOR).user
    locked = threading.Event()
    outcome: dict[str, Any] = {}
    first = run_in_thread(
        first_holds_its_transaction(
            lambda: article_revise(
                article=article, user=editor, source="First editor's text.", source_format="text", revision=1
            ),
            locked,
        ),
        outcome,
        "first",
    )
    assert locked.wait(10)
    second = run_in_thread(
        lambda: article_revise(
            article=article, user=other, source="Second editor's text.", source_format="text", revision=1
        ),
        outcome,
        "second",
    )
    first.join(20)
    second.join(20)
    assert isinstance(outcome["first"], Article)
    assert isinstance(outcome["second"], ArticleConflict)
    change = outcome["second"].last_change
    assert change is not None and change["by"]["username"] == editor.username
    article.refresh_from_db()
    assert article.revision == 2 and article.text == "First editor's text."
    assert ArticleRevision.objects.filter(article=article).count() == 1
