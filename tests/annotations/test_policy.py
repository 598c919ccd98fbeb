"""The policy layer: every route declares its actions, and every role meets exactly what the table allows.

`test_every_route_declares_its_actions` walks the URL patterns: a new route without a declared
action fails here. `test_role_meets_the_policy_on_every_route` sends each route and method a real
request as each role (and as an outsider, an anonymous visitor and a team key) and checks the
answer against annotations.policy: allowed roles get through to the view, the others are refused
with 403 (404 for another team's objects, a sign-in for anonymous visitors).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from annotations import policy
from annotations.access import ROLE_RANK
from annotations.errors import Conflict, NotAllowed
from annotations.models import (
    ApiToken,
    Claim,
    ClaimStatus,
    ExternalReview,
    Membership,
    ReviewFeed,
    Role,
    Snapshot,
    Source,
    Team,
    Verdict,
)
from annotations.selectors.workflow import TRANSITIONS
from annotations.services.api_keys import api_token_create, team_api_key_create
from annotations.services.claims import claim_create
from annotations.services.webhooks import webhook_endpoint_create
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, TeamFactory, UserFactory

FRAMEWORK_NAMESPACES = {"admin": "admin.site"}  # Django's admin site checks staff itself
HANDLER_METHODS = ("get", "post", "put", "patch", "delete")


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), namespace, pattern


def _methods(callback: Any) -> set[str]:
    """The HTTP methods a view answers (class-based views), or those its declaration names."""
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None and not getattr(callback, "policy", None):
        return {m.upper() for m in HANDLER_METHODS if hasattr(view_class, m)}
    return set(policy.route_actions(callback)) - {"HEAD"}


ROUTES = [(route, namespace, pattern) for route, namespace, pattern in _walk(get_resolver().url_patterns)]


@pytest.mark.parametrize(("route", "namespace", "pattern"), ROUTES, ids=[r for r, _, _ in ROUTES])
def test_every_route_declares_its_actions(route: str, namespace: str, pattern: URLPattern) -> None:
    if namespace in FRAMEWORK_NAMESPACES:
        assert policy.rule(FRAMEWORK_NAMESPACES[namespace]).audience == policy.STAFF
        return
    declared = policy.route_actions(pattern.callback)
    assert declared, f"{route} declares no action"
    missing = _methods(pattern.callback) - set(declared)
    assert not missing, f"{route} answers {sorted(missing)} without a declared action"
    for action in declared.values():
        policy.rule(action)  # raises for an action the table does not know


@pytest.mark.django_db
def test_an_undeclared_api_method_is_refused(team: Team, reviewer: Any) -> None:
    api = APIClient()
    api.force_login(reviewer)
    response = api.put(f"/api/v1/teams/{team.pk}/", {}, format="json")
    assert response.status_code in (403, 405)
    assert policy.route_actions(get_resolver().resolve(f"/api/v1/teams/{team.pk}/").func).get("PUT") is None


def test_the_readme_shows_the_roles_table() -> None:
    from tests.conftest import PROJECT_ROOT

    assert policy.roles_table() in (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


# --- Every role on every route -------------------------------------------------------------------


@dataclass
class Desk:
    team: Team
    users: dict[str, Any]
    article: Any
    claim: Claim
    other: Claim
    snapshot: Snapshot
    source: Source
    endpoint: Any
    tokens: dict[str, ApiToken]
    key: str


@pytest.fixture
def desk(settings: Any, tmp_path: Any) -> Desk:
    settings.MEDIA_ROOT = str(tmp_path)
    team = TeamFactory.create(slug="desk")
    users = {}
    for role in (Role.REVIEWER, Role.EDITOR, Role.ADMIN):
        users[role.value] = MembershipFactory(team=team, user=UserFactory(username=f"{role.value}-1"), role=role).user
    users["outsider"] = MembershipFactory(user=UserFactory(username="outsider-1"), role=Role.ADMIN).user
    article = ArticleFactory(team=team)
    claim = claim_create(article=article, user=users["reviewer"], exact="flood wall")
    other = ClaimFactory(article=article, exact="council")
    snapshot = Snapshot.objects.create(
        team=team, url="https://example.org/r", status="fetched", text="Report.", sha256="0" * 64
    )
    snapshot.body.save("r.txt", ContentFile(b"Report."), save=True)
    snapshot.warc.save("r.warc.gz", ContentFile(b"WARC/1.1\r\n"), save=True)
    source = Source.objects.create(
        team=team, claim=claim, url="https://example.org/r", stance="supports", snapshot=snapshot
    )
    endpoint = webhook_endpoint_create(
        team=team, user=users["admin"], url="https://hooks.example.org/in", events=["verdict.published"]
    )
    tokens = {role: api_token_create(user=user, name="mine").token for role, user in users.items()}
    key = team_api_key_create(team=team, user=users["admin"], name="integrator").plaintext
    return Desk(team, users, article, claim, other, snapshot, source, endpoint, tokens, key)


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    args: Callable[[Desk, str], list[Any]]
    body: Callable[[Desk, str], dict[str, Any]] | None = None
    headers: Callable[[Desk], dict[str, str]] | None = None
    query: str = ""
    api: bool = True
    outsider: tuple[int, ...] = (404,)  # lists show an outsider their own teams' objects


def _claim(d: Desk, who: str) -> list[Any]:
    return [d.claim.pk]


def _team(d: Desk, who: str) -> list[Any]:
    return [d.team.pk]


def _slug(d: Desk, who: str) -> list[Any]:
    return [d.team.slug]


def _article(d: Desk, who: str) -> list[Any]:
    return [d.article.pk]


def _none(d: Desk, who: str) -> list[Any]:
    return []


def _member(d: Desk, who: str) -> list[Any]:
    return [d.team.pk, Membership.objects.get(team=d.team, user=d.users["reviewer"]).pk]


def _member_page(d: Desk, who: str) -> list[Any]:
    return [d.team.slug, Membership.objects.get(team=d.team, user=d.users["reviewer"]).pk]


def _suggestion(d: Desk, who: str) -> list[Any]:
    """A suggestion on a span of the desk's article that no claim covers."""
    from annotations.anchoring import selectors_for_span
    from annotations.models import Suggestion

    text = d.article.text
    start = text.index("The river rose")
    quote, position = selectors_for_span(text, start, len(text))
    suggestion = Suggestion.objects.create(
        team=d.team, article=d.article, exact=quote.exact, prefix=quote.prefix, suffix=quote.suffix,
        start=position.start, end=position.end, anchored_revision=d.article.revision, score=0.9,
        reasons=["figure"], model_version="base-1",
    )  # fmt: skip
    return [suggestion.pk]


