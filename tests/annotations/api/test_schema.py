"""The OpenAPI schema, its local docs, and schemathesis against every documented operation.

Schemathesis (https://schemathesis.readthedocs.io) generates requests from the schema and sends
them to the WSGI app in-process, authenticated with a personal token of a team member; path ids
point at real rows so that the success paths run too. No response may be a 5xx, and every
documented response must match its schema.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from annotations.models import Source
from annotations.services.api_keys import api_token_create
from annotations.services.comments import comment_add
from annotations.services.verdicts import verdict_propose
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, TeamFactory, UserFactory, rating

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture
def world(db: None) -> Iterator[dict[str, Any]]:
    # The app runs inside the test's transaction: keep Django from closing the connection after
    # each request, as its own test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield _world()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _world() -> dict[str, Any]:
    team = TeamFactory()
    user = MembershipFactory(team=team, user=UserFactory(), role="admin").user
    article = ArticleFactory(team=team, canonical_url="https://news.example.org/wall")
    claim = ClaimFactory(article=article, exact="flood wall")
    source = Source.objects.create(team=team, claim=claim, url="https://example.org/r", stance="supports")
    verdict_propose(claim=claim, user=user, rating=rating(team, "True"), summary="Yes.")
    comment_add(claim=claim, user=user, body="Looks right.")
    token = api_token_create(user=user, name="schemathesis")
    ids = {
        "team_id": team.pk,
        "article_id": article.pk,
        "claim_id": claim.pk,
        "source_id": source.pk,
        "token_id": token.token.pk,
        "endpoint_id": 1,
        "member_id": user.pk,
    }
    return {"token": token.plaintext, "ids": ids}


@schema.parametrize()
@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: Any, world: dict[str, Any]) -> None:
    if case.path_parameters:
        for name in case.path_parameters:
            if name in world["ids"]:
                case.path_parameters[name] = world["ids"][name]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world['token']}"},
        checks=[not_a_server_error, response_schema_conformance],
    )


def test_schema_and_docs_are_served_without_a_cdn(client: Any) -> None:
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/claims/{claim_id}/" in paths and "/api/v1/articles/{article_id}/annotations/" in paths
    assert "bearerAuth" in response.json()["components"]["securitySchemes"]
    docs = APIClient().get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    external = [u for u in re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)""", html) if re.match(r"(https?:)?//", u)]
    assert external == [], external
    assert "cdn" not in html.lower()


def test_schema_describes_every_endpoint_without_warnings(tmp_path: Any) -> None:
    from django.core.management import call_command

    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in ("/claims/{claim_id}/transitions/", "/queues/", "/claims/{claim_id}/similar/", "/annotations/"):
        assert path in text, path
