"""The receiver: which hint an audit event makes, sent only once its transaction commits."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import transaction

from annotations.live import broadcast
from annotations.models import AuditEvent
from annotations.services.articles import article_revise
from annotations.services.claims import claim_create
from annotations.services.comments import comment_add
from annotations.services.workflow import claim_delete, team_default_due_days_set, team_member_remove
from tests.factories import ARTICLE_SOURCE, ArticleFactory, ClaimFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(team: Any) -> Any:
    return MembershipFactory(team=team, role="admin").user


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """What the receiver hands to the channel layer, in order."""
    messages: list[tuple[str, dict[str, Any]]] = []
    real = broadcast.publish

    def publish(group: str, message: dict[str, Any]) -> None:
        messages.append((group, message))
        real(group, message)

    monkeypatch.setattr(broadcast, "publish", publish)
    return messages


def test_a_claim_change_is_sent_to_its_articles_group_only_after_commit(
    team, reviewer, sent, django_capture_on_commit_callbacks
):
    article = ArticleFactory(team=team)
    with django_capture_on_commit_callbacks() as callbacks:
        claim = claim_create(article=article, user=reviewer, exact="flood wall")
        assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [
        (
            f"article.{article.pk}",
            {
                "type": "live.change",
                "article": article.pk,
                "action": "claim.create",
                "claim": claim.pk,
                "revision": None,
            },
        )
    ]


def test_a_rolled_back_change_sends_nothing(team, reviewer, django_capture_on_commit_callbacks):
    article = ArticleFactory(team=team)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        claim_create(article=article, user=reviewer, exact="flood wall")
        raise RuntimeError("rolled back")
    assert callbacks == []


def test_the_hint_of_each_kind_of_change(team, admin, editor, reviewer, django_capture_on_commit_callbacks):
    article = ArticleFactory(team=team)
    claim = ClaimFactory(article=article)

    def hint_of(action: str) -> broadcast.Hint | None:
        return broadcast.change_hint(AuditEvent.objects.filter(action=action).latest("id"))

    comment_add(claim=claim, user=reviewer, body="A source?")
    assert hint_of("comment.add") == {
        "article": article.pk,
        "action": "comment.add",
        "claim": claim.pk,
        "revision": None,
    }
    revised = article_revise(
        article=article, user=editor, source=ARTICLE_SOURCE + "\n\nMore.", source_format="markdown"
    )
    assert hint_of("article.revise") == {
        "article": article.pk,
        "action": "article.revise",
        "claim": None,
        "revision": revised.revision,
    }
    claim.refresh_from_db()
    claim_id = claim.pk
    claim_delete(claim=claim, user=editor, version=claim.version)
    assert hint_of("claim.delete") == {
        "article": article.pk,
        "action": "claim.delete",
        "claim": claim_id,
        "revision": None,
    }
    team_default_due_days_set(team=team, user=admin, days=team.default_due_days % 30 + 1)
    assert hint_of("team.due_days") is None


def test_a_membership_change_is_sent_to_the_teams_group(
    team, admin, reviewer, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        team_member_remove(team=team, user=admin, membership=reviewer.memberships.get(team=team))
    assert sent == [(f"team.{team.pk}", {"type": "live.membership", "user": reviewer.pk})]


def test_a_failed_publish_is_logged_and_the_write_stands(
    team, reviewer, settings, caplog, django_capture_on_commit_callbacks
):
    from channels.layers import channel_layers  # type: ignore[import-untyped]

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [{"address": "redis://127.0.0.1:1/0", "socket_connect_timeout": 1}]},
        }
    }
    channel_layers.backends.clear()
    article = ArticleFactory(team=team)
    with (
        caplog.at_level(logging.WARNING, logger="annotations.live.broadcast"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        claim = claim_create(article=article, user=reviewer, exact="flood wall")
    channel_layers.backends.clear()
    assert claim.pk is not None and article.claims.filter(pk=claim.pk).exists()
    assert "not sent" in caplog.text
