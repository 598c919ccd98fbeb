from __future__ import annotations

from typing import Any

import pytest

from annotations.errors import NotAllowed
from annotations.models import AuditEvent, TokenKind
from annotations.services.api_keys import api_token_create, api_token_revoke, team_api_key_create

pytestmark = pytest.mark.django_db


def test_plaintext_is_returned_once_and_only_the_hash_is_kept(reviewer: Any) -> None:
    issued = api_token_create(user=reviewer, name="x")
    assert issued.token.kind == TokenKind.PERSONAL
    assert issued.plaintext.startswith(issued.token.prefix)
    assert issued.plaintext != issued.token.key_hash and len(issued.token.key_hash) == 64


def test_team_keys_need_an_admin(team: Any, reviewer: Any, editor: Any) -> None:
    with pytest.raises(NotAllowed):
        team_api_key_create(team=team, user=editor, name="x")
    from tests.factories import MembershipFactory

    admin = MembershipFactory(team=team, role="admin").user
    issued = team_api_key_create(team=team, user=admin, name="feed")
    assert issued.token.team == team and AuditEvent.objects.filter(action="api_key.create").exists()
    with pytest.raises(NotAllowed):
        api_token_revoke(token=issued.token, user=reviewer)
    assert api_token_revoke(token=issued.token, user=admin).revoked_at is not None
