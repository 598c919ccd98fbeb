"""Hostile input to every API operation and every form of every page: never a 5xx, and a refused
request changes nothing.

The operations come from the OpenAPI schema and the pages from the URL resolver, so a new route
is fuzzed without anyone adding it here. Each request carries values from Hypothesis strategies
meant to break things: text with NUL characters and unpaired surrogates, huge and deeply nested
values, odd date-times (offsets beyond ±15:59, years 1 and 9999), links with CR/LF or hosts that
are not valid IDNA, huge numbers; plus whole bodies nested a thousand deep, not UTF-8, or empty.
Path ids point at real rows of one team (its admin is signed in), so the success paths run too.

After every request: no 5xx (an exception in a view fails the test); an answer in JSON is valid
UTF-8 with no NUL; and when the answer is a 4xx (or a page re-rendering its form), a fingerprint
of every table (row count and a hash of the rows) is unchanged. Network lookups are refused,
so nothing leaves the machine. The figures are printed and kept in test-artifacts/fuzz.json.
"""

from __future__ import annotations

import base64
import json
import re
import socket
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.models import Role, Snapshot, Source
from annotations.services.api_keys import api_token_create, team_api_key_create
from annotations.services.comments import comment_add
from annotations.services.webhooks import webhook_endpoint_create
from annotations.services.workflow import claim_approve, claim_assign, claim_propose, claim_publish
from tests.conftest import PROJECT_ROOT
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, TeamFactory, UserFactory, rating

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 20
EXAMPLES_PER_FORM = 12
FIGURES: Counter[str] = Counter()

