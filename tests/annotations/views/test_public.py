"""Public fact-check pages, the team index, the Atom feed and the sitemap: no login, only what was published."""

from __future__ import annotations

import datetime
import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from annotations.models import Article, Claim, Snapshot, Source, Team, Verdict
from annotations.services.articles import article_create
from annotations.services.claims import claim_create
from annotations.services.comments import comment_add
from annotations.services.workflow import claim_propose_correction, claim_reopen, claim_retract, claim_update
from annotations.views.public import INDEX_PAGE_SIZE
from tests.factories import ArticleFactory, ClaimFactory, TeamFactory, correct_claim, publish_claim

pytestmark = pytest.mark.django_db

HOSTILE = '</script><script>alert("x")</script><b>'
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def people(reviewer: Any, editor: Any) -> dict[str, Any]:
    reviewer.first_name, reviewer.last_name, reviewer.email = "Rita", "Reyes", "rita@desk.example.org"
    reviewer.save()
    editor.first_name, editor.last_name, editor.email = "Eddie", "Ekwueme", "eddie@desk.example.org"
    editor.save()
    return {"reviewer": reviewer, "editor": editor}


def hostile_article(team: Team) -> Article:
    return article_create(
        team=team,
        user=None,
        title=f"Harbour budget {HOSTILE}",
        source=f"The mayor said {HOSTILE} at the meeting. The harbour wall cost €48 million.",
        source_format="text",
        canonical_url="https://news.example.org/harbour",
        publisher="Harbour Gazette",
        published_on=datetime.date(2025, 3, 30),
        language="en-GB",
    )


def cite(claim: Claim, url: str, stance: str, *, fetched: datetime.datetime | None, sha: str = "a") -> Source:
    snapshot = None
    if fetched is not None:
        snapshot = Snapshot.objects.create(
            team=claim.team,
            url=url,
            status="fetched",
            sha256=sha * 64,
            fetched_at=fetched,
            title=f"Report at {url}",
        )
    return Source.objects.create(
        team=claim.team, claim=claim, url=url, stance=stance, snapshot=snapshot, note="Internal: call the clerk."
    )


@pytest.fixture
def fact_check(team: Team, people: dict[str, Any]) -> Claim:
    """A published claim with hostile text everywhere a desk can type, two sources and a comment."""
    claim = claim_create(article=hostile_article(team), user=people["reviewer"], exact=HOSTILE)
    claim = claim_update(
        claim=claim,
        user=people["reviewer"],
        version=claim.version,
        restated=f"The mayor said {HOSTILE}",
        claimant=f"Mayor {HOSTILE}",
        claim_date=datetime.date(2025, 3, 28),
    )
    earlier = timezone.now() - datetime.timedelta(hours=2)
    cite(claim, "https://records.example.org/tender", "refutes", fetched=earlier, sha="b")
    cite(claim, "https://blog.example.org/post", "context", fetched=None)
    comment_add(claim=claim, user=people["editor"], body="Secret desk chatter.")
    return publish_claim(
        claim,
        reviewer=people["reviewer"],
        editor=people["editor"],
        summary=f"The tender says €38m {HOSTILE}",
        rationale=f"First paragraph {HOSTILE}.\n\nSecond paragraph.",
    )


def page_path(claim: Claim) -> str:
    return reverse("public_fact_check", args=[claim.team.slug, claim.pk])


