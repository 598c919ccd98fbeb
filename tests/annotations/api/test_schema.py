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
valid parts of a request are pointed at real ones (`_real`): path ids and referenced ids, the
current version, a quote the article holds, a link that leads to a page, the team's own rating
scale (which must keep the ratings verdicts use).

The W3C Web Annotation writes are described by the JSON Schemas the views enforce
(annotations/api/w3c/shapes.py); `_real_annotation` points a valid annotation at the passage the
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
from rest_framework.test import APIClient, APIRequestFactory
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from annotations.api.auth import token_hash
from annotations.api.errors import error_body
from annotations.api.serializers.common import MAX_ID, ErrorBody, ErrorOut
from annotations.api.w3c import views as w3c_views
from annotations.models import (
    ApiToken,
    Article,
    Claim,
    Membership,
    Rating,
    Source,
    TokenKind,
    WebhookDelivery,
    WebhookEndpoint,
)
from annotations.services.api_keys import api_token_create, team_api_key_create
from annotations.services.comments import comment_add
from annotations.services.verdicts import verdict_propose
from tests.annotations.sources_server import SourceServer, serving
from tests.factories import (
    ARTICLE_SOURCE,
    ArticleFactory,
    ClaimFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    rating,
)

PRECONDITION_STATUSES = ["400", "401", "403", "406", "415", "422", "428"]
"""A missing required header: schemathesis' defaults, and 428 for a missing If-Match (RFC 6585)."""

# The credentials schemathesis sends: a member of the team (an admin), and a member of another team.
MEMBER, OUTSIDER = "member", "outsider"
TOKENS = {MEMBER: "fcw_schemathesis_member_not_a_secret", OUTSIDER: "fcw_schemathesis_outsider_not_a_secret"}
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
        yield _world(pages)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _token(user: Any, identity: str) -> None:
    plaintext = TOKENS[identity]
    ApiToken.objects.create(
        kind=TokenKind.PERSONAL, name=identity, user=user, prefix=plaintext[:12], key_hash=token_hash(plaintext)
    )


def _world(pages: SourceServer) -> dict[str, Any]:
    team = TeamFactory()
    admin = MembershipFactory(team=team, user=UserFactory(), role="admin").user
    reviewer = MembershipFactory(team=team, user=UserFactory(), role="reviewer").user
    outsider = MembershipFactory(user=UserFactory(), role="admin").user
    ClaimFactory(article=ArticleFactory(team=Membership.objects.get(user=outsider).team), exact="flood wall")
    article = ArticleFactory(team=team, canonical_url="https://news.example.org/wall")
    claim = ClaimFactory(article=article, exact="flood wall")
    earlier = ClaimFactory(article=article, exact="council")
    source = Source.objects.create(team=team, claim=claim, url="https://example.org/r", stance="supports")
    verdict_propose(claim=claim, user=admin, rating=rating(team, "True"), summary="Yes.")
    comment_add(claim=claim, user=admin, body="Looks right.")
    _token(admin, MEMBER)
    _token(outsider, OUTSIDER)
    spare = api_token_create(user=admin, name="spare")
    endpoint = WebhookEndpoint.objects.create(
        team=team, url="https://hooks.example.org/in", events=["verdict.published"], secret="s" * 32
    )
    WebhookDelivery.objects.create(team=team, endpoint=endpoint, event="verdict.published", payload={})
    start = article.text.index("council")
    ids = {
        "team_id": team.pk,
        "article_id": article.pk,
        "claim_id": claim.pk,
        "source_id": source.pk,
        "token_id": spare.token.pk,
        "endpoint_id": endpoint.pk,
        "member_id": Membership.objects.get(team=team, user=reviewer).pk,
        "number": 0,
    }
    return {
        "team": team,
        "admin": admin,
        "ids": ids,
        "claim": claim,
        "article": article,
        # Body fields that name rows or must match the world, by name.
        "body": {
            "team": team.pk,
            "assignee": reviewer.pk,
            "rating": rating(team, "False").pk,
            "earlier": earlier.pk,
            "exact": "council",
            # Text with readable words (whatever its format), which keeps the quote claims are marked on.
            "source": ARTICLE_SOURCE,
            "start": start,
            "end": start + len("council"),
            "ratings": [
                {"id": r.pk, "label": r.label, "value": r.value, "color": r.color}
                for r in Rating.objects.filter(scale__team=team).order_by("position")
            ],
        },
        # A link that leads somewhere, by operation: the page to import, the webhook to call, a report.
        "links": {
            "/api/v1/articles/": pages.loopback("/report"),
            "/api/v1/teams/{team_id}/webhooks/": "https://localhost/hook",
            "annotations": article.canonical_url,
            "": "https://example.org/report",
        },
    }


def _valid(case: Any, location: ParameterLocation) -> bool:
    return not (case.meta is not None and case.meta.is_negative_at(location))


