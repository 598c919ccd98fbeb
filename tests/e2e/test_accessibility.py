"""axe-core on every page a user meets: no serious or critical violation.

Each page is opened in headless Chromium (signed in where it needs it), axe-core runs on it once it
has settled, and the number of violations by impact is printed for the record (`-s` shows them).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import Page

from annotations.models import Claim, Role, Snapshot, Source, Team
from annotations.services.articles import article_create
from annotations.services.webhooks import webhook_endpoint_create
from tests.factories import ClaimFactory, MembershipFactory, UserFactory, correct_claim, publish_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Axe = importlib.import_module("axe_playwright_python.sync_playwright").Axe  # the package has no type information

SERIOUS = ("serious", "critical")


@dataclass
class Desk:
    team: Team
    admin: Any
    reviewer: Any
    article: Any
    claim: Claim
    snapshot: Snapshot
    endpoint: Any


@pytest.fixture
def desk(team: Team, reviewer: Any, editor: Any, settings: Any, tmp_path: Any) -> Desk:
    settings.MEDIA_ROOT = str(tmp_path)
    admin = MembershipFactory(team=team, user=UserFactory(username="ada"), role=Role.ADMIN).user
    article = article_create(
        team=team,
        user=reviewer,
        title="Council approves flood wall",
        source="# Council approves flood wall\n\nThe wall will cost €48 million, the council said on Tuesday.\n",
        source_format="markdown",
    )
    snapshot = Snapshot.objects.create(
        team=team,
        url="https://records.example.org/tender",
        status="fetched",
        text="Tender results.\nThe winning bid was €38 million.",
        sha256="f" * 64,
        fetched_at=timezone.now(),
        title="Tender results",
        content_type="text/plain",
    )
    snapshot.body.save("tender.txt", ContentFile(b"Tender results."), save=True)
    claim = ClaimFactory.create(article=article, exact="€48 million")
    Source.objects.create(team=team, claim=claim, url=snapshot.url, stance="refutes", snapshot=snapshot)
    claim = publish_claim(claim, reviewer=reviewer, editor=editor, rationale="The tender says €38m.")
    claim = correct_claim(
        claim, reviewer=reviewer, editor=editor, label="Half true", summary="It was €44m.", note="Revised tender."
    )
    endpoint = webhook_endpoint_create(
        team=team, user=admin, url="https://hooks.example.org/in", events=["verdict.published"]
    )
    return Desk(team, admin, reviewer, article, claim, snapshot, endpoint)


@dataclass(frozen=True)
class Visit:
    name: str
    path: Callable[[Desk], str]
    who: str = "admin"  # "admin", "reviewer" or "anonymous"
    ready: str = "main, #swagger-ui"
    status: int = 200


VISITS = [
    Visit("login", lambda d: "/login/", who="anonymous"),
    Visit("home", lambda d: "/"),
    Visit("dashboard", lambda d: f"/t/{d.team.slug}/"),
    Visit("new article", lambda d: f"/t/{d.team.slug}/articles/new/"),
    Visit("reading view", lambda d: f"/articles/{d.article.pk}/", ready="body[data-reader-ready='1']"),
    Visit("article edit", lambda d: f"/articles/{d.article.pk}/edit/"),
    Visit("queues", lambda d: f"/t/{d.team.slug}/queues/"),
    Visit("team settings", lambda d: f"/t/{d.team.slug}/settings/"),
    Visit("team settings (reviewer)", lambda d: f"/t/{d.team.slug}/settings/", who="reviewer"),
    Visit("integrations", lambda d: f"/t/{d.team.slug}/settings/integrations/"),
    Visit("webhook deliveries", lambda d: f"/t/{d.team.slug}/settings/integrations/{d.endpoint.pk}/"),
    Visit("corrections log", lambda d: f"/corrections/{d.team.slug}/", who="anonymous"),
    Visit("snapshot text", lambda d: f"/snapshots/{d.snapshot.pk}/text"),
    Visit("snapshot replay", lambda d: f"/snapshots/{d.snapshot.pk}/replay/"),
    Visit("public index", lambda d: f"/fact-checks/{d.team.slug}/", who="anonymous"),
    Visit("public fact-check", lambda d: f"/fact-checks/{d.team.slug}/{d.claim.pk}/", who="anonymous"),
    Visit("API docs", lambda d: "/api/v1/docs/", who="anonymous", ready="#swagger-ui .opblock"),
    Visit("403", lambda d: f"/t/{d.team.slug}/settings/integrations/", who="reviewer", status=403),
    Visit("404", lambda d: "/articles/999999999/", status=404),
]


def violations(page: Page) -> list[dict[str, Any]]:
    return list(Axe().run(page).response["violations"])


@pytest.mark.parametrize("visit", VISITS, ids=[v.name for v in VISITS])
def test_no_serious_accessibility_violations(
    visit: Visit, desk: Desk, login_page: Callable[[Any], Page], new_context: Callable[..., Any]
) -> None:
    page = new_context().new_page() if visit.who == "anonymous" else login_page(getattr(desk, visit.who))
    # The API docs load Swagger UI's bundle and the whole schema: slower than a page.
    response = page.goto(visit.path(desk), timeout=60_000)
    assert response is not None and response.status == visit.status
    page.wait_for_selector(visit.ready, timeout=60_000)
    page.wait_for_load_state("networkidle")
    found = violations(page)
    counts = {impact: sum(len(v["nodes"]) for v in found if v["impact"] == impact) for impact in
              ("critical", "serious", "moderate", "minor")}  # fmt: skip
    print(f"axe-core {visit.name}: {counts}")
    serious = [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])}×): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in found
        if v["impact"] in SERIOUS
    ]
    assert serious == [], "\n".join(serious)