def _review_feed(d: Desk, who: str) -> list[Any]:
    return [ReviewFeed.objects.get_or_create(team=d.team, url="https://feeds.example.org/claimreview.json")[0].pk]


def _external_review(d: Desk, who: str) -> list[Any]:
    review, _ = ExternalReview.objects.get_or_create(
        team=d.team,
        url="https://checks.example.org/wall",
        defaults={"publisher": "Checks", "claim_reviewed": "The wall cost €48m.", "wording": "The wall cost €48m."},
    )
    return [review.pk]


def _delivered(d: Desk) -> int:
    from annotations.models import WebhookDelivery

    return WebhookDelivery.objects.create(
        team=d.team, endpoint=d.endpoint, event="verdict.published", payload={}, status="delivered"
    ).pk


def _notification(d: Desk, who: str) -> list[Any]:
    """A notification of the caller's own (the reviewer's for a caller with no account)."""
    from annotations.models import Notification

    user = d.users.get(who, d.users["reviewer"])
    team_id = Membership.objects.filter(user=user).values_list("team_id", flat=True).first()
    notification = Notification.objects.create(
        recipient=user, team_id=team_id, kind="assigned", summary="Assigned.", link="/"
    )
    return [notification.pk]


def _invitation(d: Desk, who: str) -> list[Any]:
    import datetime

    from django.utils import timezone

    from annotations.models import Invitation

    invitation, _ = Invitation.objects.get_or_create(
        team=d.team,
        email="new@example.org",
        defaults={"token_hash": "b" * 64, "expires_at": timezone.now() + datetime.timedelta(days=7)},
    )
    return [d.team.slug, invitation.pk]


def _deactivated(d: Desk, who: str) -> list[Any]:
    from annotations.models import Deactivation

    deactivation = Deactivation.objects.filter(team=d.team).first() or Deactivation.objects.create(
        team=d.team, user=UserFactory(username="set-aside"), role="reviewer", member_since=d.team.created_at
    )
    return [d.team.slug, deactivation.pk]


def _version(d: Desk) -> dict[str, str]:
    return {"HTTP_IF_MATCH": f'"{Claim.objects.get(pk=d.claim.pk).version}"'}


