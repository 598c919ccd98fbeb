"""The OpenAPI schema, its local docs, and schemathesis with every one of its checks against every operation.

Schemathesis (https://schemathesis.readthedocs.io) generates requests from the schema, valid ones
and invalid ones, and sends them to the WSGI app in-process: its examples, coverage (boundary
values, missing and wrong-typed fields, unexpected methods and content types) and fuzzing
phases, deterministic. Every response goes through every check schemathesis has (ALL_CHECKS,
asserted complete):

- not_a_server_error, status_code_conformance, content_type_conformance,
  response_headers_conformance (the ETag of a claim or article, Retry-After, WWW-Authenticate),
  response_schema_conformance: the answer is documented, with its type, headers and body.
  Bodies are compared key by key: the test closes every documented response object
  (`additionalProperties: false`), so a key the JSON has and the schema lacks fails as surely
  as a missing one;
- positive_data_acceptance and negative_data_rejection: what the schema calls valid is accepted,
  what it calls invalid is refused;
- missing_required_header (a missing If-Match is a 428, PRECONDITION_STATUSES), unsupported_method,
  allow_header_conformance: the request's shape;
- ignored_auth: after a success, the same request without credentials and with invalid ones is
  refused;
- use_after_free, ensure_resource_availability and object_level_authorization look back over a
  sequence of requests: a DELETE and a later read of what it deleted; a POST and a read of what it
  created; a read of an object the member's own earlier answer listed or created, replayed as
  OUTSIDER (a member of another team), who must not get it. They do their work in
  test_stateful_sequences_follow_the_links, over the links schemathesis infers between operations
  (a list's ids lead to the items, a creation's id to the created object); on the single requests
  of test_api_conforms_to_its_schema they have no history and pass by design. (Team isolation on
  every route and method is also tests/annotations/test_policy.py's.)

Each request (each stateful sequence) runs inside a savepoint that is rolled back, so no DELETE
can empty the world the next one needs. Where the schema cannot say which values exist, the
valid parts of a request are pointed at real ones (`real_request`, in schema_world.py): path ids and referenced ids, the
current version, a quote the article holds, a link that leads to a page, the team's own rating
scale (which must keep the ratings verdicts use).

The W3C Web Annotation writes are described by the JSON Schemas the views enforce
(annotations/api/w3c/shapes.py); `real_annotation` points a valid annotation at the passage the
article holds and, for PUT, at the annotation as it is (what PUT must send back unchanged).
A path no route matches (an id that is not a number) is the API's JSON 404 too
(workbench.middleware.ApiNotFoundMiddleware), so it is checked like every other answer.
"""

from __future__ import annotations

import atexit
import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from hypothesis import HealthCheck, settings
from rest_framework.test import APIClient
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from annotations.api.errors import error_body
from annotations.api.serializers.common import ErrorBody, ErrorOut
from annotations.services.api_keys import api_token_create, team_api_key_create
from tests.annotations.api.schema_world import MEMBER, OUTSIDER, TOKENS, build_world, real_request
from tests.annotations.sources_server import SourceServer, serving

PRECONDITION_STATUSES = ["400", "401", "403", "406", "415", "422", "428"]
"""A missing required header: schemathesis' defaults, and 428 for a missing If-Match (RFC 6585)."""

IDENTITIES = Path(tempfile.mkdtemp(prefix="workbench-schemathesis-")) / "identities.json"
atexit.register(shutil.rmtree, IDENTITIES.parent, ignore_errors=True)
IDENTITIES.write_text(
    json.dumps(
        {
            "auth": [
                {"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {token}"}]}
                for name, token in TOKENS.items()
            ]
        }
    )
)

load_all_checks()
ALL_CHECKS = list(CHECKS.get_all())

CONFIG = SchemathesisConfig.from_dict(
    {
        "suppress-health-check": ["all"],
        "generation": {"mode": "all", "deterministic": True, "max-examples": 8, "database": "none"},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True, "max-steps": 6},
        },
        "checks": {"missing_required_header": {"expected-statuses": PRECONDITION_STATUSES}},
        "auth": {"wfc": {"path": str(IDENTITIES), "user": MEMBER, "peers": [MEMBER, OUTSIDER]}},
    }
)


def closed_responses(raw: dict[str, Any]) -> dict[str, Any]:
    """The schema with every documented response object closed: no key beyond its properties.

    The schema itself leaves them open, so that clients keep working when a field is added; the
    test closes them so that the JSON the API writes and the shapes it documents agree key by key.
    """
    refs = re.compile(r"#/components/schemas/(\w+)")
    schemas = raw["components"]["schemas"]
    pending = [
        name
        for item in raw["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for response in operation.get("responses", {}).values()
        for media in response.get("content", {}).values()
        for name in refs.findall(json.dumps(media["schema"]))
    ]
    names: set[str] = set()
    while pending:
        name = pending.pop()
        if name not in names:
            names.add(name)
            pending.extend(refs.findall(json.dumps(schemas[name])))
    for name in names:
        if schemas[name].get("type") == "object" and "properties" in schemas[name]:
            schemas[name].setdefault("additionalProperties", False)
    return raw


def load_schema() -> Any:
    raw = Client(HTTP_HOST="localhost").get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    loaded = schemathesis.openapi.from_dict(closed_responses(raw), config=CONFIG)
    loaded.app = get_wsgi_application()
    loaded.location = "/api/v1/schema/"
    return loaded


schema = load_schema()
stateful = load_schema()  # Its own copy: the stateful run adds the links it infers to the schema.


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever the requests write is undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def pages() -> Iterator[SourceServer]:
    with serving() as server:
        yield server


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Any, pages: SourceServer) -> Iterator[dict[str, Any]]:
    # The app runs inside the test's transaction: keep Django from closing the connection after
    # each request, as its own test client does. The rate limit has a test of its own. Links
    # lead to the loopback server (articles imported from a page) or to localhost (webhooks).
    settings.API_TOKEN_RATE_LIMIT = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FETCH_TIMEOUT_SECONDS = 5.0
    settings.FETCH_ALLOW_PRIVATE_HOSTS = ["127.0.0.1", "localhost"]
    settings.FETCH_EXTRA_PORTS = [pages.port]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield build_world(pages)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
