import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotations.errors import InvalidInput
from annotations.models import AnchorOutcome, Claim, ClaimStatus, Role
from annotations.selectors.queues import (
    QUEUES,
    QueueFilters,
    claims_for_queue,
    dashboard_work,
    queue_counts,
    queue_page,
)
from annotations.services.articles import article_revise
from annotations.services.workflow import (
    claim_approve,
    claim_assign,
    claim_propose,
    claim_propose_correction,
    claim_publish,
    claim_retract,
)
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, TeamFactory, UserFactory, rating

pytestmark = pytest.mark.django_db
S = ClaimStatus


@pytest.fixture
def chief(team):
    return MembershipFactory(team=team, user=UserFactory(username="sam"), role=Role.EDITOR).user


def claims(team, n, **values):
    article = ArticleFactory(team=team)
    made = [ClaimFactory(article=article) for _ in range(n)]
    if values:
        Claim.objects.filter(pk__in=[c.pk for c in made]).update(**values)
    return [Claim.objects.get(pk=c.pk) for c in made]


def test_each_queue_holds_the_right_claims_and_the_counts_agree(team, reviewer, editor, chief):
    now = timezone.now()
    new = claims(team, 2)
    mine = claims(team, 3, assignee=reviewer, status=S.IN_RESEARCH, due_at=now + datetime.timedelta(days=10))
    review = claims(team, 1, assignee=reviewer, status=S.IN_REVIEW)
    changes = claims(team, 1, assignee=reviewer, status=S.CHANGES_REQUESTED)
    overdue = claims(team, 1, assignee=editor, status=S.IN_RESEARCH, due_at=now - datetime.timedelta(hours=1))
    soon = claims(team, 1, status=S.NEW, due_at=now + datetime.timedelta(hours=20))
    published = claims(team, 2, status=S.PUBLISHED, due_at=now - datetime.timedelta(days=3))
    claims(TeamFactory(), 4)  # another team's claims never show

    expected = {
        "mine": {c.pk for c in mine + changes},
        "unassigned": {c.pk for c in new + soon},
        "needs_review": {c.pk for c in review},
        "changes_requested": {c.pk for c in changes},
        "due": {c.pk for c in overdue + soon},
        "published": {c.pk for c in published},
        "needs_attention": set(),
    }
    assert set(expected) == set(QUEUES)
    for queue, ids in expected.items():
        rows, cursor = claims_for_queue(team=team, user=reviewer, queue=queue)
        assert {c.pk for c in rows} == ids, queue
        assert cursor is None
    counts = queue_counts(team=team, user=reviewer)
    assert counts == {**{q: len(ids) for q, ids in expected.items()}, "overdue": 1}


def test_counts_come_in_one_query_and_a_page_in_a_fixed_number(team, reviewer, django_assert_num_queries):
    claims(team, 3, assignee=reviewer, status=S.IN_RESEARCH)
    with django_assert_num_queries(1):
        queue_counts(team=team, user=reviewer)
    with CaptureQueriesContext(connection) as few:
        queue_page(team=team, user=reviewer, queue="mine")
    claims(team, 30, assignee=reviewer, status=S.IN_RESEARCH)
    with django_assert_num_queries(len(few.captured_queries)):
        page = queue_page(team=team, user=reviewer, queue="mine")
    assert len(page.claims) == 33 and page.counts["mine"] == 33
    assert len(few.captured_queries) == 3


