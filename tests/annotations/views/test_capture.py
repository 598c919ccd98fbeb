from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from annotations.capture import read_capture
from annotations.models import ApiToken, Article, ArticleOrigin
from annotations.services.articles import article_create
from annotations.services.capture import article_capture
from tests.annotations.api.test_capture import hostile_markup
from tests.annotations.services.test_capture import PARAGRAPHS, page
from tests.factories import publish_claim

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def test_the_send_page_offers_the_bookmarklet_and_the_extension(client: Any, team: Any, reviewer: Any) -> None:
    client.force_login(reviewer)
    answer = client.get(reverse("capture_send", args=[team.slug]))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert 'id="bookmarklet" href="javascript:' in html
    assert reverse("capture_extension", args=[team.slug]) in html
    dashboard = client.get(reverse("dashboard", args=[team.slug])).content.decode()
    assert reverse("capture_send", args=[team.slug]) in dashboard


def test_a_token_for_the_extension_is_shown_once_and_stored_hashed(client: Any, team: Any, reviewer: Any) -> None:
    client.force_login(reviewer)
    answer = client.post(reverse("capture_send", args=[team.slug]))
    assert answer.status_code == 201
    html = answer.content.decode()
    token = ApiToken.objects.get(user=reviewer)
    shown = html.split('id="issued-token" type="text" readonly value="', 1)[1].split('"', 1)[0]
    assert shown.startswith(token.prefix) and token.key_hash not in html and shown != token.key_hash


def test_the_extension_download_is_built_for_this_workbench(client: Any, team: Any, reviewer: Any) -> None:
    client.force_login(reviewer)
    answer = client.get(reverse("capture_extension", args=[team.slug]))
    assert answer["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    assert json.loads(archive.read("config.json")) == {"workbench": "http://testserver", "team": team.pk}
    assert json.loads(archive.read("manifest.json"))["host_permissions"] == ["http://testserver/*"]


def test_the_window_keeps_its_opener_and_refuses_a_bad_origin(client: Any, team: Any, reviewer: Any) -> None:
    client.force_login(reviewer)
    url = reverse("capture_window", args=[team.slug])
    answer = client.get(url, {"origin": "https://news.example"})
    assert answer.status_code == 200
    assert answer["Cross-Origin-Opener-Policy"] == "unsafe-none"
    assert "'unsafe-inline'" not in answer["Content-Security-Policy"]
    settings_json = answer.content.decode().split('id="capture-settings" type="application/json">', 1)[1]
    data = json.loads(settings_json.split("</script>", 1)[0])
    assert data["origin"] == "https://news.example" and len(data["nonce"]) >= 24
    for bad in ("https://news.example/path", "javascript:alert(1)", "", "null"):
        refused = client.get(url, {"origin": bad})
        assert refused.status_code == 400 and b"capture-window.js" not in refused.content


def test_the_pages_need_a_member(client: Any, team: Any, outsider: Any) -> None:
    assert client.get(reverse("capture_window", args=[team.slug])).status_code == 302
    client.force_login(outsider)
    assert client.get(reverse("capture_send", args=[team.slug])).status_code == 404


def test_the_reading_view_and_the_public_page_say_how_the_article_came_in(
    client: Any, team: Any, reviewer: Any, editor: Any
) -> None:
    hostile = page([*PARAGRAPHS, 'Note <img src=x onerror="alert(1)"> <script>alert(2)</script> the end of it all.'])
    outcome = article_capture(
        team=team,
        user=reviewer,
        capture=read_capture(
            {
                "url": "https://news.example/flood-wall",
                "html": hostile,
                "selection": {"exact": "twice the figure given to the council"},
            },
            max_html_bytes=10_000_000,
        ),
    )
    assert outcome.claim is not None
    client.force_login(reviewer)
    reading = client.get(reverse("article", args=[outcome.article.pk])).content.decode()
    assert "Captured in a browser by rita on" in reading and hostile_markup(reading) == []
    publish_claim(outcome.claim, reviewer=reviewer, editor=editor)
    client.logout()
    public = client.get(reverse("public_fact_check", args=[team.slug, outcome.claim.pk])).content.decode()
    assert "Captured in a browser on" in public and "https://news.example/flood-wall" in public
    assert "rita" not in public.split('id="article-provenance"', 1)[1].split("</p>", 1)[0]
    assert "alert(" not in public


def test_pasted_articles_say_so(client: Any, team: Any, reviewer: Any) -> None:
    article = article_create(team=team, user=reviewer, title="T", source="Some text.", source_format="text")
    assert article.origin == ArticleOrigin.PASTED and article.origin_by == reviewer
    client.force_login(reviewer)
    assert "Pasted in by rita on" in client.get(reverse("article", args=[article.pk])).content.decode()
    assert Article.objects.count() == 1