CALLS = [
    # Pages.
    Call("home", "GET", _none, api=False),
    Call("dashboard", "GET", _slug, api=False),
    Call("article_new", "GET", _slug, api=False),
    Call(
        "article_new", "POST", _slug, lambda d, w: {"title": "T", "source": "Text.", "source_format": "text"},
        api=False,
    ),
    Call("article", "GET", _article, api=False),
    Call("article_edit", "GET", _article, api=False),
    Call(
        "article_edit", "POST", _article, lambda d, w: {"source": "New.", "source_format": "text", "revision": 1},
        api=False,
    ),
    Call("snapshot_copy", "GET", lambda d, w: [d.snapshot.pk], api=False),
    Call("snapshot_text", "GET", lambda d, w: [d.snapshot.pk], api=False),
    Call("snapshot_warc", "GET", lambda d, w: [d.snapshot.pk], api=False),
    Call("claim_wacz", "GET", _claim, api=False),
    Call("article_wacz", "GET", _article, api=False),
    Call("snapshot_replay", "GET", lambda d, w: [d.snapshot.pk], api=False),
    Call("corrections_log", "GET", _slug, api=False),
    Call("queues", "GET", _slug, api=False),
    Call(
        "queues_bulk_assign", "POST", _slug,
        lambda d, w: {"claim_ids": [d.claim.pk], f"version-{d.claim.pk}": 1, "assignee": d.users["reviewer"].pk},
        api=False,
    ),
    Call(
        "queues_bulk_due", "POST", _slug,
        lambda d, w: {"claim_ids": [d.claim.pk], f"version-{d.claim.pk}": 1, "due_at": "2031-05-06T10:00",
                      "operation": "set"},
        api=False,
    ),
    Call("team_settings", "GET", _slug, api=False),
    Call("team_member_add", "POST", _slug, lambda d, w: {"username": "outsider-1", "role": "reviewer"}, api=False),
    Call("team_member_role", "POST", _member_page, lambda d, w: {"role": "editor"}, api=False),
    Call("team_member_remove", "POST", _member_page, api=False),
    Call("team_rating_scale", "POST", _slug, lambda d, w: {}, api=False),
    Call("team_due_days", "POST", _slug, lambda d, w: {"default_due_days": 9}, api=False),
    Call("team_similarity_threshold", "POST", _slug, lambda d, w: {"similarity_threshold": 0.6}, api=False),
    Call("team_suggestions", "POST", _slug, lambda d, w: {"suggestions_enabled": "on"}, api=False),
    Call(
        "team_profile", "POST", _slug,
        lambda d, w: {"public_name": "The Desk", "public_url": "https://desk.example.org/", "logo_url": ""},
        api=False,
    ),
    Call(
        "team_review_import", "POST", _slug,
        lambda d, w: {"reviews-file": ContentFile(b'{"@type": "ClaimReview"}', name="reviews.json")},
        api=False,
    ),
    Call(
        "team_review_feed_add", "POST", _slug, lambda d, w: {"feed-url": "https://feeds.example.org/claimreview.json"},
        api=False,
    ),
    Call("team_review_feed_refresh", "POST", lambda d, w: [d.team.slug, *_review_feed(d, w)], api=False),
    Call("team_review_feed_remove", "POST", lambda d, w: [d.team.slug, *_review_feed(d, w)], api=False),
    # Integrations (tests/annotations/views/test_integrations.py).
    Call("integrations", "GET", _slug, api=False),
    Call(
        "webhook_add", "POST", _slug, lambda d, w: {"url": "https://h.example.org/", "events": ["verdict.published"]},
        api=False,
    ),
    Call("webhook_endpoint", "GET", lambda d, w: [d.team.slug, d.endpoint.pk], api=False),
    Call("webhook_set_active", "POST", lambda d, w: [d.team.slug, d.endpoint.pk], lambda d, w: {}, api=False),
    Call("webhook_ping", "POST", lambda d, w: [d.team.slug, d.endpoint.pk], api=False),
    Call("webhook_delete", "POST", lambda d, w: [d.team.slug, d.endpoint.pk], api=False),
    Call("webhook_redeliver", "POST", lambda d, w: [d.team.slug, d.endpoint.pk, _delivered(d)], api=False),
    # Public pages (the fact-check page itself is tested in tests/annotations/views/test_public.py).
    Call("public_index", "GET", _slug, api=False),
    Call("public_feed", "GET", _slug, api=False),
    Call("sitemap", "GET", _none, api=False),
    Call("favicon", "GET", _none, api=False),
    # API.
    Call("api-teams", "GET", _none, outsider=(200,)),
    Call("api-team", "GET", _team),
    Call("api-team-claimreview", "GET", _team),
    Call("api-team-keys", "GET", _team),
    Call("api-team-keys", "POST", _team, lambda d, w: {"name": "k"}),
    Call("api-team-webhooks", "GET", _team),
    Call(
        "api-team-webhooks", "POST", _team,
        lambda d, w: {"url": "https://h.example.org/", "events": ["verdict.published"]},
    ),
    Call("notification_inbox", "GET", _none, api=False),
    Call("notification_read", "POST", _notification, api=False),
    Call("notification_read_all", "POST", _none, api=False),
    Call("notification_preferences", "GET", _none, api=False),
    Call("notification_preferences", "POST", _none, api=False),
    Call("api-notifications", "GET", _none),
    Call("api-notification-read", "POST", _notification),
    Call("api-notifications-read-all", "POST", _none),
    Call("api-notification-preferences", "GET", _none),
    Call(
        "api-notification-preferences", "PUT", _none,
        lambda d, w: {"preferences": [{"kind": "mention", "in_app": True, "email": False}]},
    ),
    Call("api-tokens", "GET", _none),
    Call("api-tokens", "POST", _none, lambda d, w: {"name": "t"}),
    Call("api-token", "DELETE", lambda d, w: [d.tokens.get(w, d.tokens["reviewer"]).pk]),
    Call("api-webhook", "GET", lambda d, w: [d.endpoint.pk]),
    Call("api-webhook", "DELETE", lambda d, w: [d.endpoint.pk]),
    Call("api-webhook-deliveries", "GET", lambda d, w: [d.endpoint.pk]),
    Call("api-articles", "GET", _none, outsider=(200,)),
    Call(
        "api-articles", "POST", _none, lambda d, w: {"team": d.team.pk, "source": "T.", "source_format": "text"},
        outsider=(400,),
    ),
    Call(
        "api-captures", "POST", _none,
        lambda d, w: {"team": d.team.pk, "url": "https://news.example/a", "html": "<p>The wall cost €48m.</p>"},
        outsider=(400,),
    ),
    Call("capture_send", "GET", _slug, api=False),
    Call("capture_send", "POST", _slug, api=False),
    Call("capture_window", "GET", _slug, api=False, query="?origin=https://news.example"),
    Call("capture_extension", "GET", _slug, api=False),
    Call("api-article", "GET", _article),
    Call("api-article", "PATCH", _article, lambda d, w: {"source": "New.", "source_format": "text", "revision": 1}),
    Call("api-article-claims", "GET", _article),
    Call("api-article-highlights", "GET", _article),
    Call("api-article-claims", "POST", _article, lambda d, w: {"exact": "flood wall"}),
    Call("api-article-annotations", "GET", _article),
    Call("api-article-annotations", "OPTIONS", _article),
    Call("api-article-annotation-page", "GET", lambda d, w: [d.article.pk, 0]),
    Call("api-article-annotation-page", "OPTIONS", lambda d, w: [d.article.pk, 0]),
    Call(
        "api-article-annotations", "POST", _article,
        lambda d, w: {"target": {"selector": {"type": "TextQuoteSelector", "exact": "council"}}},
    ),
    Call("api-article-annotation", "GET", lambda d, w: [d.article.pk, d.claim.pk]),
    Call("api-article-annotation", "OPTIONS", lambda d, w: [d.article.pk, d.claim.pk]),
    Call(
        "api-article-annotation", "PUT", lambda d, w: [d.article.pk, d.claim.pk],
        lambda d, w: {
            "target": {"selector": {"type": "TextQuoteSelector", "exact": "flood wall"}},
            "body": {"type": "TextualBody", "purpose": "describing", "value": "The wall."},
        },
        headers=lambda d: {"HTTP_IF_MATCH": "*"},
    ),
    Call(
        "api-article-annotation", "DELETE", lambda d, w: [d.article.pk, d.claim.pk],
        headers=lambda d: {"HTTP_IF_MATCH": "*"},
    ),
    Call("api-claims", "GET", _none, outsider=(200,)),
    Call("api-claim", "GET", _claim),
    Call("api-claim", "PATCH", _claim, lambda d, w: {"restated": "The wall cost €48m.", "version": 1}),
    Call("api-claim", "DELETE", _claim, headers=_version),
    Call("api-claim-annotation", "GET", _claim),
    Call("api-claim-annotation", "OPTIONS", _claim),
    Call("api-claim-sources", "GET", _claim),
    Call("api-claim-sources", "POST", _claim, lambda d, w: {"url": "https://example.org/x", "stance": "refutes"}),
    Call("api-claim-verdicts", "GET", _claim),
    Call(
        "api-claim-verdicts", "POST", _claim,
        lambda d, w: {"rating": d.team.rating_scale.ratings.first().pk, "summary": "No.", "version": 1},
    ),
    Call("api-claim-comments", "GET", _claim),
    Call("api-claim-comments", "POST", _claim, lambda d, w: {"body": "Look at the minutes."}),
    Call("api-claim-events", "GET", _claim),
    Call("api-source", "GET", lambda d, w: [d.source.pk]),
    Call("api-source-refetch", "POST", lambda d, w: [d.source.pk]),
    Call("api-claim-transitions", "GET", _claim),
    Call(
        "api-claim-transitions", "POST", _claim,
        lambda d, w: {"action": "not_check_worthy", "reason": "Opinion.", "version": 1},
    ),
    Call("api-claim-similar", "GET", _claim),
    Call("api-claim-similar", "POST", _claim, lambda d, w: {"earlier": d.other.pk, "version": 1}),
    Call("api-queues", "GET", _none, query="?team={team}"),
    Call(
        "api-queues-bulk-assign", "POST", _none,
        lambda d, w: {
            "team": d.team.pk, "claims": [{"id": d.claim.pk, "version": 1}], "assignee": d.users["reviewer"].pk
        },
    ),
    Call("api-team-members", "GET", _team),
    Call("api-team-members", "POST", _team, lambda d, w: {"username": "outsider-1", "role": "reviewer"}),
    Call("api-team-member", "PATCH", _member, lambda d, w: {"role": "editor"}),
    Call("api-team-member", "DELETE", _member),
    Call("api-team-rating-scale", "GET", _team),
    Call("api-team-rating-scale", "PUT", _team, lambda d, w: {"ratings": []}),
    Call("api-team-workflow", "GET", _team),
    Call(
        "api-team-workflow", "PATCH", _team,
        lambda d, w: {"suggestions_enabled": False} if w == "editor"
        else {"default_due_days": 9, "similarity_threshold": 0.6},
    ),
    Call("api-article-suggestions", "GET", _article),
    Call("api-suggestion-accept", "POST", _suggestion),
    Call("api-suggestion-dismiss", "POST", _suggestion),
    Call("api-team-review-feeds", "GET", _team),
    Call("api-team-review-feeds", "POST", _team, lambda d, w: {"url": "https://feeds.example.org/other.json"}),
    Call("api-review-feed", "DELETE", _review_feed),
    Call("api-review-feed-refresh", "POST", _review_feed),
    Call("api-team-external-reviews", "GET", _team),
    Call(
        "api-team-external-reviews", "POST", _team,
        lambda d, w: {"@type": "ClaimReview", "claimReviewed": "X", "url": "https://checks.example.org/x"},
    ),
    Call(
        "team_invitation_create", "POST", _slug,
        lambda d, w: {"email": "nina@example.org", "role": "editor"}, api=False,
    ),
    Call("team_invitation_resend", "POST", _invitation, api=False),
    Call("team_invitation_revoke", "POST", _invitation, api=False),
    Call("team_member_deactivate", "POST", _member_page, api=False),
    Call("team_member_reactivate", "POST", _deactivated, api=False),
    Call("profile", "GET", _none, api=False),
    Call("profile", "POST", _none, lambda d, w: {"first_name": "A", "last_name": "B", "email": ""}, api=False),
    Call("password_change", "GET", _none, api=False),
    Call("password_change", "POST", _none, lambda d, w: {"old_password": "x"}, api=False),
    Call("api-external-review", "DELETE", _external_review),
]  # fmt: skip