def test_keyset_pages_walk_every_claim_once_in_each_sort(team, reviewer):
    now = timezone.now()
    made = claims(team, 23, assignee=reviewer, status=S.IN_RESEARCH)
    for i, claim in enumerate(made):
        # ties on purpose: the id breaks them
        Claim.objects.filter(pk=claim.pk).update(
            due_at=None if i % 5 == 0 else now + datetime.timedelta(hours=i % 4),
            priority=i % 3,
            updated_at=now - datetime.timedelta(minutes=i % 2),
        )
    for sort in ("updated", "due", "priority", "newest"):
        seen: list[int] = []
        cursor = None
        for _ in range(10):
            rows, cursor = claims_for_queue(team=team, user=reviewer, queue="mine", sort=sort, cursor=cursor, limit=5)
            seen += [c.pk for c in rows]
            if cursor is None:
                break
        assert sorted(seen) == sorted(c.pk for c in made), sort
        full, _ = claims_for_queue(team=team, user=reviewer, queue="mine", sort=sort, limit=100)
        assert seen == [c.pk for c in full], sort
    by_due, _ = claims_for_queue(team=team, user=reviewer, queue="mine", sort="due", limit=100)
    dues = [c.due_at for c in by_due]
    known = [d for d in dues if d is not None]
    assert all(d is None for d in dues[-5:]) and dues[:-5] == known == sorted(known)


def test_filters(team, reviewer, editor, chief):
    article = ArticleFactory(team=team)
    wall: Any = ClaimFactory(article=article, exact="flood wall")
    river = ClaimFactory(article=article, exact="The river rose 3.1 metres")
    Claim.objects.filter(pk=river.pk).update(
        restated="Water level record in April", restated_at=timezone.now(), priority=3
    )
    elsewhere = claims(team, 1)[0]
    wall = claim_assign(claim=wall, user=editor, assignee=reviewer)
    wall = claim_propose(claim=wall, user=reviewer, rating=rating(team, "False"), summary="No.")
    wall = claim_publish(claim=claim_approve(claim=wall, user=chief), user=chief)

    def ids(queue="published", **filters):
        rows, _ = claims_for_queue(team=team, user=reviewer, queue=queue, filters=QueueFilters(**filters))
        return {c.pk for c in rows}

    assert ids(rating=rating(team, "False").pk) == {wall.pk}
    assert ids(rating=rating(team, "True").pk) == set()
    assert ids(assignee=reviewer.pk) == {wall.pk}
    assert ids("unassigned", article=article.pk) == {river.pk}
    assert ids("unassigned") == {river.pk, elsewhere.pk}
    assert ids("unassigned", priority=3) == {river.pk}
    assert ids("unassigned", text="record water") == {river.pk}  # full text, any order
    assert ids("unassigned", text="metr") == {river.pk}  # part of a word, trigram
    assert ids(text="FLOOD") == {wall.pk}
    due = wall.due_at.date()
    assert ids(due_after=due, due_before=due) == {wall.pk}
    assert ids(due_after=due + datetime.timedelta(days=1)) == set()
    counts = queue_counts(team=team, user=reviewer, filters=QueueFilters(text="river"))
    assert counts["unassigned"] == 1 and counts["published"] == 0


def test_bad_queue_sort_and_cursor_are_input_errors(team, reviewer):
    for kwargs, name in (({"queue": "nope"}, "queue"), ({"sort": "nope"}, "sort"), ({"cursor": "!!"}, "cursor")):
        with pytest.raises(InvalidInput) as info:
            claims_for_queue(team=team, user=reviewer, **{"queue": "mine", **kwargs})
        assert info.value.field == name
    with pytest.raises(InvalidInput):
        claims_for_queue(team=team, user=reviewer, queue="mine", cursor="WyJ4Il0")  # ["x"]


def publish(claim, *, editor, reviewer, chief):
    claim = claim_assign(claim=claim, user=editor, assignee=reviewer)
    claim = claim_propose(claim=claim, user=reviewer, rating=rating(claim.team, "False"), summary="No.")
    return claim_publish(claim=claim_approve(claim=claim, user=chief), user=chief)


