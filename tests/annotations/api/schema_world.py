"""The world the schemathesis run sends its requests to, and the valid parts of a request pointed at it.

A schema can say what an id, a version or a link looks like, not which ones exist; `real_request`
points the valid parts of a generated request at real rows, the current versions and links that
lead somewhere, and `real_annotation` a valid Web Annotation at the passage the article holds and,
for PUT, at the annotation as it is (what PUT must send back unchanged).
"""

from __future__ import annotations

import json
from typing import Any

from rest_framework.test import APIRequestFactory
from schemathesis.core.parameters import ParameterLocation

from annotations.api.auth import token_hash
from annotations.api.serializers.common import MAX_ID
from annotations.api.w3c import views as w3c_views
from annotations.models import (
    ApiToken,
    Article,
    Claim,
    ExternalReview,
    Membership,
    Notification,
    Rating,
    ReviewFeed,
    Source,
    Suggestion,
    TokenKind,
    WebhookDelivery,
    WebhookEndpoint,
)
from annotations.services.api_keys import api_token_create
from annotations.services.comments import comment_add
from annotations.services.external_reviews import external_reviews_import
from annotations.services.suggestions import article_suggest
from annotations.services.verdicts import verdict_propose
from tests.annotations.published_reviews import claim_review
from tests.annotations.sources_server import SourceServer
from tests.factories import (
    ARTICLE_SOURCE,
    ArticleFactory,
    ClaimFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    rating,
)

# The credentials schemathesis sends: a member of the team (an admin), and a member of another team.
MEMBER, OUTSIDER = "member", "outsider"
TOKENS = {MEMBER: "fcw_schemathesis_member_not_a_secret", OUTSIDER: "fcw_schemathesis_outsider_not_a_secret"}


def add_token(user: Any, identity: str) -> None:
    plaintext = TOKENS[identity]
    ApiToken.objects.create(
        kind=TokenKind.PERSONAL, name=identity, user=user, prefix=plaintext[:12], key_hash=token_hash(plaintext)
    )


def build_world(pages: SourceServer) -> dict[str, Any]:
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
    add_token(admin, MEMBER)
    add_token(outsider, OUTSIDER)
    spare = api_token_create(user=admin, name="spare")
    endpoint = WebhookEndpoint.objects.create(
        team=team, url="https://hooks.example.org/in", events=["verdict.published"], secret="s" * 32
    )
    WebhookDelivery.objects.create(team=team, endpoint=endpoint, event="verdict.published", payload={})
    feed = ReviewFeed.objects.create(team=team, url=pages.loopback("/claimreview-feed.json"))
    external_reviews_import(team=team, user=admin, document={**claim_review(1), "url": "https://checks.example.org/r"})
    start = article.text.index("council")
    article_suggest(article_id=article.pk)
    suggestion = Suggestion.objects.filter(article=article).order_by("id").first()
    assert suggestion is not None, "the article has a check-worthy span no claim covers"
    ids = {
        "team_id": team.pk,
        "article_id": article.pk,
        "claim_id": claim.pk,
        "source_id": source.pk,
        "token_id": spare.token.pk,
        "endpoint_id": endpoint.pk,
        "member_id": Membership.objects.get(team=team, user=reviewer).pk,
        "feed_id": feed.pk,
        "review_id": ExternalReview.objects.get(team=team).pk,
        "suggestion_id": suggestion.pk,
        "notification_id": Notification.objects.create(
            recipient=admin, team=team, kind="mention", claim=claim, summary="Mentioned.", link="/"
        ).pk,
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
            "/api/v1/teams/{team_id}/review-feeds/": pages.loopback("/another-claimreview-feed.json"),
            "annotations": article.canonical_url,
            "": "https://example.org/report",
        },
    }


def is_valid(case: Any, location: ParameterLocation) -> bool:
    return not (case.meta is not None and case.meta.is_negative_at(location))