# Routes whose behaviour for every caller is tested on their own: public, or Django's.
ELSEWHERE = {"healthz", "login", "logout", "api-schema", "api-docs", "api-claim-claimreview", "public_fact_check"}
# A published fact-check's sources as a WACZ: tests/annotations/views/test_archives.py.
ELSEWHERE |= {"public_fact_check_wacz"}
# The JSON-LD context and agent documents of the Web Annotations: tests/annotations/api/test_webannotation.py.
ELSEWHERE |= {"ns-workbench-context", "ns-agent"}
# Invitation links and OpenID Connect sign-in: tests/annotations/views/test_people.py.
ELSEWHERE |= {"invitation_accept", "oidc_start", "oidc_callback"}
WHO = ("reviewer", "editor", "admin", "outsider", "anonymous", "key")


def test_every_route_and_method_has_a_call() -> None:
    called = {(c.name, c.method) for c in CALLS}
    for _, namespace, pattern in ROUTES:
        if namespace in FRAMEWORK_NAMESPACES or pattern.name in ELSEWHERE:
            continue
        for method in _methods(pattern.callback):
            assert (pattern.name, method) in called, f"add a Call for {pattern.name} {method}"


def _expected(call: Call, who: str, resolver_callback: Any) -> str:
    """ "ok" (the view ran), "refused" (403), "missing" (404) or "sign-in" by the policy table."""
    rule = policy.rule(policy.route_actions(resolver_callback)[call.method])
    if rule.audience == policy.PUBLIC:
        return "ok"
    if who == "anonymous":
        return "sign-in"
    if who == "key":
        return "ok" if rule.team_key else "refused"
    if rule.audience == policy.SIGNED_IN:
        return "ok"
    if who == "outsider":
        return "missing"
    assert rule.role is not None
    return "ok" if ROLE_RANK[Role(who)] >= ROLE_RANK[Role(rule.role)] else "refused"


