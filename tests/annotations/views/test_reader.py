import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import ArticleRevision, Claim
from annotations.services.articles import article_create, article_revise
from annotations.services.claims import claim_create
from tests.factories import TEST_PASSWORD, ArticleFactory

pytestmark = pytest.mark.django_db


def login(client: Client, user) -> None:
    assert client.login(username=user.username, password=TEST_PASSWORD)


def page_data(html: str) -> dict:
    match = re.search(r'<script id="reader-data" type="application/json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def test_reading_view_renders_article_sidebar_panel_and_data(client, reviewer, team):
    login(client, reviewer)
    article = ArticleFactory(team=team)
    html = client.get(reverse("article", args=[article.pk])).content.decode()
    assert 'id="article-text"' in html and 'data-start="0"' in html
    assert 'id="claim-list"' in html and 'id="orphan-list"' in html
    assert 'role="dialog"' in html and 'aria-labelledby="claim-panel-title"' in html
    head = html.split("</head>")[0]  # both load while the article is parsed
    assert '<script type="module" src="/static/js/reader.js">' in head
    assert f'<link rel="preload" href="/api/v1/articles/{article.pk}/highlights/" as="fetch" crossorigin>' in head
    assert reverse("article_edit", args=[article.pk]) not in html  # revising the text is an editor's
    data = page_data(html)
    assert data["articleId"] == article.pk and data["revision"] == article.revision
    assert [r["label"] for r in data["ratings"]][:2] == ["True", "Mostly true"]
    assert {"value": "in_review", "label": "In review"} in data["statuses"]
    assert {s["value"] for s in data["stances"]} == {"supports", "refutes", "context"}


def test_the_article_text_is_sent_once(client, reviewer, team):
    """As HTML: the script reads the reader text back from it (text-map.js readerText)."""
    login(client, reviewer)
    article = ArticleFactory(team=team)
    html = client.get(reverse("article", args=[article.pk])).content.decode()
    assert "text" not in page_data(html)
    assert html.count("The river rose 3.1 metres in April 2025.") == 1


def test_reading_view_escapes_everything(client, reviewer, team):
    login(client, reviewer)
    article = article_create(
        team=team,
        user=None,
        title="<script>alert(1)</script>",
        source="He said <b>x</b> & </script><img src=x onerror=alert(2)> done.",
        source_format="text",
    )
    claim_create(article=article, user=None, exact="</script><img src=x onerror=alert(2)>")
    html = client.get(reverse("article", args=[article.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert page_data(html)["articleId"] == article.pk  # the page data still parses


def test_the_page_shows_the_revision_and_leaves_the_claims_to_the_script(client, reviewer, team):
    """The claims (orphans apart) come from GET /api/v1/articles/{id}/highlights/ (tests/e2e)."""
    login(client, reviewer)
    article = article_create(team=team, user=None, title="T", source="Alpha beta. Gamma delta.", source_format="text")
    claim = claim_create(article=article, user=None, exact="Alpha beta")
    orphan = claim_create(article=article, user=None, exact="Gamma delta")
    article_revise(article=article, user=None, source="Alpha beta. Something else.", source_format="text")
    html = client.get(reverse("article", args=[article.pk])).content.decode()
    assert "Orphaned claims" in html and 'revision <span id="article-revision">2</span>' in html
    assert f'data-claim-id="{claim.pk}"' not in html and f'data-claim-id="{orphan.pk}"' not in html


def test_other_teams_cannot_read_or_edit(client, outsider, team):
    article = ArticleFactory(team=team)
    login(client, outsider)
    assert client.get(reverse("article", args=[article.pk])).status_code == 404
    assert client.get(reverse("article_edit", args=[article.pk])).status_code == 404
    response = client.post(reverse("article_edit", args=[article.pk]), {"source": "x", "source_format": "text"})
    assert response.status_code == 404
    article.refresh_from_db()
    assert article.revision == 1


def test_reading_view_reads_no_claims(client, reviewer, team, django_assert_max_num_queries):
    login(client, reviewer)
    article = article_create(
        team=team, user=None, title="T", source=" ".join(f"word{i}" for i in range(200)), source_format="text"
    )
    url = reverse("article", args=[article.pk])
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for i in range(40):
        claim_create(article=article, user=None, exact=f"word{i} ")
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert not [q for q in many.captured_queries if '"annotations_claim"' in q["sql"]]
    # The text's HTML was rendered by the first request and kept for the revision: no text is read.
    article_queries = [q["sql"] for q in many.captured_queries if 'FROM "annotations_article"' in q["sql"]]
    assert article_queries and not [sql for sql in article_queries if '"layout"' in sql or '"text"' in sql]
    assert "word39" in response.content.decode()


def test_edit_text_makes_a_revision_and_reports_outcomes(client, editor, team):
    login(client, editor)
    article = article_create(team=team, user=editor, title="T", source="One two three.", source_format="text")
    claim = claim_create(article=article, user=None, exact="two")
    url = reverse("article_edit", args=[article.pk])
    page = client.get(url).content.decode()
    assert '<label for="id_source">' in page and "One two three." in page
    assert '<input type="hidden" name="revision" value="1"' in page
    form = {"source": "Zero. One two three.", "source_format": "text", "revision": 1}
    response = client.post(url, form, follow=True)
    assert response.redirect_chain[-1][0] == reverse("article", args=[article.pk])
    assert "Saved revision 2. Claims re-anchored: 1 moved." in response.content.decode()
    claim.refresh_from_db()
    assert (claim.start, claim.end, claim.anchor_outcome) == (10, 13, "moved")
    assert ArticleRevision.objects.get(article=article).text == "One two three."


def test_edit_text_needs_an_editor(client, reviewer, team):
    login(client, reviewer)
    article = ArticleFactory(team=team)
    url = reverse("article_edit", args=[article.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"source": "Replaced.", "source_format": "text", "revision": 1})
    assert response.status_code == 403 and "needs the editor role" in response.content.decode()
    article.refresh_from_db()
    assert article.revision == 1


def test_edit_text_without_its_revision_is_a_form_error(client, editor, team):
    login(client, editor)
    article = ArticleFactory(team=team)
    response = client.post(reverse("article_edit", args=[article.pk]), {"source": "New.", "source_format": "text"})
    assert response.status_code == 200 and "Reload the page" in response.content.decode()
    article.refresh_from_db()
    assert article.revision == 1


def test_edit_text_over_a_colleagues_revision_keeps_both_texts(client, editor, team):
    login(client, editor)
    article = article_create(team=team, user=None, title="T", source="First text.", source_format="text")
    article_revise(article=article, user=editor, source="Colleague's text.", source_format="text", revision=1)
    url = reverse("article_edit", args=[article.pk])
    response = client.post(url, {"source": "My text.", "source_format": "text", "revision": 1})
    page = response.content.decode()
    assert response.status_code == 409
    assert "eddie saved revision 2 after you opened revision 1" in page
    assert "Colleague&#x27;s text." in page and "My text." in page
    assert '<input type="hidden" name="revision" value="2"' in page
    article.refresh_from_db()
    assert article.revision == 2 and article.text == "Colleague's text."
    again = client.post(url, {"source": "My text.", "source_format": "text", "revision": 2})
    assert again.status_code == 302
    article.refresh_from_db()
    assert article.revision == 3 and article.text == "My text."


def test_edit_text_refuses_an_empty_text(client, editor, team):
    login(client, editor)
    article = ArticleFactory(team=team)
    response = client.post(
        reverse("article_edit", args=[article.pk]), {"source": "   ", "source_format": "text", "revision": 1}
    )
    assert response.status_code == 200
    assert "The article has no readable text." in response.content.decode()
    assert not Claim.objects.filter(article=article).exists() and article.revision == 1