def json_ld(html: str) -> list[dict[str, Any]]:
    return [json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def assert_no_script_and_no_inline_style(html: str) -> None:
    assert set(re.findall(r"<script\b[^>]*>", html)) <= {'<script type="application/ld+json">'}
    assert " style=" not in html and "<style" not in html
    assert 'href="javascript:' not in html


# --- One fact-check ----------------------------------------------------------------------------


def test_the_page_shows_the_published_fact_check_to_anyone(client: Any, team: Team, fact_check: Claim) -> None:
    response = client.get(page_path(fact_check))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html and '<main id="main"' in html and "<header" in html and "<footer" in html
    assert html.count("<h1") == 1
    escaped = "&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;"
    # The claim as quoted, where it appeared, who said it and when.
    assert f"<p>{escaped}</p>" in html and 'lang="en-GB"' in html
    assert 'href="https://news.example.org/harbour"' in html and f"Harbour budget {escaped}" in html
    assert "Harbour Gazette" in html and "30 March 2025" in html
    assert f"Mayor {escaped}" in html and "28 March 2025" in html
    assert f"The mayor said {escaped}" in html
    # The rating and its place on the scale; the summary and the rationale.
    assert (
        'class="rating-label">False<' in html
        and "False is 2 on" in html
        and "from 1 (Pants on fire) to 6 (True)" in html
    )
    assert 'aria-current="true"' in html
    assert f"The tender says €38m {escaped}" in html
    assert f"<p>First paragraph {escaped}.</p>" in html and "<p>Second paragraph.</p>" in html
    # Every source with its stance, its link, and the preserved copy's date and hash.
    assert 'href="https://records.example.org/tender"' in html and "Refutes" in html
    assert 'href="https://blog.example.org/post"' in html and "Context" in html
    assert "b" * 64 in html and "Copy preserved on" in html and "No preserved copy." in html
    # Who checked it and who approved it, by name only.
    assert "Rita Reyes" in html and "Eddie Ekwueme" in html
    # Nothing that was not published.
    for private in ("Secret desk chatter.", "Internal: call the clerk.", "@desk.example.org", "rita", "eddie"):
        assert private not in html, private
    assert_no_script_and_no_inline_style(html)
    assert "<script>alert" not in html and "<b>" not in html.split("</head>", 1)[1]


def test_the_json_ld_is_the_claimreview_and_text_cannot_break_out(client: Any, fact_check: Claim) -> None:
    html = client.get(page_path(fact_check)).content.decode()
    head = html.split("</head>", 1)[0]
    assert head.count("</script>") == 1  # the hostile "</script>" in the claim is escaped inside the JSON
    [review] = json_ld(html)
    assert review["@type"] == "ClaimReview" and review["url"] == f"http://testserver{page_path(fact_check)}"
    assert review["claimReviewed"] == f"The mayor said {HOSTILE}"
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": f"Mayor {HOSTILE}"}
    assert review["reviewBody"].startswith(f"The tender says €38m {HOSTILE}\n\nFirst paragraph")
    assert f'<link rel="canonical" href="{review["url"]}">' in html


def test_a_correction_shows_the_history_and_moves_date_modified(
    client: Any, fact_check: Claim, people: dict[str, Any]
) -> None:
    first = client.get(page_path(fact_check)).content.decode()
    [before] = json_ld(first)
    assert "Corrections and history" not in first and "Last updated" not in first
    correct_claim(
        fact_check,
        label="Half true",
        summary="It was €44m after the revised tender.",
        note="The council published a revised tender.",
        **people,
    )
    html = client.get(page_path(fact_check)).content.decode()
    [after] = json_ld(html)
    assert after["url"] == before["url"] and after["datePublished"] == before["datePublished"]
    correction = Verdict.objects.get(claim=fact_check, is_current=True)
    assert correction.corrects_id is not None and correction.published_at is not None
    assert after["dateModified"] == correction.published_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert after["reviewRating"]["alternateName"] == "Half true"
    history = html[html.index('id="record-heading"') :]
    assert "Corrected." in history and "previously False" in history
    assert "The council published a revised tender." in history
    assert "The tender says €38m" in history and "It was €44m after the revised tender." in history
    assert "Published." in history and "Last updated" in html


def test_a_correction_under_review_is_not_shown(client: Any, fact_check: Claim, people: dict[str, Any]) -> None:
    claim_propose_correction(
        claim=fact_check,
        user=people["reviewer"],
        rating=Verdict.objects.get(claim=fact_check).rating.scale.ratings.get(label="True"),
        summary="Draft correction text.",
        note="Draft note.",
    )
    html = client.get(page_path(fact_check)).content.decode()
    assert "Draft correction text." not in html and "Draft note." not in html
    assert json_ld(html)[0]["reviewRating"]["alternateName"] == "False"


def test_a_retraction_leaves_a_tombstone_without_claimreview(
    client: Any, fact_check: Claim, people: dict[str, Any]
) -> None:
    claim_retract(claim=fact_check, user=people["editor"], note=f"The tender was forged {HOSTILE}.")
    response = client.get(page_path(fact_check))
    assert response.status_code == 200
    html = response.content.decode()
    assert json_ld(html) == [] and "application/ld+json" not in html
    assert "<title>Retracted:" in html and "This fact-check was retracted" in html
    assert "The tender was forged &lt;/script&gt;" in html and "Why it was retracted" in html
    assert "False" in html and "The tender says €38m" in html  # what was retracted stays on the record
    assert "Eddie Ekwueme" not in html  # a retraction speaks for the team
    assert "records.example.org" not in html  # the withdrawn research is not republished
    assert_no_script_and_no_inline_style(html)


def test_a_reopened_claim_keeps_its_tombstone_and_hides_its_new_wording(
    client: Any, fact_check: Claim, people: dict[str, Any]
) -> None:
    claim = claim_retract(claim=fact_check, user=people["editor"], note="Forged tender.")
    claim = claim_reopen(claim=claim, user=people["editor"])
    claim_update(claim=claim, user=people["editor"], version=claim.version, restated="A draft rewording.")
    html = client.get(page_path(fact_check)).content.decode()
    assert (
        "This fact-check was retracted" in html
        and "A draft rewording." not in html
        and "Mayor" not in html.split("<main", 1)[1]
    )


def test_a_claim_never_published_is_404(client: Any, team: Team, fact_check: Claim, people: dict[str, Any]) -> None:
    draft = ClaimFactory(article=ArticleFactory(team=team), exact="flood wall")
    assert client.get(page_path(draft)).status_code == 404
    other = TeamFactory()
    assert client.get(reverse("public_fact_check", args=[other.slug, fact_check.pk])).status_code == 404
    assert client.get(reverse("public_fact_check", args=["no-such-team", fact_check.pk])).status_code == 404
    assert client.post(page_path(fact_check)).status_code == 405


def test_the_page_costs_the_same_queries_however_many_sources_and_verdicts(
    client: Any, team: Team, people: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    claim = ClaimFactory.create(
        article=ArticleFactory(team=team, canonical_url="https://news.example.org/a"), exact="flood wall"
    )
    cite(claim, "https://example.org/0", "supports", fetched=timezone.now())
    claim = publish_claim(claim, **people)
    with django_assert_max_num_queries(8) as few:
        assert client.get(page_path(claim)).status_code == 200
    for i in range(1, 6):
        cite(claim, f"https://example.org/{i}", "refutes", fetched=timezone.now(), sha=str(i))
    for label in ("Half true", "Mostly true"):
        claim = correct_claim(claim, label=label, summary=f"Now {label}.", note=f"Because {label}.", **people)
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(page_path(claim)).content.decode()
    assert html.count('class="preserved"') == 6 and html.count("Corrected.") == 2


def test_the_copy_shown_is_the_one_preserved_when_the_verdict_was_published(
    client: Any, team: Team, people: dict[str, Any]
) -> None:
    claim = ClaimFactory.create(article=ArticleFactory(team=team), exact="flood wall")
    source = cite(claim, "https://example.org/report", "supports", fetched=timezone.now(), sha="c")
    claim = publish_claim(claim, **people)
    refetched = Snapshot.objects.create(
        team=team, url=source.url, status="fetched", sha256="d" * 64, fetched_at=timezone.now(), title="Changed"
    )
    Source.objects.filter(pk=source.pk).update(snapshot=refetched)
    cite(claim, "https://example.org/later", "supports", fetched=timezone.now(), sha="e")  # cited after publication
    html = client.get(page_path(claim)).content.decode()
    assert "c" * 64 in html and "d" * 64 not in html and "example.org/later" not in html


# --- The index ---------------------------------------------------------------------------------


def test_the_index_lists_the_teams_fact_checks_newest_first_in_pages(
    client: Any, team: Team, people: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    article = ArticleFactory(team=team)
    claims = [
        publish_claim(ClaimFactory(article=article, exact="council", hint=i), **people)
        for i in range(INDEX_PAGE_SIZE + 1)
    ]
    ClaimFactory(article=article, exact="river")  # never published
    retracted = claim_retract(claim=claims[0], user=people["editor"], note="Wrong meeting.")
    url = reverse("public_index", args=[team.slug])
    with django_assert_max_num_queries(6):
        response = client.get(url)
    html = response.content.decode()
    links = re.findall(rf'href="/fact-checks/{team.slug}/(\d+)/"', html)
    assert len(links) == INDEX_PAGE_SIZE
    assert int(links[0]) == retracted.pk and "Retracted:" in html  # the latest change first
    assert int(links[1]) == claims[-1].pk
    assert 'rel="next"' in html and "Page 1 of 2" in html
    second = client.get(f"{url}?page=2").content.decode()
    assert re.findall(rf'href="/fact-checks/{team.slug}/(\d+)/"', second) == [str(claims[1].pk)]
    assert f'<link rel="canonical" href="http://testserver{url}?page=2">' in second
    assert_no_script_and_no_inline_style(html)
    assert client.get(reverse("public_index", args=["no-such-team"])).status_code == 404


def test_an_empty_index(client: Any, team: Team) -> None:
    html = client.get(reverse("public_index", args=[team.slug])).content.decode()
    assert "No fact-checks published yet." in html


# --- The feed and the sitemap ------------------------------------------------------------------


def test_the_atom_feed_is_valid_xml_with_an_entry_per_fact_check(
    client: Any, team: Team, fact_check: Claim, people: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    other = publish_claim(ClaimFactory(article=ArticleFactory(team=team), exact="flood wall"), **people)
    claim_retract(claim=other, user=people["editor"], note="Wrong wall.")
    team.public_name = "Harbour Facts"
    team.save()
    with django_assert_max_num_queries(4):
        response = client.get(reverse("public_feed", args=[team.slug]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "Harbour Facts: fact-checks"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Retracted: flood wall",
        f"False: The mayor said {HOSTILE}",
    ]
    links = [link.get("href") for e in entries if (link := e.find(f"{ATOM}link")) is not None]
    assert links == [f"http://testserver{page_path(other)}", f"http://testserver{page_path(fact_check)}"]
    assert all(e.findtext(f"{ATOM}updated") for e in entries)
    summary = entries[1].findtext(f"{ATOM}summary") or ""
    assert "&lt;/script&gt;" in summary  # HTML-escaped text, so a reader never runs it
    assert client.get(reverse("public_feed", args=["no-such-team"])).status_code == 404


def test_the_sitemap_lists_every_public_page_and_index(
    client: Any, team: Team, fact_check: Claim, people: dict[str, Any]
) -> None:
    draft = ClaimFactory(article=ArticleFactory(team=team), exact="flood wall")
    other_team = TeamFactory()
    TeamFactory()  # nothing published: no index in the sitemap
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    locations = [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    assert f"http://testserver{page_path(fact_check)}" in locations
    assert f"http://testserver{reverse('public_index', args=[team.slug])}" in locations
    assert f"http://testserver{page_path(draft)}" not in locations
    assert f"http://testserver{reverse('public_index', args=[other_team.slug])}" not in locations
    assert len(locations) == 2
