"""Importing an article from a URL through the safe fetcher, against the loopback server."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest

from annotations.errors import InvalidInput
from annotations.models import Article, Snapshot, SnapshotStatus
from annotations.services.article_import import article_import_url
from tests.annotations.sources_server import SourceServer, serving

pytestmark = pytest.mark.django_db


@pytest.fixture
def server() -> Iterator[SourceServer]:
    with serving() as state:
        yield state


@pytest.fixture(autouse=True)
def fetch_settings(settings, server: SourceServer, tmp_path):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = ["127.0.0.1"]
    settings.FETCH_EXTRA_PORTS = [server.port, server.private_port]
    settings.FETCH_TIMEOUT_SECONDS = 5.0
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_page_text_becomes_the_article_text(team, reviewer, server):
    article = article_import_url(team=team, user=reviewer, url=server.loopback("/report?utm_source=x"))

    assert article.title == "Defence budget report"
    assert article.source_format == "text"
    assert article.text.split("\n\n") == [
        "Defence budget report",
        "Congress passed the annual defence bill in December.",
        "The bill authorises 770 billion dollars of spending, a 5% increase on the year before.",
        'Officials called it "a historic investment" in readiness.',
    ]
    assert "Home | About" not in article.text
    assert article.canonical_url == server.loopback("/report")
    assert article.authors == ["Jane Analyst"]
    assert article.published_on == datetime.date(2022, 1, 5)
    assert article.created_by == reviewer
    snapshot = Snapshot.objects.get(team=team, url=server.loopback("/report"))
    assert snapshot.status == SnapshotStatus.FETCHED and snapshot.body


def test_a_given_title_wins_and_a_recent_snapshot_is_reused(team, reviewer, server):
    first = article_import_url(team=team, user=reviewer, url=server.loopback("/report"))
    second = article_import_url(team=team, user=reviewer, url=server.loopback("/report"), title="My title")

    assert second.title == "My title" and second.text == first.text
    assert server.hits["/report"] == 1


def test_plain_text_is_kept_as_it_is(team, reviewer, server):
    article = article_import_url(team=team, user=reviewer, url=server.loopback("/report.txt"))
    assert article.text == "Plain words: 770 billion dollars."


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/gone", "410 Gone"),
        ("/always-500", "503 Service Unavailable"),
        ("/image.png", "not extracted"),
        ("/redirect-private-listener", "Refused"),
    ],
)
def test_a_page_that_cannot_be_imported_is_an_error_on_the_url(team, reviewer, server, path, message):
    with pytest.raises(InvalidInput) as error:
        article_import_url(team=team, user=reviewer, url=server.loopback(path))

    assert error.value.field == "url" and message in error.value.message
    assert not Article.objects.exists()
    assert server.hits[path] == 1, "the import does not retry in the request"
    assert server.private_requests == []


@pytest.mark.parametrize("url", ["not a link", "ftp://news.example/file", "http://127.0.0.2:1/"])
def test_a_bad_or_private_link_is_refused(team, reviewer, url):
    with pytest.raises(InvalidInput) as error:
        article_import_url(team=team, user=reviewer, url=url)
    assert error.value.field == "url"
    assert not Article.objects.exists()