def test_needs_attention_lists_published_claims_the_article_revision_moved_off_their_quote(
    team, reviewer, editor, chief, django_assert_num_queries
):
    article = ArticleFactory(team=team, source="The wall will cost 48 million euros. The river rose 3 metres.")
    people = {"editor": editor, "reviewer": reviewer, "chief": chief}
    fuzzy = publish(ClaimFactory(article=article, exact="The wall will cost 48 million euros"), **people)
    orphan = publish(ClaimFactory(article=article, exact="The river rose 3 metres"), **people)
    correcting = publish(ClaimFactory(article=article, exact="will cost"), **people)
    correcting = claim_propose_correction(
        claim=correcting, user=reviewer, rating=rating(team, "True"), summary="Yes.", note="New data."
    )
    retracted = claim_retract(
        claim=publish(ClaimFactory(article=article, exact="48 million"), **people), user=editor, note="Forged."
    )
    unpublished = ClaimFactory(article=article, exact="wall will")
    assert claims_for_queue(team=team, user=editor, queue="needs_attention")[0] == []

    article_revise(
        article=article,
        user=None,
        source="Budget news. The wall will cost 49 million euros. Floods were rare this year.",
        source_format="markdown",
    )
    outcomes = dict(Claim.objects.filter(article=article).values_list("pk", "anchor_outcome"))
    assert outcomes[fuzzy.pk] == AnchorOutcome.FUZZY and outcomes[orphan.pk] == AnchorOutcome.ORPHAN
    assert outcomes[retracted.pk] != AnchorOutcome.EXACT and outcomes[unpublished.pk] != AnchorOutcome.EXACT
    Claim.objects.filter(pk=correcting.pk).update(anchor_outcome=AnchorOutcome.FUZZY)

    rows, _ = claims_for_queue(team=team, user=editor, queue="needs_attention")
    assert {c.pk for c in rows} == {fuzzy.pk, orphan.pk, correcting.pk}
    assert QUEUES["needs_attention"] == "Needs attention"
    with django_assert_num_queries(1):
        counts = queue_counts(team=team, user=editor)
    assert counts["needs_attention"] == 3 and counts["published"] == 3 and counts["needs_review"] == 1


def test_corrections_in_review_wait_in_needs_review_and_are_never_due(team, reviewer, editor, chief):
    claim = publish(ClaimFactory(article=ArticleFactory(team=team)), editor=editor, reviewer=reviewer, chief=chief)
    Claim.objects.filter(pk=claim.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
    claim_propose_correction(claim=claim, user=reviewer, rating=rating(team, "True"), summary="Yes.", note="New.")
    for queue, listed in (("needs_review", True), ("published", True), ("due", False), ("mine", False)):
        rows, _ = claims_for_queue(team=team, user=reviewer, queue=queue)
        assert (claim.pk in {c.pk for c in rows}) == listed, queue
    assert queue_counts(team=team, user=reviewer)["overdue"] == 0


def test_dashboard_work_mine_due_soon_and_overdue(team, reviewer, editor, outsider, django_assert_num_queries):
    now = timezone.now()

    def make(team_, hours, assignee=None, status=ClaimStatus.IN_RESEARCH):
        claim = ClaimFactory(article=ArticleFactory(team=team_))
        due = None if hours is None else now + datetime.timedelta(hours=hours)
        Claim.objects.filter(pk=claim.pk).update(due_at=due, assignee=assignee, status=status)
        return claim.pk

    mine = make(team, None, assignee=reviewer)
    soon = make(team, 20, assignee=editor)
    later = make(team, 30, assignee=reviewer)
    late = make(team, -1)
    make(team, -1, status=ClaimStatus.PUBLISHED)
    make(outsider.memberships.get().team, -1)
    with django_assert_num_queries(4):
        work = dashboard_work(team=team, user=reviewer, now=now)
    assert [c.pk for c in work.mine] == [later, mine]  # soonest first, no date last
    assert [c.pk for c in work.due_soon] == [soon]
    assert [c.pk for c in work.overdue] == [late]
    assert work.counts == {"mine": 2, "due_soon": 1, "overdue": 1}
