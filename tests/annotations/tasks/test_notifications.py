from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import transaction

from annotations.models import Notification, NotificationKind
from annotations.services.comments import comment_add
from annotations.services.workflow import claim_assign
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, TeamFactory, UserFactory


def wait_for(condition: Any, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_notifies_once_the_transaction_commits(celery_worker: Any) -> None:
    team = TeamFactory()
    editor = MembershipFactory(team=team, user=UserFactory(username="eddie"), role="editor").user
    rita = MembershipFactory(team=team, user=UserFactory(username="rita", email="rita@example.org")).user
    claim = ClaimFactory(article=ArticleFactory(team=team))
    with transaction.atomic():
        claim_assign(claim=claim, user=editor, assignee=rita)
        comment_add(claim=claim, user=editor, body="@rita: the tender is on page 4.")
        time.sleep(1)  # the worker would have had time: nothing is sent before the commit
        assert not Notification.objects.exists()
    assert wait_for(lambda: Notification.objects.filter(recipient=rita).count() == 2)
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == {NotificationKind.ASSIGNED, NotificationKind.MENTION}
    # Both are emailed by default (the worker's development settings print them).
    assert wait_for(lambda: not Notification.objects.filter(emailed_at__isnull=True).exists())
