from __future__ import annotations

from typing import Any

import pytest

from annotations.models import Team
from annotations.notifying import send_notify_event
from annotations.services.comments import comment_add
from annotations.services.workflow import claim_assign
from tests.factories import ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def queued(callbacks: list[Any]) -> list[Any]:
    return [c for c in callbacks if getattr(c, "func", None) is send_notify_event]


def test_a_notifying_event_queues_its_task_on_commit_only(
    team: Team, reviewer: Any, editor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        article = ArticleFactory(team=team)
        claim = ClaimFactory(article=article)
    assert queued(callbacks) == []  # article.create and claim.create tell nobody
    with django_capture_on_commit_callbacks() as callbacks:
        claim_assign(claim=claim, user=editor, assignee=reviewer)
        comment_add(claim=claim, user=reviewer, body="On it, @eddie.")
    events = [c.args[0] for c in queued(callbacks)]
    assert events == [
        claim.audit_events.get(action="claim.assign").pk,
        claim.audit_events.get(action="comment.add").pk,
    ]


def test_the_receiver_is_connected() -> None:
    from django.db.models.signals import post_save

    from annotations.models import AuditEvent

    assert post_save.has_listeners(AuditEvent)
    assert any(key[0] == "annotations.notifying.audit_event_saved" for key, *_ in post_save.receivers)
