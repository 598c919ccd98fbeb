"""The replay page of a snapshot: team members only; ReplayWeb.page from the app's own static files,
reading the snapshot's WARC from the app, with scripts off in the replayed page.
The browser side is tests/e2e/test_replay.py."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.urls import reverse

from annotations.models import Snapshot, SnapshotStatus
from annotations.views.replay import REPLAYED_PAGE_POLICY
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def archived(team, *, warc: bytes | None = b"WARC/1.1\r\n") -> Snapshot:
    snapshot = Snapshot(
        team=team,
        url="https://news.example/story",
        final_url="https://news.example/story/",
        status=SnapshotStatus.FETCHED,
        sha256="a" * 64,
        title="Port <budget>",
        fetched_at=datetime(2026, 11, 2, 9, 30, 5, tzinfo=UTC),
    )
    if warc is not None:
        snapshot.warc.save("story.warc.gz", ContentFile(warc), save=False)
    snapshot.save()
    return snapshot


def login(client, user) -> None:
    assert client.login(username=user.username, password=TEST_PASSWORD)


def replay_data(page: str) -> dict[str, str]:
    holder = re.search(r'<div id="replay"[^>]*>', page, re.DOTALL)
    assert holder is not None
    return {name: html.unescape(value) for name, value in re.findall(r'data-([a-z-]+)="([^"]*)"', holder.group(0))}


def test_the_page_replays_the_snapshots_warc_from_the_apps_own_copy_of_replaywebpage(
    client, reviewer, team, django_assert_max_num_queries
):
    snapshot = archived(team)
    login(client, reviewer)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("snapshot_replay", args=[snapshot.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    data = replay_data(page)
    assert data["source"] == reverse("snapshot_warc", args=[snapshot.pk])
    assert data["url"] == "https://news.example/story/"
    assert data["ts"] == "20261102093005"
    assert data["base"] == f"{settings.STATIC_URL}replay/"
    assert json.loads(data["config"]) == {"csp": REPLAYED_PAGE_POLICY}
    assert data["title"] == "Port <budget>"
    assert "Port &lt;budget&gt;" in page and "<budget>" not in page
    assert f'src="{settings.STATIC_URL}replay/ui.js"' in page
    assert 'role="status"' in page and 'aria-label="Replay of the preserved page"' in page
    # The site's own policy is unchanged: nothing from elsewhere.
    assert "'self'" in response["Content-Security-Policy"] and "http" not in response["Content-Security-Policy"]


def test_the_replayed_page_runs_no_script_and_reaches_nothing_outside_the_archive():
    directives = dict(d.split(" ", 1) for d in REPLAYED_PAGE_POLICY.split("; "))
    assert directives["sandbox"] == "allow-same-origin"
    assert directives["script-src"] == "'none'"
    assert directives["object-src"] == "'none'" and directives["form-action"] == "'none'"
    assert all("http" not in sources and "*" not in sources for sources in directives.values())


def test_make_install_put_replaywebpage_under_the_replay_base():
    """The service worker sits in the replay base, so its scope covers the replay frame."""
    assert finders.find("replay/ui.js") and finders.find("replay/sw.js")


def test_a_snapshot_without_a_warc_says_so(client, reviewer, team):
    snapshot = archived(team, warc=None)
    login(client, reviewer)
    page = client.get(reverse("snapshot_replay", args=[snapshot.pk])).content.decode()
    assert "This snapshot has no archive to replay." in page
    assert 'id="replay"' not in page and "replay/ui.js" not in page


def test_another_team_and_anonymous_users_cannot_open_the_replay(client, outsider, team):
    snapshot = archived(team)
    anonymous = client.get(reverse("snapshot_replay", args=[snapshot.pk]))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    login(client, outsider)
    assert client.get(reverse("snapshot_replay", args=[snapshot.pk])).status_code == 404


def test_opened_from_a_claim_it_replays_the_claims_wacz_and_only_a_claim_that_cites_the_page(
    client, reviewer, team, outsider
):
    from annotations.models import Source
    from tests.factories import ArticleFactory, ClaimFactory

    snapshot = archived(team)
    citing = ClaimFactory.create(article=ArticleFactory(team=team))
    Source.objects.create(team=team, claim=citing, url=snapshot.url, stance="supports", snapshot=snapshot)
    other = ClaimFactory.create(article=ArticleFactory(team=team))
    url = reverse("snapshot_replay", args=[snapshot.pk])
    login(client, reviewer)

    wacz = reverse("claim_wacz", args=[citing.pk])
    assert replay_data(client.get(f"{url}?claim={citing.pk}").content.decode())["source"] == wacz
    # A claim that does not cite the page, or a claim id that is no number: the page's own WARC.
    for query in (f"?claim={other.pk}", "?claim=x"):
        data = replay_data(client.get(url + query).content.decode())
        assert data["source"] == reverse("snapshot_warc", args=[snapshot.pk])
    foreign = ClaimFactory.create(article=ArticleFactory(team=outsider.memberships.get().team))
    assert client.get(f"{url}?claim={foreign.pk}").status_code == 404
