"""The stored copy and the extracted text of a snapshot: team members only, never run as our page."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from annotations.models import Snapshot, SnapshotStatus
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

HOSTILE = b"<html><script>document.cookie</script><p>Report</p></html>"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def stored(team, body: bytes, content_type: str, name: str, **fields) -> Snapshot:
    snapshot = Snapshot(
        team=team,
        url=f"https://news.example/{name}",
        final_url=f"https://news.example/{name}",
        status=SnapshotStatus.FETCHED,
        http_status=200,
        content_type=content_type,
        size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        **fields,
    )
    snapshot.body.save(name, ContentFile(body), save=False)
    snapshot.save()
    return snapshot


def login(client, user) -> None:
    assert client.login(username=user.username, password=TEST_PASSWORD)


def test_an_html_copy_opens_in_place_sandboxed_unsniffed_and_cut_off_from_the_web(client, reviewer, team):
    snapshot = stored(team, HOSTILE, "text/html; charset=utf-8", "story.html")
    login(client, reviewer)

    response = client.get(reverse("snapshot_copy", args=[snapshot.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == HOSTILE
    policy = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    assert policy[0] == "sandbox" and "default-src 'none'" in policy
    assert not any("allow-scripts" in part for part in policy)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline;")

    download = client.get(reverse("snapshot_copy", args=[snapshot.pk]) + "?download=1")
    assert download["Content-Disposition"].startswith("attachment;")
    assert "story.html" in download["Content-Disposition"]


def test_other_types_still_download(client, reviewer, team):
    snapshot = stored(team, b"\x00\x01", "application/octet-stream", "data.bin")
    login(client, reviewer)
    response = client.get(reverse("snapshot_copy", args=[snapshot.pk]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_the_text_view_gives_each_line_its_offset_and_each_pdf_page_its_number(client, reviewer, team):
    pages = ["First page.\nSecond line <b>here</b>.", " Page two. "]
    snapshot = stored(
        team, b"%PDF-1.1", "application/pdf", "report.pdf", text="First page.\nSecond line <b>here</b>.\n\nPage two.",
        pages=pages,
    )  # fmt: skip
    login(client, reviewer)

    page = client.get(reverse("snapshot_text", args=[snapshot.pk])).content.decode()

    assert '<p data-start="0">First page.</p>' in page
    assert '<p data-start="12">Second line &lt;b&gt;here&lt;/b&gt;.</p>' in page
    assert '<p data-start="38">Page two.</p>' in page
    assert '<h3 id="page-2" class="page-number">Page 2</h3>' in page
    assert "js/snapshot-text.js" in page


@pytest.mark.parametrize(
    ("content_type", "name"), [("application/pdf", "report.pdf"), ("text/plain; charset=utf-8", "notes.txt")]
)
def test_pdf_and_plain_text_open_inline_still_sandboxed(client, reviewer, team, content_type, name):
    snapshot = stored(team, b"%PDF-1.1 or text", content_type, name)
    login(client, reviewer)

    response = client.get(reverse("snapshot_copy", args=[snapshot.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"].startswith("sandbox;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_team_and_anonymous_users_cannot_see_a_snapshot(client, outsider, team):
    snapshot = stored(team, HOSTILE, "text/html", "story.html", text="Secret text")
    for name in ("snapshot_copy", "snapshot_text"):
        anonymous = client.get(reverse(name, args=[snapshot.pk]))
        assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    login(client, outsider)
    for name in ("snapshot_copy", "snapshot_text"):
        assert client.get(reverse(name, args=[snapshot.pk])).status_code == 404
    assert client.get(reverse("snapshot_copy", args=[999_999])).status_code == 404


def test_a_snapshot_without_a_stored_copy_is_404(client, reviewer, team):
    snapshot = Snapshot.objects.create(team=team, url="https://news.example/", status="blocked", reason="Refused")
    login(client, reviewer)
    assert client.get(reverse("snapshot_copy", args=[snapshot.pk])).status_code == 404
    page = client.get(reverse("snapshot_text", args=[snapshot.pk]))
    assert page.status_code == 200 and "No text was extracted" in page.content.decode()


def test_the_text_page_shows_the_extracted_text_escaped(client, reviewer, team, django_assert_max_num_queries):
    snapshot = stored(
        team,
        HOSTILE,
        "text/html",
        "story.html",
        title="<b>Title</b>",
        text='First <script>alert("x")</script> paragraph.\n\nSecond & last.',
    )
    login(client, reviewer)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("snapshot_text", args=[snapshot.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Title&lt;/b&gt;" in html and "<b>Title</b>" not in html
    assert "Second &amp; last." in html
    assert reverse("snapshot_copy", args=[snapshot.pk]) in html
