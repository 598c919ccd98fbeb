"""The reading view's socket: who may open it, and the hint each kind of change sends."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from channels.db import database_sync_to_async  # type: ignore[import-untyped]
from django.utils import timezone

from annotations.live.consumers import REFUSED
from annotations.models import Claim
from annotations.services.articles import article_revise
from annotations.services.claims import claim_create
from annotations.services.comments import comment_add
from annotations.services.workflow import claim_assign, claim_delete, claim_propose, claim_update, team_member_remove
from tests.annotations.live.conftest import cookie_of, run, session_cookie, socket
from tests.factories import ARTICLE_SOURCE, ArticleFactory, ClaimFactory, MembershipFactory, rating

# Committed for real: the hints go out on commit, and the consumer's database calls use their own connections.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def article(team: Any) -> Any:
    return ArticleFactory(team=team)


@pytest.fixture
def committed() -> Callable[[Callable[[], Any]], Any]:
    """`await committed(write)`: a write from inside a scenario, committed as a request's would be."""
    return lambda change: database_sync_to_async(change)()


def test_a_member_opens_the_socket_and_gets_nothing_until_something_changes(article, reviewer):
    async def scenario() -> None:
        communicator = socket(article.pk, cookie=await cookie_of(reviewer))
        connected, _ = await communicator.connect()
        assert connected
        assert await communicator.receive_nothing(timeout=0.2)
        await communicator.disconnect()

    run(scenario)


@pytest.mark.parametrize("who", ["anonymous", "outsider", "removed", "inactive"])
def test_only_active_members_of_the_articles_team_may_open_it(article, outsider, who):
    cookie = b""
    if who == "outsider":
        cookie = session_cookie(outsider)
    elif who == "removed":
        membership = MembershipFactory(team=article.team)
        cookie = session_cookie(membership.user)
        membership.delete()
    elif who == "inactive":
        user = MembershipFactory(team=article.team).user
        cookie = session_cookie(user)
        user.is_active = False
        user.save()

    async def scenario() -> None:
        connected, _ = await socket(article.pk, cookie=cookie).connect()
        assert not connected

    run(scenario)


def test_an_article_that_does_not_exist_is_refused_like_another_teams(reviewer):
    async def scenario() -> None:
        connected, _ = await socket(987654321, cookie=await cookie_of(reviewer)).connect()
        assert not connected

    run(scenario)


def test_a_page_from_another_origin_is_refused(article, reviewer):
    async def scenario() -> None:
        communicator = socket(article.pk, cookie=await cookie_of(reviewer), origin=b"https://evil.example.com")
        connected, _ = await communicator.connect()
        assert not connected

    run(scenario)


def test_claims_created_updated_and_deleted_are_announced(article, reviewer, editor, committed):
    async def scenario() -> None:
        communicator = socket(article.pk, cookie=await cookie_of(reviewer))
        assert (await communicator.connect())[0]

        claim = await committed(lambda: claim_create(article=article, user=reviewer, exact="flood wall"))
        assert await communicator.receive_json_from(timeout=2) == {
            "article": article.pk,
            "action": "claim.create",
            "claim": claim.pk,
            "revision": None,
        }

        claim = await committed(
            lambda: claim_update(claim=claim, user=editor, version=claim.version, claimant="The mayor")
        )
        hint = await communicator.receive_json_from(timeout=2)
        assert (hint["action"], hint["claim"]) == ("claim.update", claim.pk)

        await committed(lambda: claim_delete(claim=claim, user=editor, version=claim.version))
        hint = await communicator.receive_json_from(timeout=2)
        assert (hint["action"], hint["claim"], hint["article"]) == ("claim.delete", claim.pk, article.pk)
        assert await communicator.receive_nothing(timeout=0.1)
        await communicator.disconnect()

    run(scenario)