def real_request(case: Any, world: dict[str, Any], *, paths: bool = True) -> None:
    """Point the valid parts of a request at real rows, the current versions and links that lead somewhere.

    A schema can say what an id, a version or a link looks like, not which ones exist; nor rules
    over a whole list (a rating scale keeps the ratings verdicts use, its labels unique).
    """
    if paths and case.path_parameters and is_valid(case, ParameterLocation.PATH):
        case.path_parameters = {name: world["ids"].get(name, value) for name, value in case.path_parameters.items()}
    claim_id = row_id((case.path_parameters or {}).get("claim_id")) or world["claim"].pk
    version = Claim.objects.filter(pk=claim_id).values_list("version", flat=True).first() or 1
    if "If-Match" in case.headers and is_valid(case, ParameterLocation.HEADER):
        case.headers["If-Match"] = f'"{version}"'
    if case.path == "/api/v1/queues/" and case.query and is_valid(case, ParameterLocation.QUERY):
        # The queues' cursor is opaque (annotations/selectors/queues.py): only one it issued is valid.
        case.query = {**{k: v for k, v in case.query.items() if k != "cursor"}, "team": world["ids"]["team_id"]}
    if isinstance(case.body, dict) and is_valid(case, ParameterLocation.BODY):
        link = world["links"].get(case.path, world["links"][""])
        real = {
            **world["body"],
            "version": version,
            "revision": Article.objects.filter(pk=world["article"].pk).values_list("revision", flat=True).first() or 1,
            "url": link,
            "canonical_url": link,
            "claims": [{"id": world["claim"].pk, "version": version}],
            # A page captured in a browser (POST /api/v1/captures/): readable text, sent from its own origin.
            "html": f"<html><body><article><p>{ARTICLE_SOURCE}</p></article></body></html>",
            "page_origin": "https://example.org",
        }
        if "username" in case.body:
            real["username"] = UserFactory().username  # someone not yet a member
        if case.path in ANNOTATION_WRITES:
            real_annotation(case, world)
        else:
            case.body = {name: real.get(name, value) for name, value in case.body.items()}


ANNOTATION_WRITES = {
    "/api/v1/articles/{article_id}/annotations/",
    "/api/v1/articles/{article_id}/annotations/{claim_id}",
}
WRITTEN_BY_THE_SERVER = ("id", "canonical", "via", "created", "modified", "generated", "creator", "generator")


def listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def row_id(value: Any) -> int | None:
    """A path parameter that can name a row (a generated one may be "null,null" or past bigint)."""
    number = value if isinstance(value, int) else int(value) if isinstance(value, str) and value.isdigit() else 0
    return number if 0 < number <= MAX_ID else None


def annotation_now(article_id: int | None, claim_id: int | None) -> dict[str, Any]:
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


def real_annotation(case: Any, world: dict[str, Any]) -> None:
    """A valid Web Annotation, made to name what exists: the article's passage "council" (its quote and
    span), a report's link for a new source, at most one restated claim; for PUT, the annotation's
    identities, target and written bodies as they are, which PUT keeps."""
    article, body = world["article"], dict(case.body)
    text, start = article.text, world["body"]["start"]
    end = world["body"]["end"]
    if case.method.upper() == "PUT":
        ids = {name: row_id(value) for name, value in (case.path_parameters or {}).items()}
        current = annotation_now(ids.get("article_id"), ids.get("claim_id"))
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
        for target in listed(body["target"]):
            if "source" in target:
                source = world["links"]["annotations"]
                target["source"] = {**target["source"], "id": source} if isinstance(target["source"], dict) else source
            for selector in listed(target["selector"]):
                if selector["type"] == "TextQuoteSelector":
                    selector["exact"] = text[start:end]
                    selector.update(prefix=text[max(0, start - 32) : start], suffix=text[end : end + 32])
                else:
                    selector.update(start=start, end=end)
    if "body" in body:
        new, restated = [], 0
        for item in listed(body["body"]):
            if "created" in item:
                continue  # a written body: the real ones are sent back below
            if "source" in item:
                item["source"] = world["links"][""]
            elif "commenting" not in listed(item.get("purpose")):
                restated += 1
                if restated > 1:
                    continue
            new.append(item)
        body["body"] = written + new
    elif written:
        body["body"] = written
    case.body = body
