from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from annotations.models import Article, Team
from annotations.services.api_keys import api_token_create, team_api_key_create
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, UserFactory


@pytest.fixture
def client_for() -> Any:
    """A session-authenticated API client for a user."""

    def make(user: Any) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api(client_for: Any, reviewer: Any) -> APIClient:
    return client_for(reviewer)


@pytest.fixture
def editor_api(client_for: Any, editor: Any) -> APIClient:
    return client_for(editor)


@pytest.fixture
def outsider_api(client_for: Any, outsider: Any) -> APIClient:
    return client_for(outsider)


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def token_api(reviewer: Any) -> APIClient:
    return bearer(api_token_create(user=reviewer, name="test").plaintext)


@pytest.fixture
def team_admin(team: Team) -> Any:
    return MembershipFactory(team=team, user=UserFactory(username="ada"), role="admin").user


@pytest.fixture
def key_api(team: Team, team_admin: Any) -> APIClient:
    return bearer(team_api_key_create(team=team, user=team_admin, name="integrator").plaintext)


@pytest.fixture
def article(team: Team) -> Any:
    return ArticleFactory(team=team, canonical_url="https://news.example.org/flood-wall")


@pytest.fixture
def claim(article: Article) -> Any:
    return ClaimFactory(article=article, exact="flood wall")
