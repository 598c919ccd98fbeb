from __future__ import annotations

import json
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.handlers.wsgi import LimitedStream
from django.test import RequestFactory
from rest_framework.test import APIClient

from annotations.api.capture import CaptureCreate
from annotations.models import Article, ArticleOrigin, Claim, Snapshot
from annotations.services.api_keys import api_token_create
from tests.annotations.services.test_capture import PARAGRAPHS, page

pytestmark = pytest.mark.django_db
URL = "/api/v1/captures/"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


class _Markup(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        if tag in ("iframe", "img", "object", "embed"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"{tag} {name}")

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert(" in data:
            self.found.append("script")

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False


def hostile_markup(html: str) -> list[str]:
    """Elements or attributes in `html` that would run the captured page's code or load from it."""
    parser = _Markup()
    parser.feed(html)
    return parser.found


def body(team: Any, **fields: Any) -> dict[str, Any]:
    return {"team": team.pk, "url": "https://news.example/flood-wall", "html": page(), **fields}


def test_a_personal_token_captures_a_page_with_a_claim(team: Any, token_api: APIClient) -> None:
    answer = token_api.post(
        URL, body(team, selection={"exact": "twice the figure given to the council"}), format="json"
    )
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert data["action"] == "created" and data["selection"]["state"] == "placed"
    claim = Claim.objects.get(pk=data["selection"]["claim"])
    assert claim.exact == data["selection"]["exact"] == "twice the figure given to the council"
    assert data["article"]["provenance"]["origin"] == "captured"
    assert data["open_url"] == f"/articles/{data['article']['id']}/"
    detail = token_api.get(f"/api/v1/articles/{data['article']['id']}/").json()
    assert detail["provenance"]["snapshot"] == data["snapshot"]
    assert detail["provenance"]["url"] == "https://news.example/flood-wall"


def test_the_session_needs_its_csrf_token(team: Any, reviewer: Any) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(reviewer)
    answer = client.post(URL, body(team), format="json")
    assert answer.status_code == 403
    assert not Article.objects.exists()


def test_a_team_key_or_an_outsider_cannot_capture(team: Any, key_api: APIClient, outsider_api: APIClient) -> None:
    assert key_api.post(URL, body(team), format="json").status_code == 403
    answer = outsider_api.post(URL, body(team), format="json")
    assert answer.status_code == 400 and "team" in answer.json()["error"]["fields"]
    assert APIClient().post(URL, body(team), format="json").status_code in (401, 403)


class EndlessBody:
    """A request body that makes its bytes as they are read, and counts them."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        size = 1024 * 1024 if size is None or size < 0 else min(size, 1024 * 1024)
        self.read_bytes += size
        return b"a" * size

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


def test_a_fifty_megabyte_page_is_refused_before_it_is_read(team: Any, reviewer: Any) -> None:
    token = api_token_create(user=reviewer, name="t").plaintext
    stream = EndlessBody()
    request = RequestFactory().generic(
        "POST", URL, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    request.META["CONTENT_LENGTH"] = str(50 * 1024 * 1024)
    request.META["CONTENT_TYPE"] = "application/json"
    request.META["wsgi.input"] = stream
    request._stream = LimitedStream(stream, 50 * 1024 * 1024)  # type: ignore[assignment]
    tracemalloc.start()
    answer = CaptureCreate.as_view()(request)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    answer.render()
    assert answer.status_code == 413
    assert "larger than 10 MB" in json.loads(answer.content)["error"]["message"]
    assert stream.read_bytes == 0
    assert peak < 10 * 1024 * 1024
    assert not Snapshot.objects.exists()


def test_a_page_over_the_limit_without_a_declared_length_is_refused(
    team: Any, token_api: APIClient, settings: Any
) -> None:
    settings.CAPTURE_MAX_BYTES = 1000
    answer = token_api.post(URL, body(team, html="<p>" + "é" * 900 + "</p>"), format="json")
    assert answer.status_code == 413 and "larger than" in answer.json()["error"]["message"]


def test_nul_bytes_are_dropped_from_the_page_and_refused_in_fields(team: Any, token_api: APIClient) -> None:
    answer = token_api.post(URL, body(team, html=page().replace("Critics", "Crit\x00ics")), format="json")
    assert answer.status_code == 201
    assert "\x00" not in Article.objects.get().text and "Critics said" in Article.objects.get().text
    answer = token_api.post(URL, body(team, title="bad\x00title"), format="json")
    assert answer.status_code == 400 and "title" in answer.json()["error"]["fields"]


def test_a_selection_not_in_the_text_still_creates_the_article(team: Any, token_api: APIClient) -> None:
    answer = token_api.post(URL, body(team, selection={"exact": "Home | World"}), format="json")
    assert answer.status_code == 201
    data = answer.json()
    assert data["selection"] == {"state": "not_placed", "claim": None, "exact": "", "prefix": "", "suffix": ""}
    assert "could not be found" in data["message"]


def test_the_declared_origin_must_be_the_pages(team: Any, token_api: APIClient) -> None:
    answer = token_api.post(URL, body(team, page_origin="https://evil.example"), format="json")
    assert answer.status_code == 400 and "page_origin" in answer.json()["error"]["fields"]
    assert token_api.post(URL, body(team, page_origin="https://news.example"), format="json").status_code == 201


@pytest.mark.parametrize(
    "fields",
    [
        {"url": "javascript:alert(1)"},
        {"html": ""},
        {"html": 5},
        {"team": "one"},
        {"selection": {"exact": 3}},
        {"html": "<html><body><script>only()</script></body></html>"},
    ],
)
def test_bad_captures_are_clear_400s(team: Any, token_api: APIClient, fields: dict[str, Any]) -> None:
    answer = token_api.post(URL, {**body(team), **fields}, format="json")
    assert answer.status_code == 400, answer.content
    assert answer.json()["error"]["message"]


def test_nested_or_non_object_bodies_are_refused(team: Any, token_api: APIClient) -> None:
    assert token_api.post(URL, [1, 2], format="json").status_code == 400
    assert token_api.post(URL, body(team, title={"a": 1}), format="json").status_code == 400


def test_scripts_and_handlers_are_never_rendered(team: Any, reviewer: Any, token_api: APIClient, client: Any) -> None:
    hostile = page(
        [
            *PARAGRAPHS,
            'Look <img src=x onerror="alert(1)"> here <script>alert(2)</script> and '
            '&lt;script&gt;alert(3)&lt;/script&gt; <a href="javascript:alert(4)" onclick="alert(5)">link</a>.',
        ],
        extra='<iframe srcdoc="<script>alert(6)</script>"></iframe>',
    )
    answer = token_api.post(URL, body(team, html=hostile, title='<img src=x onerror="alert(7)">'), format="json")
    assert answer.status_code == 201
    article = Article.objects.get()
    assert article.origin == ArticleOrigin.CAPTURED
    client.force_login(reviewer)
    html = client.get(f"/articles/{article.pk}/").content.decode()
    assert hostile_markup(html) == []
    assert "Captured in a browser by" in html
    detail = token_api.get(f"/api/v1/articles/{article.pk}/").json()
    assert hostile_markup(detail["reading_html"]) == []