def _real(case: Any, world: dict[str, Any], *, paths: bool = True) -> None:
    """Point the valid parts of a request at real rows, the current versions and links that lead somewhere.

    A schema can say what an id, a version or a link looks like, not which ones exist; nor rules
    over a whole list (a rating scale keeps the ratings verdicts use, its labels unique).
    """
    if paths and case.path_parameters and _valid(case, ParameterLocation.PATH):
        case.path_parameters = {name: world["ids"].get(name, value) for name, value in case.path_parameters.items()}
    claim_id = _row_id((case.path_parameters or {}).get("claim_id")) or world["claim"].pk
    version = Claim.objects.filter(pk=claim_id).values_list("version", flat=True).first() or 1
    if "If-Match" in case.headers and _valid(case, ParameterLocation.HEADER):
        case.headers["If-Match"] = f'"{version}"'
    if case.path == "/api/v1/queues/" and case.query and _valid(case, ParameterLocation.QUERY):
        # The queues' cursor is opaque (annotations/selectors/queues.py): only one it issued is valid.
        case.query = {**{k: v for k, v in case.query.items() if k != "cursor"}, "team": world["ids"]["team_id"]}
    if isinstance(case.body, dict) and _valid(case, ParameterLocation.BODY):
        link = world["links"].get(case.path, world["links"][""])
        real = {
            **world["body"],
            "version": version,
            "revision": Article.objects.filter(pk=world["article"].pk).values_list("revision", flat=True).first() or 1,
            "url": link,
            "canonical_url": link,
            "claims": [{"id": world["claim"].pk, "version": version}],
        }
        if "username" in case.body:
            real["username"] = UserFactory().username  # someone not yet a member
        if case.path in ANNOTATION_WRITES:
            _real_annotation(case, world)
        else:
            case.body = {name: real.get(name, value) for name, value in case.body.items()}


ANNOTATION_WRITES = {
    "/api/v1/articles/{article_id}/annotations/",
    "/api/v1/articles/{article_id}/annotations/{claim_id}",
}
WRITTEN_BY_THE_SERVER = ("id", "canonical", "via", "created", "modified", "generated", "creator", "generator")


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _row_id(value: Any) -> int | None:
    """A path parameter that can name a row (a generated one may be "null,null" or past bigint)."""
    number = value if isinstance(value, int) else int(value) if isinstance(value, str) and value.isdigit() else 0
    return number if 0 < number <= MAX_ID else None


def _annotation_now(article_id: int | None, claim_id: int | None) -> dict[str, Any]:
    """The annotation as GET shows it ({} if there is none), read by calling the view (Django's test
    Client would put back the connection handling the `world` fixture takes away)."""
    if article_id is None or claim_id is None:
        return {}
    url = f"/api/v1/articles/{article_id}/annotations/{claim_id}"
    request = APIRequestFactory().get(url, HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {TOKENS[MEMBER]}")
    response = w3c_views.AnnotationDetail.as_view()(request, article_id=article_id, claim_id=claim_id)
    response.render()
    annotation: dict[str, Any] = json.loads(response.content) if response.status_code == 200 else {}
    return annotation


def _real_annotation(case: Any, world: dict[str, Any]) -> None:
    """A valid Web Annotation, made to name what exists: the article's passage "council" (its quote and
    span), a report's link for a new source, at most one restated claim; for PUT, the annotation's
    identities, target and written bodies as they are, which PUT keeps."""
    article, body = world["article"], dict(case.body)
    text, start = article.text, world["body"]["start"]
    end = world["body"]["end"]
    if case.method.upper() == "PUT":
        ids = {name: _row_id(value) for name, value in (case.path_parameters or {}).items()}
        current = _annotation_now(ids.get("article_id"), ids.get("claim_id"))
        if not current:
            return  # no such annotation (deleted, or another article's): the answer is a 404
        for name in WRITTEN_BY_THE_SERVER:
            if name in body:
                if name in current:
                    body[name] = current[name]
                else:
                    del body[name]
        body["target"] = current["target"]
        if "bodyValue" in body:
            body["body"] = [{"type": "TextualBody", "value": body.pop("bodyValue")}]
        written = [
            item
            for item in current.get("body", [])
            if not (item.get("type") == "TextualBody" and item.get("purpose") == "describing")
        ]
    else:
        written = []
        for target in _listed(body["target"]):
            if "source" in target:
                source = world["links"]["annotations"]
                target["source"] = {**target["source"], "id": source} if isinstance(target["source"], dict) else source
            for selector in _listed(target["selector"]):
                if selector["type"] == "TextQuoteSelector":
                    selector["exact"] = text[start:end]
                    selector.update(prefix=text[max(0, start - 32) : start], suffix=text[end : end + 32])
                else:
                    selector.update(start=start, end=end)
    if "body" in body:
        new, restated = [], 0
        for item in _listed(body["body"]):
            if "created" in item:
                continue  # a written body: the real ones are sent back below
            if "source" in item:
                item["source"] = world["links"][""]
            elif "commenting" not in _listed(item.get("purpose")):
                restated += 1
                if restated > 1:
                    continue
            new.append(item)
        body["body"] = written + new
    elif written:
        body["body"] = written
    case.body = body


@schema.parametrize()
def test_api_conforms_to_its_schema(case: Any, world: dict[str, Any]) -> None:
    _real(case, world)
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
            _real(case, world, paths=False)

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