def test_verdicts_comments_and_revisions_are_announced(article, reviewer, editor, committed):
    claim = ClaimFactory(article=article)

    def propose() -> Claim:
        assigned = claim_assign(claim=claim, user=editor, assignee=reviewer)
        return claim_propose(
            claim=assigned, user=reviewer, rating=rating(article.team, "False"), summary="It was €38m."
        )

    async def scenario() -> None:
        communicator = socket(article.pk, cookie=await cookie_of(editor))
        assert (await communicator.connect())[0]

        await committed(propose)
        actions = set()
        while not await communicator.receive_nothing(timeout=0.3):
            hint = await communicator.receive_json_from()
            assert hint["claim"] == claim.pk
            actions.add(hint["action"])
        assert {"claim.assign", "verdict.propose"} <= actions, actions

        await committed(lambda: comment_add(claim=claim, user=reviewer, body="Checked the budget."))
        hint = await communicator.receive_json_from(timeout=2)
        assert (hint["action"], hint["claim"]) == ("comment.add", claim.pk)

        revised = await committed(
            lambda: article_revise(
                article=article, user=editor, source=ARTICLE_SOURCE + "\n\nUpdated.", source_format="markdown"
            )
        )
        hints = []
        while not await communicator.receive_nothing(timeout=0.3):
            hints.append(await communicator.receive_json_from())
        assert {"article": article.pk, "action": "article.revise", "claim": None, "revision": revised.revision} in hints
        await communicator.disconnect()

    run(scenario)


def test_a_change_in_another_teams_article_is_not_announced(article, reviewer, outsider, committed):
    other_article = ArticleFactory(team=outsider.memberships.get().team)

    async def scenario() -> None:
        communicator = socket(article.pk, cookie=await cookie_of(reviewer))
        assert (await communicator.connect())[0]
        await committed(lambda: claim_create(article=other_article, user=outsider, exact="flood wall"))
        assert await communicator.receive_nothing(timeout=0.3)
        await communicator.disconnect()

    run(scenario)


def test_what_the_browser_sends_is_ignored(article, reviewer):
    async def scenario() -> None:
        communicator = socket(article.pk, cookie=await cookie_of(reviewer))
        assert (await communicator.connect())[0]
        await communicator.send_to(text_data='{"type": "live.membership", "user": 1}')
        await communicator.send_to(text_data="not json")
        await communicator.send_to(bytes_data=b"\x00\x01")
        assert await communicator.receive_nothing(timeout=0.2)
        await communicator.disconnect()

    run(scenario)


def test_a_member_removed_from_the_team_is_disconnected(article, reviewer, team, committed):
    admin = MembershipFactory(team=team, role="admin").user

    async def scenario() -> None:
        communicator = socket(article.pk, cookie=await cookie_of(reviewer))
        assert (await communicator.connect())[0]
        colleague = socket(article.pk, cookie=await cookie_of(admin))
        assert (await colleague.connect())[0]

        await committed(
            lambda: team_member_remove(team=team, user=admin, membership=reviewer.memberships.get(team=team))
        )
        closed = await communicator.receive_output(timeout=2)
        assert closed == {"type": "websocket.close", "code": REFUSED}
        # The colleague stays connected and still hears changes.
        await committed(lambda: claim_create(article=article, user=admin, exact="flood wall"))
        assert (await colleague.receive_json_from(timeout=2))["action"] == "claim.create"
        await colleague.disconnect()

    run(scenario)


def test_hints_carry_no_content(article, reviewer, committed):
    """A hint says what changed, never the claim's text: the page reads that through the API."""

    async def scenario() -> None:
        communicator = socket(article.pk, cookie=await cookie_of(reviewer))
        assert (await communicator.connect())[0]
        await committed(
            lambda: claim_create(
                article=article,
                user=reviewer,
                exact="flood wall",
                claim_date=timezone.now().date() - datetime.timedelta(days=1),
            )
        )
        hint = await communicator.receive_json_from(timeout=2)
        assert set(hint) == {"article", "action", "claim", "revision"}
        await communicator.disconnect()

    run(scenario)