def test_api_conforms_to_its_schema(case: Any, world: dict[str, Any]) -> None:
    real_request(case, world)
    with rolled_back():
        case.call_and_validate(checks=ALL_CHECKS)


def _values(response: Any) -> Iterator[str]:
    """Every scalar in a JSON answer, as text: the values a link can take from it."""
    try:
        pending = [response.json()]
    except ValueError:
        return
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        else:
            yield str(value)


def test_stateful_sequences_follow_the_links(world: dict[str, Any]) -> None:
    """Sequences of requests along the inferred links, each checked with every check, the ones
    that look back over the sequence included (use_after_free, ensure_resource_availability)."""

    class Sequences(stateful.as_state_machine()):
        def setup(self) -> None:
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()
            self.seen: set[str] = set()  # every value the sequence's answers held: what links can carry

        def teardown(self) -> None:
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

        def before_call(self, case: Any) -> None:
            # A path id no earlier answer held was drawn, not linked: it starts from a real row.
            ids = world["ids"]
            case.path_parameters = {
                name: value if str(value) in self.seen else ids.get(name, value)
                for name, value in (case.path_parameters or {}).items()
            }
            real_request(case, world, paths=False)

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            self.seen.update(_values(response))

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            case.validate_response(response, checks=ALL_CHECKS, transport_kwargs=kwargs or None, recorder=self.recorder)

    Sequences.run(
        settings=settings(
            max_examples=60,
            stateful_step_count=6,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )


def _operations() -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def _documented(operation: Any, world: dict[str, Any], *, auth: str | None) -> Any:
    """Call `operation` on real rows (no body: the refusals here come before it is read), check the answer."""
    ids = world["ids"]
    case = operation.Case(path_parameters={p.name: ids[p.name] for p in operation.path_parameters})
    headers = {"Authorization": auth} if auth else {}
    with rolled_back():
        response = case.call(headers=headers)
    checks = [status_code_conformance, content_type_conformance, response_headers_conformance]
    case.validate_response(response, checks=[*checks, response_schema_conformance])
    return response


@pytest.mark.parametrize("operation", _operations(), ids=lambda operation: operation.label)
def test_refusals_are_documented_on_every_operation(operation: Any, world: dict[str, Any], settings: Any) -> None:
    """Without credentials (401), with a token that is not valid (401), with a team's read-only key
    where the action is a write or not for keys (403), and over the rate limit (429)."""
    assert _documented(operation, world, auth=None).status_code == 401
    assert _documented(operation, world, auth="Bearer fcw_not_a_token").status_code == 401
    key = team_api_key_create(team=world["team"], user=world["admin"], name="integrator").plaintext
    keyed = _documented(operation, world, auth=f"Bearer {key}")
    if operation.method.upper() != "GET":
        assert keyed.status_code == 403
    settings.API_TOKEN_RATE_LIMIT = "1/minute"
    limited = api_token_create(user=world["admin"], name="limited").plaintext
    _documented(operation, world, auth=f"Bearer {limited}")
    over = _documented(operation, world, auth=f"Bearer {limited}")
    assert over.status_code == 429 and int(over.headers["retry-after"][0]) >= 1


def test_stale_writes_answer_the_documented_conflict(world: dict[str, Any]) -> None:
    """A stale version is a 409 with the object as it is now and the change since, as documented."""
    claim, article = world["claim"], world["article"]
    stale = [
        ("/api/v1/claims/{claim_id}/", "PATCH", {"claim_id": claim.pk}, {"version": claim.version + 5}),
        (
            "/api/v1/articles/{article_id}/",
            "PATCH",
            {"article_id": article.pk},
            {"revision": article.revision + 5, "source": "New text.", "source_format": "text"},
        ),
    ]
    for path, method, path_parameters, body in stale:
        case = schema[path][method].Case(path_parameters=path_parameters, body=body, media_type="application/json")
        with rolled_back():
            response = case.call(headers={"Authorization": f"Bearer {TOKENS[MEMBER]}"})
        case.validate_response(response, checks=[status_code_conformance, response_schema_conformance])
        assert response.status_code == 409 and {"current", "last_change"} <= set(response.json()), response.json()


def test_the_error_shape_is_the_documented_one() -> None:
    """annotations.api.errors writes the shape ErrorOut documents, key by key."""
    body = error_body(status_code=400, code="invalid", message="No.", fields={"name": ["Too long."]})
    assert set(body) == set(ErrorOut().get_fields())
    assert set(body["error"]) == set(ErrorBody().get_fields())


def test_every_check_schemathesis_has_runs() -> None:
    assert {check.__name__ for check in ALL_CHECKS} == set(CHECKS.get_all_names())
    assert len(ALL_CHECKS) >= 14


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