# --- Values meant to break things. ------------------------------------------------------------
ODD_DATETIMES = [
    "2025-04-01T00:00:00+19:17",
    "2025-04-01T00:00:00-16:00",
    "2025-04-01T00:00:00+15:59",
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "9999-12-31T23:59:59.999999Z",
    "2025-13-01T00:00:00Z",
    "2025-02-29T12:00:00Z",
    "2025-04-01T24:00:00Z",
    "2025-04-01T00:00:00+24:00",
    "2025-04-01T00:00:00+05:30:15",
    "20250401T000000Z",
    "2025-04-01",
    "-0001-01-01T00:00:00Z",
    "2025-04-01T00:00:00 19:17",
    "T",
]
ODD_URLS = [
    "https://a..b/",
    "https://" + "a" * 64 + ".example.org/",
    "https://" + ".".join(["a" * 60] * 5) + "/",
    "https://exa\r\nmple.org/",
    "https://example.org/a\r\nSet-Cookie: x=1",
    "https://example.org/\x00",
    "https://%00.example.org/",
    "http://127.0.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "https://[::ffff:10.0.0.1]/",
    "https://0x7f.1/",
    "https://xn--/",
    "https://xn--a.example/",
    "https://bücher.example/straße",
    "https://\u200d.example/",
    "https://example.org:99999/",
    "https://example.org:0/",
    "https://user:pw@example.org/",
    "https://example.org/" + "ü" * 1200,
    "javascript:alert(1)",
    "https://hooks.example.org/in",
    "https://news.example.org/story",
]
SPECIAL_TEXT = [
    "",
    " ",
    "null",
    "0",
    "-1",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "true",
    "[]",
    "{}",
    "🏳️‍🌈",
    "\u202egnp.exe",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "\ufeff",
    "\r\n",
]
text_values = st.one_of(
    st.text(max_size=40),
    st.text(max_size=10).map(lambda s: f"{s}\x00{s}"),
    st.sampled_from(["\ud800", "a\udfffb", "\udbff\udbff"]),
    st.sampled_from(ODD_DATETIMES),
    st.sampled_from(ODD_URLS),
    st.sampled_from(SPECIAL_TEXT),
    st.integers(min_value=1_000, max_value=200_000).map(lambda n: "x" * n),
)
scalar_values = st.one_of(
    text_values,
    st.integers(min_value=-(2**80), max_value=2**80),
    st.sampled_from([0, -1, 2**31, 2**63, 2**64, 10**30]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
nasty_values = st.recursive(
    scalar_values,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(text_values, children, max_size=3),
    max_leaves=6,
)
DEEP = "__deep_nesting__"


def fuzz_settings(examples: int) -> Any:
    """Hypothesis settings of every fuzz loop here: deterministic, no deadline, nothing remembered."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )


def deep(depth: int) -> str:
    return "[" * depth + "]" * depth


RAW_BODIES: list[str | bytes] = [
    deep(33),
    deep(1000),
    '{"a":' * 2000 + "1" + "}" * 2000,
    b'{"text": "\xff\xfe invalid utf-8"}',
    '{"body": "\\ud800"}',
    '{"body": "\\u0000"}',
    '{"\\u0000": 1}',
    "",
    "null",
    "[]",
    "1e999",
    "NaN",
    '{"a": 1',
    "\ufeff{}",
]


# --- Where to send them: every operation of the schema, every page route. ---------------------
def _resolve(schema: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _operations() -> list[dict[str, Any]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            content = operation.get("requestBody", {}).get("content", {})
            media_type = next(iter(content), "application/json")
            body = _resolve(schema, content.get(media_type, {}).get("schema")) if content else None
            operations.append(
                {
                    "id": f"{method.upper()} {path}",
                    "method": method.upper(),
                    "path": path,
                    "parameters": [_resolve(schema, p) for p in operation.get("parameters", [])],
                    "media_type": media_type,
                    "body": body,
                    "schema": schema,
                }
            )
    return operations


OPERATIONS = _operations()


def _page_routes() -> list[tuple[str, str]]:
    """(route, name) of every route outside the API and Django admin, with its converters."""
    routes: list[tuple[str, str]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if not route.startswith(("api/", "admin/")):
                    walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern):
                routes.append((route, pattern.name or route))

    walk(get_resolver().url_patterns, "")
    return routes


PAGE_ROUTES = _page_routes()


# --- The world the requests act on. ------------------------------------------------------------
@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch, settings: Any) -> dict[str, Any]:
    settings.HEALTH_CHECK_TIMEOUT = 0.05  # no worker runs here: /healthz need not wait for one
    real_getaddrinfo = socket.getaddrinfo

    def no_network(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host in (None, "localhost", "127.0.0.1", "::1") or re.fullmatch(r"[\d.]+|[0-9a-fA-F:]+", str(host)):
            return real_getaddrinfo(host, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (the fuzz test has no network)")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    team = TeamFactory()
    admin = MembershipFactory(team=team, user=UserFactory(username="fuzz-admin"), role=Role.ADMIN).user
    editor = MembershipFactory(team=team, user=UserFactory(username="fuzz-editor"), role=Role.EDITOR).user
    reviewer = MembershipFactory(team=team, user=UserFactory(username="fuzz-reviewer"), role=Role.REVIEWER).user
    article = ArticleFactory(team=team, canonical_url="https://news.example.org/story")
    claim = ClaimFactory(article=article, exact="flood wall")
    published = claim_assign(
        claim=ClaimFactory(article=article, exact="The river rose"), user=editor, assignee=reviewer
    )
    published = claim_propose(claim=published, user=reviewer, rating=rating(team, "False"), summary="No.")
    published = claim_publish(claim=claim_approve(claim=published, user=editor), user=editor)
    snapshot = Snapshot.objects.create(
        team=team, url="https://example.org/r", status="fetched", text="Report.", sha256="0" * 64
    )
    snapshot.body.save("r.txt", ContentFile(b"Report."), save=True)
    source = Source.objects.create(
        team=team, claim=claim, url="https://example.org/r", stance="supports", snapshot=snapshot
    )
    comment_add(claim=claim, user=admin, body="Looks right.")
    endpoint = webhook_endpoint_create(
        team=team, user=admin, url="https://hooks.example.org/in", events=["verdict.published"]
    )
    token = api_token_create(user=admin, name="fuzz")
    team_api_key_create(team=team, user=admin, name="integrator")
    client = Client()
    client.force_login(admin)
    ids = {
        "team": team.pk,
        "article": article.pk,
        "claim": claim.pk,
        "published": published.pk,
        "source": source.pk,
        "snapshot": snapshot.pk,
        "token": token.token.pk,
        "endpoint": endpoint.pk,
        "webhook": endpoint.pk,
        "member": reviewer.pk,
        "user": reviewer.pk,
        "assignee": reviewer.pk,
        "earlier": published.pk,
        "rating": rating(team, "True").pk,
    }
    return {"client": client, "ids": ids, "team": team, "slugs": {"team_slug": team.slug}}


EXCLUDED_TABLES = ("django_session", "axes_", "django_celery_results", "django_admin_log")


def fingerprint() -> dict[str, tuple[int, int]]:
    """Per table: its row count and a hash of its rows, in one query."""
    quote_name = connection.ops.quote_name
    tables = [t for t in connection.introspection.table_names() if not t.startswith(EXCLUDED_TABLES)]
    query = " UNION ALL ".join(
        f"SELECT '{table}', count(*), coalesce(sum(hashtext(t::text)::bigint), 0) FROM {quote_name(table)} t"
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        return {name: (count, digest) for name, count, digest in cursor.fetchall()}


def send(client: Client, method: str, path: str, *, query: str = "", body: bytes = b"", **extra: Any) -> Any:
    """One request, inside a savepoint so that a database error fails this example only."""
    before = fingerprint()
    with transaction.atomic():
        response = client.generic(method, path, data=body, QUERY_STRING=query, **extra)
    FIGURES["requests"] += 1
    # /healthz answers 503 when no worker runs (none does here): that is its job, not a failure.
    healthz_down = path == "/healthz" and response.status_code == 503
    FIGURES["healthz 503 (no worker)" if healthz_down else f"status {response.status_code // 100}xx"] += 1
    assert response.status_code < 500 or healthz_down, (method, path, query, body[:300], response.content[:500])
    content_type = response.get("Content-Type", "")
    if "json" in content_type and response.content:
        text = response.content.decode("utf-8")  # strictly valid UTF-8
        assert "\x00" not in text and "\\u0000" not in text, text[:300]
    return response, before


# A URL import whose fetch failed is answered 400 yet keeps the failed snapshot and its audit event,
# on purpose: every fetch outcome of a team is recorded (annotations/services/article_import.py).
IMPORTS = ("POST /api/v1/articles/", "/articles/new/")
RECORDED_WHEN_IMPORT_FAILS = frozenset({"annotations_snapshot", "annotations_auditevent"})


def check_unchanged(before: dict[str, tuple[int, int]], what: Any, *, where: str) -> None:
    after = fingerprint()
    changed = {table for table in before.keys() | after.keys() if before.get(table) != after.get(table)}
    if where.endswith(IMPORTS) and changed and changed <= RECORDED_WHEN_IMPORT_FAILS:
        FIGURES["refused import kept its failed snapshot (by design)"] += 1
        return
    if changed:
        FIGURES["refused but changed"] += 1
    assert not changed, (what, sorted(changed))


# --- Strategies from the schema. ---------------------------------------------------------------
def value_for(schema: dict[str, Any], node: Any, ids: dict[str, int], depth: int = 0) -> st.SearchStrategy[Any]:
    """A plausible value of the schema's type, or a hostile one."""
    node = _resolve(schema, node) or {}
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in node:
            return st.one_of(*[value_for(schema, option, ids, depth) for option in node[combinator]])
    plausible: st.SearchStrategy[Any]
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if "enum" in node:
        plausible = st.sampled_from([v for v in node["enum"] if v is not None] or [None])
    elif kind == "integer":
        plausible = st.one_of(st.sampled_from(sorted(set(ids.values()))), st.integers(min_value=-3, max_value=10))
    elif kind == "boolean":
        plausible = st.booleans()
    elif kind == "number":
        plausible = st.floats(allow_nan=False, allow_infinity=False)
    elif kind == "array" and depth < 3:
        plausible = st.lists(value_for(schema, node.get("items", {}), ids, depth + 1), max_size=3)
    elif kind == "object" and depth < 3 and node.get("properties"):
        plausible = object_for(schema, node, ids, depth + 1)
    elif node.get("format") == "date-time":
        plausible = st.sampled_from([*ODD_DATETIMES, "2025-04-01T12:00:00Z"])
    elif node.get("format") == "date":
        plausible = st.sampled_from(["2025-04-01", "0001-01-01", "9999-12-31", "2025-02-30", "20250401"])
    elif node.get("format") == "uri":
        plausible = st.sampled_from(ODD_URLS)
    elif kind == "string":
        plausible = st.one_of(st.text(max_size=30), st.sampled_from(["flood wall", "The river rose", "False", "True"]))
    else:
        plausible = nasty_values
    return st.one_of(plausible, plausible, nasty_values, st.just(DEEP))


def object_for(schema: dict[str, Any], node: Any, ids: dict[str, int], depth: int = 0) -> st.SearchStrategy[Any]:
    properties = node.get("properties", {})
    required = set(node.get("required", []))
    fields = {name: value_for(schema, prop, ids, depth) for name, prop in properties.items()}
    return st.fixed_dictionaries(
        {name: fields[name] for name in properties if name in required},
        optional={
            **{name: fields[name] for name in properties if name not in required},
            "\x00": nasty_values,
            "unexpected": nasty_values,
        },
    )


def encoded_body(value: Any) -> bytes:
    text = json.dumps(value)  # ensure_ascii: a lone surrogate travels as its \\u escape, as a client would send it
    return text.replace(f'"{DEEP}"', deep(1000)).encode()


def query_string(params: dict[str, Any]) -> str:
    def encode(value: Any) -> str:
        return quote(str(value).encode("utf-8", "surrogatepass"), safe="")

    return "&".join(f"{quote(name)}={encode(value)}" for name, value in params.items())


def path_for(template: str, ids: dict[str, int], draw: st.DrawFn) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1).removesuffix("_id")
        known = ids.get(name, 1)
        return str(draw(st.sampled_from([known, known, known, 0, 2**63, 10**25])))

    return re.sub(r"\{(\w+)\}", replace, template)


PROBES: list[Any] = [
    "\x00",
    "a\x00b",
    "\ud800",
    DEEP,
    2**70,
    10**30,
    "x" * 100_000,
    ["\x00", "\ud800"],
    {"\x00": "\ud800"},
    *ODD_DATETIMES[:6],
    *ODD_URLS[:8],
]
QUERY_PROBES = ["\x00", "\ud800", 2**70, "-1", "x" * 5_000, *ODD_DATETIMES[:6]]
CURSORS = [
    # Cursors as the API writes them (base64 of {"v": [...], "r": ...}), with odd values inside.
    *(
        base64.urlsafe_b64encode(json.dumps({"v": values, "r": False}).encode()).decode().rstrip("=")
        for values in (
            ["2025-04-01T00:00:00+19:17", 1],
            ["0001-01-01T00:00:00+01:00", 1],
            ["9999-12-31T23:59:59-01:00", 1],
            [2**70],
            [10**30, "x"],
            ["\x00", 1],
        )
    ),
    "!!!",
    "e30",
    # Cursors as digits (microseconds and ids) at and beyond their bounds.
    "99999999999999999_999999999999999999_n",
    "999999999999999999_1_p",
    "0_0_n",
    "-1_1_n",
]


FIELD_PROBES: list[Any] = [DEEP, "\x00", "\ud800", 2**70, ODD_DATETIMES[0], ODD_URLS[0], ODD_URLS[3]]


def plausible(schema: dict[str, Any], node: Any, ids: dict[str, int], name: str = "") -> Any:
    """A value of the schema's type that could be accepted: ids of the world's rows, first choices."""
    node = _resolve(schema, node) or {}
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in node:
            return plausible(schema, node[combinator][0], ids, name)
    kind = node.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if "enum" in node:
        return next((v for v in node["enum"] if v is not None), None)
    if kind == "integer":
        return ids.get(name.removesuffix("_id"), 1)
    if kind == "array":
        return [plausible(schema, node.get("items", {}), ids, name.removesuffix("s"))]
    if kind == "object":
        return {key: plausible(schema, prop, ids, key) for key, prop in node.get("properties", {}).items()}
    return {"boolean": True, "number": 1.0}.get(kind or "") or {
        "date-time": "2025-04-01T12:00:00Z",
        "date": "2025-04-01",
        "uri": "https://news.example.org/story-2",
    }.get(node.get("format", ""), "flood wall")


def probes_for(operation: dict[str, Any], ids: dict[str, int]) -> list[tuple[dict[str, Any], bytes]]:
    """The inputs that broke the API once: each in every query parameter on its own; in every body
    field at once; in each field of an otherwise plausible body; and the raw bodies."""
    probes: list[tuple[dict[str, Any], bytes]] = []
    for parameter in operation["parameters"]:
        if parameter["in"] == "query":
            values = CURSORS if parameter["name"] == "cursor" else QUERY_PROBES
            probes += [({parameter["name"]: value}, b"") for value in values]
    if operation["method"] in ("POST", "PUT", "PATCH"):
        fields = list(_resolve(operation["schema"], operation["body"] or {}).get("properties", {})) or ["body"]
        probes += [({}, encoded_body(dict.fromkeys(fields, probe))) for probe in PROBES]
        base = plausible(operation["schema"], operation["body"] or {}, ids)
        if isinstance(base, dict):
            probes.append(({}, encoded_body(base)))
            probes += [({}, encoded_body({**base, field: probe})) for field in fields for probe in FIELD_PROBES]
        probes += [({}, raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")) for raw in RAW_BODIES]
    return probes or [({}, b"")]


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op["id"] for op in OPERATIONS])
def test_no_operation_of_the_api_answers_5xx_or_changes_anything_when_refusing(
    operation: dict[str, Any], world: dict[str, Any]
) -> None:
    ids, schema, client = world["ids"], operation["schema"], world["client"]
    path = re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1).removesuffix("_id"), 1)), operation["path"])
    for params, body in probes_for(operation, ids):
        method, media_type = operation["method"], operation["media_type"]
        response, before = send(client, method, path, query=query_string(params), body=body, content_type=media_type)
        if 400 <= response.status_code < 500:
            check_unchanged(before, (operation["id"], params, body[:200]), where=operation["id"])

    @fuzz_settings(EXAMPLES_PER_OPERATION)
    @given(data=st.data())
    def fuzz(data: st.DataObject) -> None:
        path = path_for(operation["path"], ids, data.draw)
        params = {}
        headers: dict[str, str] = {}
        for parameter in operation["parameters"]:
            if parameter["in"] == "path" or not data.draw(st.booleans()):
                continue
            value = data.draw(value_for(schema, parameter.get("schema", {}), ids))
            if parameter["in"] == "query":
                params[parameter["name"]] = value
            elif parameter["in"] == "header":
                # WSGI headers are latin-1 text: the value's UTF-8 bytes, as they would arrive.
                raw = str(value).encode("utf-8", "replace")
                headers["HTTP_" + parameter["name"].upper().replace("-", "_")] = raw.decode("latin-1")
        body = b""
        if operation["method"] in ("POST", "PUT", "PATCH"):
            if operation["body"] is not None and data.draw(st.integers(0, 4)):
                body = encoded_body(data.draw(object_for(schema, operation["body"], ids)))
            else:
                chosen = data.draw(st.sampled_from(RAW_BODIES))
                body = chosen if isinstance(chosen, bytes) else chosen.encode("utf-8", "surrogatepass")
        accept = data.draw(st.sampled_from(["application/json", "application/json; indent=4", "*/*"]))
        response, before = send(
            client,
            operation["method"],
            path,
            query=query_string(params),
            body=body,
            content_type=operation["media_type"],
            HTTP_ACCEPT=accept,
            **headers,
        )
        if 400 <= response.status_code < 500:
            check_unchanged(before, (operation["id"], path, params, body[:200]), where=operation["id"])

    fuzz()


