"""WACZ downloads of a claim's, an article's and a published fact-check's preserved sources, and a
snapshot's WARC: real fetches from the loopback server, `wacz validate` on what is served, and team
isolation."""

from __future__ import annotations

import io
import ipaddress
import socket
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from wacz.main import main as wacz_main

from annotations.fetching import system_connector
from annotations.models import Claim, Snapshot, Source
from annotations.services.snapshots import snapshot_fetch, snapshot_for_source
from annotations.services.workflow import claim_retract
from tests.annotations.sources_server import SourceServer, serving
from tests.factories import ArticleFactory, ClaimFactory, TeamFactory, publish_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def server() -> Iterator[SourceServer]:
    with serving() as state:
        yield state


@pytest.fixture(autouse=True)
def fetch_settings(settings: Any, server: SourceServer, tmp_path: Path) -> Any:
    settings.FETCH_ALLOW_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.FETCH_EXTRA_PORTS = [server.port]
    settings.FETCH_TIMEOUT_SECONDS = 5.0
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings


def guard(address: tuple[str, int], timeout: float | None) -> socket.socket:
    if ipaddress.ip_address(address[0]) != ipaddress.ip_address("127.0.0.1"):
        pytest.fail(f"the fetcher tried to connect to {address}")
    return system_connector(address, timeout)


def cite(claim: Claim, url: str) -> Snapshot:
    source = Source.objects.create(team=claim.team, claim=claim, url=url, stance="supports")
    snapshot, _ = snapshot_for_source(source=source)
    snapshot_fetch(snapshot_id=snapshot.pk, connector=guard)
    return Snapshot.objects.get(pk=snapshot.pk)


@pytest.fixture
def claim(team: Any) -> Any:
    article = ArticleFactory(team=team, source="The bill spends $770 billion, up 5%.", source_format="text")
    return ClaimFactory(article=article, exact="spends $770 billion, up 5%")


