import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import Article
from annotations.services.demo import demo_seed
from tests.factories import TEST_PASSWORD, ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db


def login(client: Client, user) -> None:
    assert client.login(username=user.username, password=TEST_PASSWORD)


def test_login_page_is_served_with_labelled_fields(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert "csrfmiddlewaretoken" in html


def test_anonymous_users_are_sent_to_login(client, team):
    response = client.get(reverse("dashboard", args=[team.slug]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_reviewer_logs_in_and_sees_the_demo_article(client):
    seed = demo_seed(password="demo-pass-123")
    response = client.post(reverse("login"), {"username": "reviewer", "password": "demo-pass-123"}, follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert seed.article.title in html
    article_page = client.get(reverse("article", args=[seed.article.pk]))
    assert article_page.status_code == 200
    assert "the river rose 3.1 metres above its normal level" in article_page.content.decode()


def test_dashboard_counts_claims_by_status_in_constant_queries(client, reviewer, team, django_assert_max_num_queries):
    login(client, reviewer)
    for _ in range(3):
        ClaimFactory(article=ArticleFactory(team=team))
    url = reverse("dashboard", args=[team.slug])
    with django_assert_max_num_queries(16) as few:
        client.get(url)
    for _ in range(10):
        ClaimFactory(article=ArticleFactory(team=team))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    assert html[html.index('id="articles-h"') :].count('href="/articles/') == 13


def test_other_teams_pages_are_not_found(client, outsider, team):
    article = ArticleFactory(team=team)
    login(client, outsider)
    assert client.get(reverse("dashboard", args=[team.slug])).status_code == 404
    assert client.get(reverse("article", args=[article.pk])).status_code == 404


def test_new_article_from_pasted_markdown(client, reviewer, team):
    login(client, reviewer)
    response = client.post(
        reverse("article_new", args=[team.slug]),
        {"title": "Budget", "source_format": "markdown", "source": "The *budget* rose by 4%."},
    )
    article = Article.objects.get(team=team, title="Budget")
    assert response.status_code == 302 and response["Location"] == reverse("article", args=[article.pk])
    assert article.text == "The budget rose by 4%."


def test_new_article_from_an_uploaded_file(client, reviewer, team):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, reviewer)
    upload = SimpleUploadedFile("story.html", b"<html><body><p>Hello <b>world</b></p></body></html>", "text/html")
    response = client.post(reverse("article_new", args=[team.slug]), {"title": "Up", "upload": upload})
    assert response.status_code == 302
    article = Article.objects.get(title="Up")
    assert article.source_format == "html" and "Hello world" in article.text


def test_new_article_errors_are_shown_on_the_form(client, reviewer, team):
    login(client, reviewer)
    response = client.post(reverse("article_new", args=[team.slug]), {"title": "", "source": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "Paste the article" in html
    assert not Article.objects.filter(team=team).exists()


def test_article_text_is_escaped(client, reviewer, team):
    article = ArticleFactory(team=team, source="<script>alert(1)</script> & more", source_format="text")
    login(client, reviewer)
    html = client.get(reverse("article", args=[article.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
