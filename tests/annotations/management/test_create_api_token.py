from __future__ import annotations

import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from annotations.models import ApiToken, TokenKind
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_prints_a_personal_token(reviewer: Any) -> None:
    out = StringIO()
    call_command("create_api_token", reviewer.username, stdout=out)
    token = out.getvalue().strip()
    stored = ApiToken.objects.get(key_hash=hashlib.sha256(token.encode()).hexdigest())
    assert stored.kind == TokenKind.PERSONAL and stored.user == reviewer


def test_team_read_only_key(team: Any) -> None:
    admin = MembershipFactory(team=team, role="admin").user
    out = StringIO()
    call_command("create_api_token", admin.username, "--team", team.slug, "--read-only", stdout=out)
    stored = ApiToken.objects.get(key_hash=hashlib.sha256(out.getvalue().strip().encode()).hexdigest())
    assert stored.kind == TokenKind.TEAM_READ and stored.team == team
    with pytest.raises(CommandError, match="read-only"):
        call_command("create_api_token", admin.username, "--team", team.slug)
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody")