@pytest.fixture
def cited(claim: Claim, server: SourceServer) -> list[Snapshot]:
    return [cite(claim, server.loopback("/report")), cite(claim, server.loopback("/redirect/0"))]


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def archives_in(response: Any, tmp_path: Path) -> list[str]:
    """The WARCs of a served WACZ, after `wacz validate` passed on it."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/wacz"
    assert response["Content-Disposition"].startswith("attachment;")
    path = tmp_path / "served.wacz"
    path.write_bytes(b"".join(response.streaming_content))
    assert wacz_main(["validate", "-f", str(path)]) == 0
    with zipfile.ZipFile(path) as wacz:
        return sorted(name for name in wacz.namelist() if name.startswith("archive/"))


def names(*snapshots: Snapshot) -> list[str]:
    return sorted(f"archive/snapshot-{snapshot.pk}.warc.gz" for snapshot in snapshots)


def test_a_claims_sources_download_as_one_valid_wacz(claim, cited, reviewer, tmp_path):
    response = signed_in(reviewer).get(reverse("claim_wacz", args=[claim.pk]))
    assert archives_in(response, tmp_path) == names(*cited)
    assert response["Cache-Control"] == "private, no-cache"


def test_an_articles_wacz_holds_every_claims_sources_and_no_other_article(claim, cited, reviewer, server, tmp_path):
    other_claim = ClaimFactory(article=claim.article, exact="up 5%")
    pdf = cite(other_claim, server.loopback("/doc.pdf"))
    elsewhere = cite(ClaimFactory(article=ArticleFactory(team=claim.team)), server.loopback("/report.txt"))

    response = signed_in(reviewer).get(reverse("article_wacz", args=[claim.article_id]))

    archived = archives_in(response, tmp_path)
    assert archived == names(*cited, pdf) and names(elsewhere)[0] not in archived


def test_the_downloads_are_the_teams_alone(claim, cited, outsider, client):
    for url in (
        reverse("claim_wacz", args=[claim.pk]),
        reverse("article_wacz", args=[claim.article_id]),
        reverse("snapshot_warc", args=[cited[0].pk]),
    ):
        assert signed_in(outsider).get(url).status_code == 404
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_another_teams_snapshot_never_enters_a_teams_wacz(claim, cited, reviewer, server, tmp_path):
    stranger = TeamFactory()
    foreign = cite(ClaimFactory(article=ArticleFactory(team=stranger)), server.loopback("/doc.pdf"))
    Source.objects.create(team=claim.team, claim=claim, url=foreign.url, stance="context", snapshot=foreign)

    response = signed_in(reviewer).get(reverse("claim_wacz", args=[claim.pk]))

    assert archives_in(response, tmp_path) == names(*cited)


def test_nothing_preserved_yet_is_a_404(claim, reviewer, server):
    Source.objects.create(team=claim.team, claim=claim, url=server.loopback("/gone"), stance="supports")
    assert signed_in(reviewer).get(reverse("claim_wacz", args=[claim.pk])).status_code == 404


def test_a_snapshots_warc_downloads_as_stored(cited, reviewer):
    snapshot = cited[1]
    response = signed_in(reviewer).get(reverse("snapshot_warc", args=[snapshot.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/warc"
    assert f'filename="snapshot-{snapshot.pk}.warc.gz"' in response["Content-Disposition"]
    with default_storage.open(snapshot.warc.name, "rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()


def test_the_claim_json_links_the_warcs_and_the_wacz(claim, cited, reviewer):
    from annotations.api.serializers.claim_json import claim_json_by_id

    item = claim_json_by_id(claim.pk)
    assert item is not None and item["wacz_url"] == reverse("claim_wacz", args=[claim.pk])
    assert [source["snapshot"]["warc_url"] for source in item["sources"]] == [
        reverse("snapshot_warc", args=[snapshot.pk]) for snapshot in cited
    ]


# --- Published fact-checks -----------------------------------------------------------------------


@pytest.fixture
def published(claim: Claim, cited: list[Snapshot], reviewer: Any, editor: Any) -> Claim:
    return publish_claim(claim, reviewer=reviewer, editor=editor)


def test_a_published_fact_checks_sources_are_public_as_a_wacz(published, cited, client, server, tmp_path):
    later = cite(published, server.loopback("/doc.pdf"))  # cited after publication: not on the public page
    url = reverse("public_fact_check_wacz", args=[published.team.slug, published.pk])

    page = client.get(reverse("public_fact_check", args=[published.team.slug, published.pk]))
    assert page.status_code == 200 and f'href="{url}"' in page.content.decode()

    response = client.get(url)
    assert archives_in(response, tmp_path) == names(*cited), f"not snapshot {later.pk}, cited after publication"
    assert response["Cache-Control"] == "public, max-age=300"


def test_no_public_wacz_before_publication_or_after_a_retraction(claim, cited, client, reviewer, editor):
    url = reverse("public_fact_check_wacz", args=[claim.team.slug, claim.pk])
    assert client.get(url).status_code == 404

    published = publish_claim(claim, reviewer=reviewer, editor=editor)
    assert client.get(url).status_code == 200
    claim_retract(claim=published, user=editor, note="The report was forged.")
    assert client.get(url).status_code == 404
    assert (
        "sources.wacz"
        not in client.get(reverse("public_fact_check", args=[claim.team.slug, claim.pk])).content.decode()
    )


def test_a_published_page_without_preserved_copies_offers_no_wacz(claim, reviewer, editor, client):
    published = publish_claim(claim, reviewer=reviewer, editor=editor)
    page = client.get(reverse("public_fact_check", args=[published.team.slug, published.pk]))
    assert page.status_code == 200 and "sources.wacz" not in page.content.decode()
    assert client.get(reverse("public_fact_check_wacz", args=[published.team.slug, published.pk])).status_code == 404


def test_the_public_wacz_is_read_back_with_its_index(published, cited, client):
    response = client.get(reverse("public_fact_check_wacz", args=[published.team.slug, published.pk]))
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as wacz:
        index = wacz.read("indexes/index.cdx").decode()
    assert index.count('"status": "200"') == 2 and index.count('"status": "302"') == 1


def test_a_wacz_is_built_once_and_read_in_byte_ranges_until_what_it_holds_changes(
    claim, cited, reviewer, server, tmp_path
):
    from annotations.services.archives import WACZ_DIRECTORY

    client = signed_in(reviewer)
    url = reverse("claim_wacz", args=[claim.pk])
    whole = b"".join(client.get(url).streaming_content)
    assert len(default_storage.listdir(WACZ_DIRECTORY)[1]) == 1

    # A player reads the ZIP's end, then a member: the same package, kept, in ranges.
    tail = client.get(url, HTTP_RANGE="bytes=-22")
    assert tail.status_code == 206 and tail["Content-Range"] == f"bytes {len(whole) - 22}-{len(whole) - 1}/{len(whole)}"
    assert b"".join(tail.streaming_content) == whole[-22:]
    middle = client.get(url, HTTP_RANGE="bytes=100-199")
    assert b"".join(middle.streaming_content) == whole[100:200]
    assert len(default_storage.listdir(WACZ_DIRECTORY)[1]) == 1

    cite(claim, server.loopback("/report.txt"))  # a new citation: another package
    assert archives_in(client.get(url), tmp_path) == names(*Snapshot.objects.filter(sources__claim=claim))
    assert len(default_storage.listdir(WACZ_DIRECTORY)[1]) == 2
