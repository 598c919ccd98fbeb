from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from annotations.capture import read_capture
from annotations.errors import InvalidInput
from annotations.models import ArticleOrigin, AuditEvent, Claim, Snapshot
from annotations.services.capture import article_capture
from annotations.services.snapshots import snapshot_reusable

pytestmark = pytest.mark.django_db

PARAGRAPHS = [
    "The harbour authority announced on Monday that the new flood wall will cost 48 million euros, "
    "twice the figure given to the council last spring.",
    "Critics said the wall was designed before the latest sea-level projections were published, and "
    "that the authority has not explained the increase in cost.",
    "The mayor defended the project, saying that every euro spent now saves ten in damage later, a "
    "claim that engineers in the region have questioned repeatedly.",
]


def page(paragraphs: list[str] = PARAGRAPHS, *, extra: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        "<!DOCTYPE html><html><head><title>Flood wall cost doubles</title>"
        '<link rel="canonical" href="https://news.example/flood-wall">'
        f"</head><body><nav>Home | World</nav><article><h1>Flood wall cost doubles</h1>{body}{extra}</article>"
        "<footer>Copyright</footer></body></html>"
    )


def capture(html: str, **fields: Any) -> Any:
    data = {"url": "https://news.example/flood-wall?utm_source=x", "html": html, **fields}
    return read_capture(data, max_html_bytes=10_000_000)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_a_capture_becomes_an_article_with_its_snapshot_and_provenance(team: Any, reviewer: Any) -> None:
    html = page()
    outcome = article_capture(
        team=team, user=reviewer, capture=capture(html, canonical_url="https://news.example/flood-wall")
    )
    article = outcome.article
    assert outcome.action == "created" and outcome.selection == "none" and outcome.claim is None
    assert "twice the figure given to the council" in article.text
    assert "Copyright" not in article.text
    assert article.origin == ArticleOrigin.CAPTURED and article.origin_by == reviewer and article.origin_at
    assert article.origin_url == "https://news.example/flood-wall"
    assert article.canonical_url == "https://news.example/flood-wall"
    snapshot = outcome.snapshot
    assert article.origin_snapshot == snapshot and snapshot.captured_by == reviewer
    assert snapshot.sha256 == hashlib.sha256(html.encode()).hexdigest()
    with default_storage.open(snapshot.body.name, "rb") as stored:
        assert stored.read() == html.encode()
    assert AuditEvent.objects.filter(action="article.capture", target_id=article.pk).exists()


def test_a_captured_snapshot_is_never_reused_as_the_servers_fetch(team: Any, reviewer: Any) -> None:
    outcome = article_capture(team=team, user=reviewer, capture=capture(page()))
    assert snapshot_reusable(team=team, url=outcome.snapshot.url) is None


def test_the_selection_becomes_a_claim_on_the_extracted_text(team: Any, reviewer: Any) -> None:
    selected = "the new flood wall will cost 48\n   million euros"
    outcome = article_capture(
        team=team,
        user=reviewer,
        capture=capture(page(), selection={"exact": selected, "prefix": "announced on Monday that ", "suffix": ","}),
    )
    claim = outcome.claim
    assert outcome.selection == "placed" and claim is not None
    assert claim.exact == "the new flood wall will cost 48 million euros"
    assert outcome.article.text[claim.start : claim.end] == claim.exact
    assert claim.prefix.endswith("announced on Monday that ")


def test_a_selection_not_in_the_text_leaves_a_clear_message_and_no_claim(team: Any, reviewer: Any) -> None:
    outcome = article_capture(team=team, user=reviewer, capture=capture(page(), selection={"exact": "Home | World"}))
    assert outcome.selection == "not_placed" and outcome.claim is None
    assert "could not be found" in outcome.message
    assert not Claim.objects.filter(article=outcome.article).exists()


def test_a_page_without_article_text_is_refused_and_nothing_is_kept(team: Any, reviewer: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        article_capture(
            team=team, user=reviewer, capture=capture("<html><body><script>var a = 1;</script></body></html>")
        )
    assert refused.value.field == "html"
    assert not Snapshot.objects.exists()


def test_capturing_the_same_page_again_is_a_new_revision_and_claims_follow(team: Any, editor: Any) -> None:
    first = article_capture(
        team=team, user=editor, capture=capture(page(), selection={"exact": "every euro spent now saves ten"})
    )
    claim = first.claim
    assert claim is not None
    changed = ["Update: the authority now says the figure is final.", *PARAGRAPHS]
    again = article_capture(team=team, user=editor, capture=capture(page(changed)))
    assert again.action == "revised" and again.article.pk == first.article.pk
    assert again.article.revision == 2 and again.article.origin_snapshot == again.snapshot
    claim.refresh_from_db()
    assert claim.anchored_revision == 2 and claim.anchor_outcome == "moved"
    assert again.article.text[claim.start : claim.end] == "every euro spent now saves ten"
    same = article_capture(team=team, user=editor, capture=capture(page(changed)))
    assert same.action == "unchanged" and same.article.revision == 2


def test_a_reviewer_recapturing_keeps_the_article_and_marks_on_it(team: Any, reviewer: Any, editor: Any) -> None:
    first = article_capture(team=team, user=editor, capture=capture(page()))
    again = article_capture(
        team=team,
        user=reviewer,
        capture=capture(page(["Changed.", *PARAGRAPHS]), selection={"exact": "twice the figure"}),
    )
    assert again.action == "kept" and again.article.pk == first.article.pk and again.article.revision == 1
    assert "editor role" in again.message and again.claim is not None


def test_a_foreign_canonical_url_cannot_take_over_another_article(team: Any, editor: Any) -> None:
    victim = article_capture(team=team, user=editor, capture=capture(page()))
    hostile = read_capture(
        {
            "url": "https://evil.example/x",
            "canonical_url": "https://news.example/flood-wall",
            "html": page(["Lies."] * 3),
        },
        max_html_bytes=10_000_000,
    )
    outcome = article_capture(team=team, user=editor, capture=hostile)
    assert outcome.action == "created" and outcome.article.pk != victim.article.pk
    assert outcome.article.canonical_url == "https://evil.example/x"