# --- Pages: every route, and every form found on them. -----------------------------------------
class Forms(HTMLParser):
    """The forms of a page: method, action and their fields (name, type, values offered)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"method": a.get("method", "get").lower(), "action": a.get("action", ""), "fields": {}, "files": []}
            )
        elif not self.forms:
            return
        elif tag in ("input", "textarea", "select") and a.get("name"):
            fields = self.forms[-1]["fields"]
            if a.get("type") == "file":
                self.forms[-1]["files"].append(a["name"])
            elif a.get("type") not in ("submit", "button"):
                fields.setdefault(a["name"], []).append(a.get("value", ""))
            self.select = a["name"] if tag == "select" else None
        elif tag == "option" and self.select:
            self.forms[-1]["fields"][self.select].append(a.get("value", ""))


def fill(route: str, world: dict[str, Any]) -> str:
    ids = {**world["ids"], **world["slugs"]}

    def replace(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "str", match.group(2)
        if name in ids:
            return str(ids[name])
        return str(ids.get(name.removesuffix("_id"), 1 if converter == "int" else "x"))

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", replace, route)


FILE_NAMES = ["story.md", "story.txt", "story.html", "story.exe", "no-suffix", "\x00.md", "a" * 300 + ".md"]
FILE_BODIES = [b"Plain text.", b"text \x00 with NUL", b"\xff\xfe not UTF-8", b"", "\ufeffBOM then text".encode()]


@pytest.mark.parametrize(("route", "name"), PAGE_ROUTES, ids=[name for _, name in PAGE_ROUTES])
def test_no_page_or_form_answers_5xx_or_changes_anything_when_refusing(
    route: str, name: str, world: dict[str, Any]
) -> None:
    client = world["client"]
    url = fill(route, world)
    response, _ = send(client, "GET", url)
    forms = Forms()
    if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
        forms.feed(response.content.decode())

    @fuzz_settings(EXAMPLES_PER_FORM)
    @given(data=st.data())
    def query(data: st.DataObject) -> None:
        names = [n for form in forms.forms if form["method"] == "get" for n in form["fields"]]
        params = data.draw(
            st.dictionaries(st.sampled_from([*names, "cursor", "page", "next", "q"]), text_values, max_size=4)
        )
        send(client, "GET", url, query=query_string(params))

    query()
    for form in forms.forms:
        target = urlsplit(urljoin(url, form["action"] or url)).path
        if form["method"] == "post" and target != "/logout/":  # signing out would end the session
            fuzz_form(client, target, form)


FORM_PROBES = ["\x00", "a\x00b", "x" * 100_000, ODD_DATETIMES[0], ODD_URLS[0], ODD_URLS[3], "-1", "9" * 30]


def post_form(client: Client, target: str, values: dict[str, Any], files: dict[str, ContentFile[bytes]]) -> None:
    """POST a form as a browser would (text is UTF-8 on the wire). A page that re-renders its form
    (200) or answers 4xx refused the input, and must have changed nothing."""
    encoded = {k: str(v).encode("utf-8", "surrogatepass").decode("utf-8", "replace") for k, v in values.items()}
    before = fingerprint()
    with transaction.atomic():
        response = client.post(target, {**encoded, **files})
    FIGURES["requests"] += 1
    FIGURES[f"status {response.status_code // 100}xx"] += 1
    assert response.status_code < 500, (target, encoded, response.content[:500])
    if response.status_code == 200 or 400 <= response.status_code < 500:
        check_unchanged(before, (target, encoded), where=target)


def fuzz_form(client: Client, target: str, form: dict[str, Any]) -> None:
    fields: dict[str, list[str]] = form["fields"]
    # A filled-in form: what the page offers, else some text (links left empty: an import would fetch).
    base = {name: next((v for v in offered if v), "" if "url" in name else "Fuzz") for name, offered in fields.items()}
    for probe in FORM_PROBES:
        post_form(client, target, dict.fromkeys(fields, probe), {})
    for name in fields:
        for probe in ("\x00", ODD_URLS[3]):
            post_form(client, target, {**base, name: probe}, {})
    for name in form["files"]:
        for content in FILE_BODIES:
            post_form(client, target, {**base, "source": ""}, {name: ContentFile(content, name="story.md")})

    @fuzz_settings(EXAMPLES_PER_FORM)
    @given(data=st.data())
    def post(data: st.DataObject) -> None:
        values = {
            name: data.draw(st.one_of(st.sampled_from(offered), st.sampled_from(offered), text_values))
            for name, offered in fields.items()
            if data.draw(st.integers(0, 5))
        }
        files = {
            name: ContentFile(data.draw(st.sampled_from(FILE_BODIES)), name=data.draw(st.sampled_from(FILE_NAMES)))
            for name in form["files"]
            if data.draw(st.booleans())
        }
        post_form(client, target, values, files)

    post()


@pytest.fixture(scope="module", autouse=True)
def figures() -> Iterator[None]:
    yield
    FIGURES["operations"] = len(OPERATIONS)
    FIGURES["page routes"] = len(PAGE_ROUTES)
    artifacts = PROJECT_ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    (artifacts / "fuzz.json").write_text(json.dumps(dict(FIGURES), indent=2, sort_keys=True))
    print("\nFuzz figures:", dict(sorted(FIGURES.items())))