def _client(d: Desk, who: str, api: bool) -> Any:
    client: Any = APIClient()
    if who == "key":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {d.key}")
    elif who != "anonymous":
        client.force_login(d.users[who])
    return client


# Team keys are API credentials; pages take a session.
CASES = [(call, who) for call in CALLS for who in WHO if call.api or who != "key"]


@pytest.mark.django_db
@pytest.mark.parametrize(("call", "who"), CASES, ids=[f"{c.name}-{c.method}-{w}" for c, w in CASES])
def test_role_meets_the_policy_on_every_route(desk: Desk, call: Call, who: str) -> None:
    url = reverse(call.name, args=call.args(desk, who)) + call.query.format(team=desk.team.pk)
    expected = _expected(call, who, get_resolver().resolve(url.split("?")[0]).func)
    client = _client(desk, who, call.api)
    extra = call.headers(desk) if call.headers else {}
    body = call.body(desk, who) if call.body else None
    send = getattr(client, call.method.lower())
    if call.api:
        response = send(url, body, format="json", **extra) if body is not None else send(url, **extra)
    else:
        response = send(url, body or {}, **extra) if call.method == "POST" else send(url, **extra)
    status = response.status_code
    if expected == "ok":
        assert status not in (401, 403, 404), (status, getattr(response, "content", b"")[:300])
        assert status < 500
    elif expected == "refused":
        assert status == 403, (status, getattr(response, "content", b"")[:300])
    elif expected == "missing":
        assert status in call.outsider, status
    else:
        assert status in (401, 403) if call.api else status == 302 and "/login/" in response["Location"]


