"""The public fact-check page and index in headless Chromium: readable with JavaScript off, and no
serious or critical accessibility violation that axe-core finds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, expect

from annotations.models import Claim, Snapshot, Source, Team
from annotations.services.workflow import claim_retract, claim_update
from tests.e2e.helpers import serious_violations
from tests.factories import ArticleFactory, ClaimFactory, correct_claim, publish_claim

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def published(team: Team, reviewer: Any, editor: Any) -> Claim:
    article = ArticleFactory(
        team=team, title="Council approves flood wall", canonical_url="https://news.example.org/flood-wall"
    )
    claim = ClaimFactory.create(article=article, exact="€48 million")
    claim = claim_update(claim=claim, user=reviewer, version=claim.version, claimant="Ines Okafor")
    snapshot = Snapshot.objects.create(
        team=team,
        url="https://records.example.org/tender",
        status="fetched",
        sha256="f" * 64,
        fetched_at=timezone.now(),
    )
    Source.objects.create(team=team, claim=claim, url=snapshot.url, stance="refutes", snapshot=snapshot)
    claim = publish_claim(claim, reviewer=reviewer, editor=editor, rationale="The tender says €38m.\n\nSee page 4.")
    return correct_claim(
        claim, reviewer=reviewer, editor=editor, label="Half true", summary="It was €44m.", note="Revised tender."
    )


def test_the_fact_check_page_reads_without_javascript(
    new_context: Callable[..., BrowserContext], published: Claim, team: Team, artifacts_dir: Path
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Security Policy" in message.text else None)
    page.goto(f"/fact-checks/{team.slug}/{published.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("“€48 million”")
    expect(page.get_by_role("heading", name="Our rating: Half true")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Ines Okafor")
    expect(page.get_by_role("link", name="Council approves flood wall")).to_have_attribute(
        "href", "https://news.example.org/flood-wall"
    )
    expect(page.get_by_role("main")).to_contain_text("f" * 64)
    expect(page.get_by_role("heading", name="Corrections and history")).to_be_visible()
    expect(page.get_by_role("navigation", name="Fact-checks")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "public-fact-check.png"), full_page=True)
    assert refused == []  # nothing inline for the Content-Security-Policy to refuse
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts_dir / "public-fact-check-print.png"), full_page=True)


def test_the_fact_check_page_and_the_index_have_no_serious_accessibility_violations(
    new_context: Callable[..., BrowserContext], published: Claim, team: Team, reviewer: Any, editor: Any
) -> None:
    retracted = publish_claim(
        ClaimFactory(article=published.article, exact="flood wall"), reviewer=reviewer, editor=editor
    )
    claim_retract(claim=retracted, user=editor, note="The minutes we relied on were of another meeting.")
    page = new_context().new_page()
    for path in (
        f"/fact-checks/{team.slug}/{published.pk}/",
        f"/fact-checks/{team.slug}/{retracted.pk}/",
        f"/fact-checks/{team.slug}/",
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert serious_violations(page) == [], path
