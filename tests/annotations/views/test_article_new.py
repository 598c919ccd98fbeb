"""The New article page: one URL field, the title taken from the text when left empty, a button label that fits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from annotations.models import Article
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, reviewer, team):
    assert client.login(username=reviewer.username, password=TEST_PASSWORD)
    return reverse("article_new", args=[team.slug])


def test_the_form_has_one_url_field_and_a_neutral_button(client, page):
    html = client.get(page).content.decode()
    assert html.count('type="url"') == 1 and '<label for="id_url">Article URL</label>' in html
    assert 'id="article-new-submit">Add article</button>' in html and "Import article" not in html
    assert "js/article-new.js" in html
    assert 'aria-describedby="id_title_helptext"' in html and 'id="id_title_helptext"' in html


def test_the_title_is_taken_from_the_first_markdown_heading(client, page, team):
    response = client.post(page, {"title": "", "source": "# Harbour budget rises\n\nThe *budget* rose by 4%."})
    article = Article.objects.get(team=team)
    assert response.status_code == 302 and article.title == "Harbour budget rises"
    assert article.text.startswith("Harbour budget rises")


def test_a_given_title_wins_and_the_url_is_where_the_text_came_from(client, page, team):
    client.post(
        page,
        {"title": "Mine", "url": "news.example.org/story", "source": "# Theirs\n\nText.", "source_format": "markdown"},
    )
    article = Article.objects.get(team=team)
    assert article.title == "Mine" and article.canonical_url == "https://news.example.org/story"


def test_an_uploaded_html_file_takes_its_heading_then_its_name(client, page, team):
    html = SimpleUploadedFile("story.html", b"<html><body><h1>Flood report</h1><p>Water.</p></body></html>")
    assert client.post(page, {"upload": html}).status_code == 302
    text = SimpleUploadedFile("river-levels_2025.txt", b"The river rose.")
    assert client.post(page, {"upload": text}).status_code == 302
    assert set(Article.objects.filter(team=team).values_list("title", flat=True)) == {
        "Flood report",
        "river levels 2025",
    }


def test_no_title_and_no_heading_is_a_form_error(client, page, team):
    response = client.post(page, {"title": "", "source": "Just a paragraph.", "source_format": "markdown"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_title-error"' in html and "no heading to take one from" in html
    assert "Just a paragraph." in html  # the text typed is kept
    assert not Article.objects.filter(team=team).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({}, "source", "Paste the article"),
        ({"url": "not a url at all"}, "url", "Enter a valid URL"),
        ({"url": "ftp://example.org/x"}, "url", "Enter a valid URL"),
        ({"source": "# T\n\nx", "source_format": "latex"}, "source_format", "Select a valid choice"),
        ({"title": "x" * 501, "source": "text"}, "title", "at most 500"),
    ],
)
def test_bad_input_is_a_form_error_never_a_500(client, page, team, data, field, message):
    response = client.post(page, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html and message in html
    assert not Article.objects.filter(team=team).exists()


def test_text_and_file_together_is_a_form_error(client, page, team):
    upload = SimpleUploadedFile("a.md", b"# A\n\nB")
    response = client.post(page, {"source": "# Pasted", "upload": upload})
    assert response.status_code == 400 and "not both" in response.content.decode()


def test_another_teams_page_is_not_found(client, outsider, team):
    assert client.login(username=outsider.username, password=TEST_PASSWORD)
    assert client.get(reverse("article_new", args=[team.slug])).status_code == 404
    assert client.post(reverse("article_new", args=[team.slug]), {"source": "# X"}).status_code == 404
    assert not Article.objects.filter(team=team).exists()
