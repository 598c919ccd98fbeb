"""The New article page imports a page by URL through the safe fetcher (loopback test server)."""

from collections.abc import Iterator

import pytest
from django.urls import reverse

from annotations.models import Article
from tests.annotations.sources_server import SourceServer, serving
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def server() -> Iterator[SourceServer]:
    with serving() as state:
        yield state


@pytest.fixture
def logged_in(client, reviewer, settings, server, tmp_path):
    settings.FETCH_EXTRA_PORTS = [server.port, server.private_port]
    settings.FETCH_TIMEOUT_SECONDS = 5.0
    settings.MEDIA_ROOT = tmp_path / "media"
    assert client.login(username=reviewer.username, password=TEST_PASSWORD)
    return client


def test_a_url_becomes_the_article(logged_in, team, settings, server):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = ["127.0.0.1"]
    response = logged_in.post(reverse("article_new", args=[team.slug]), {"url": server.loopback("/report")})
    article = Article.objects.get(team=team)
    assert response.status_code == 302 and response["Location"] == reverse("article", args=[article.pk])
    assert article.title == "Defence budget report"
    assert "770 billion dollars" in article.text


def test_a_refused_url_is_a_form_error_and_nothing_is_fetched(logged_in, team, settings, server):
    settings.FETCH_ALLOW_PRIVATE_HOSTS = []
    response = logged_in.post(reverse("article_new", args=[team.slug]), {"url": server.loopback("/report")})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Refused" in html and 'id="id_url-error"' in html
    assert not Article.objects.filter(team=team).exists()
    assert server.hits["/report"] == 0