# --- The lifecycle table and the policy agree ------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("step", sorted(TRANSITIONS))
@pytest.mark.parametrize("role", [Role.REVIEWER, Role.EDITOR, Role.ADMIN])
@pytest.mark.parametrize("status", list(ClaimStatus))
def test_the_lifecycle_steps_are_policy_actions(step: str, role: Role, status: ClaimStatus) -> None:
    """The claim panel's offers and the services' refusals come from one table (no database needed)."""
    from annotations.selectors.workflow import transition_refusal

    team = Team(pk=1)
    claim = Claim(pk=1, team=team, status=status)
    membership = Membership(team=team, user_id=1, role=role)
    by_policy = policy.refusal(action=policy.transition_action(step), membership=membership, claim=claim)
    rule = policy.rule(policy.transition_action(step))
    allowed_states = rule.states_for(role) or frozenset()
    role_ok = rule.role is None or ROLE_RANK[role] >= ROLE_RANK[Role(rule.role)]
    if role_ok and status in allowed_states:
        assert by_policy is None
    else:
        assert isinstance(by_policy, (NotAllowed, Conflict))
    # A verdict by someone else, approved and published, so only the role and the state decide.
    now = timezone.now()
    verdict = Verdict(claim=claim, author_id=-1, approved_at=now, published_at=now)
    refusal = transition_refusal(claim=claim, membership=membership, action=step, verdict=verdict)
    if by_policy is not None:
        assert refusal is not None, (step, role, status)
