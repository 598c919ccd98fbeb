"""The team dashboard: my work, due soon and overdue, recent activity, and the searchable, paged article list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from annotations.models import Claim, ClaimStatus
from annotations.services.workflow import claim_update
from tests.factories import TEST_PASSWORD, ArticleFactory, ClaimFactory

pytestmark = pytest.mark.django_db

SOURCE = (
    "The river rose three metres. Then the dam held. The rain fell for nine days. "
    "It was published long ago. The spending rose 4%. A secret claim."
)


def login(client, user):
    assert client.login(username=user.username, password=TEST_PASSWORD)


def articles_section(response):
    html = response.content.decode()
    return html[html.index('id="articles-h"') :]


def due(claim, *, hours, assignee=None, status=ClaimStatus.IN_RESEARCH):
    Claim.objects.filter(pk=claim.pk).update(
        due_at=timezone.now() + datetime.timedelta(hours=hours), assignee=assignee, status=status
    )


def test_my_work_due_soon_and_overdue(client, team, reviewer, editor):
    article = ArticleFactory(team=team, title="Flood story", source=SOURCE)
    mine = ClaimFactory(article=article, exact="river rose three metres")
    due(mine, hours=30, assignee=reviewer)
    soon = ClaimFactory(article=article, exact="the dam held")
    due(soon, hours=5, assignee=editor)
    late = ClaimFactory(article=article, exact="rain fell for nine days")
    due(late, hours=-3, assignee=editor)
    done = ClaimFactory(article=article, exact="published long ago")
    due(done, hours=-50, status=ClaimStatus.PUBLISHED)
    login(client, reviewer)
    response = client.get(reverse("dashboard", args=[team.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    my_work = html[html.index('id="my-work-h"') : html.index('id="overdue-h"')]
    overdue = html[html.index('id="overdue-h"') : html.index('id="due-soon-h"')]
    due_soon = html[html.index('id="due-soon-h"') : html.index('id="activity-h"')]
    assert "river rose three metres" in my_work and "In research" in my_work and "the dam held" not in my_work
    assert "rain fell for nine days" in overdue and "(overdue)" in overdue and "the dam held" not in overdue
    assert "the dam held" in due_soon and "eddie" in due_soon and "river rose" not in due_soon
    assert done.exact not in overdue
    assert f'href="/articles/{article.pk}/#claim-{mine.pk}"' in my_work


def test_recent_activity_reads_as_sentences_with_links(client, team, reviewer, editor):
    article = ArticleFactory(team=team, title="Budget story", source=SOURCE)
    claim = ClaimFactory(article=article, exact="spending rose 4%")
    claim_update(claim=claim, user=editor, version=1, assignee=reviewer)
    login(client, reviewer)
    html = client.get(reverse("dashboard", args=[team.slug])).content.decode()
    activity = html[html.index('id="activity-h"') : html.index('id="articles-h"')]
    assert "<strong>eddie</strong> edited the claim" in activity and "to rita" in activity
    assert f'<a href="/articles/{article.pk}/#claim-{claim.pk}">“spending rose 4%”</a>' in activity


def test_the_dashboard_shows_nothing_of_another_team(client, team, reviewer, outsider):
    claim = ClaimFactory(article=ArticleFactory(team=team, title="Secret story", source=SOURCE), exact="secret claim")
    due(claim, hours=-1)
    login(client, outsider)
    own = outsider.memberships.get().team
    html = client.get(reverse("dashboard", args=[own.slug])).content.decode()
    assert "Secret story" not in html and "secret claim" not in html
    assert client.get(reverse("dashboard", args=[team.slug]), {"q": "Secret"}).status_code == 404


def test_search_matches_title_and_address_ignoring_case(client, team, reviewer):
    ArticleFactory(team=team, title="Harbour BUDGET rises")
    ArticleFactory(team=team, title="Other", canonical_url="https://news.example.org/budget-2025")
    ArticleFactory(team=team, title="Unrelated")
    login(client, reviewer)
    url = reverse("dashboard", args=[team.slug])
    html = articles_section(client.get(url, {"q": "budget"}))
    assert "Harbour BUDGET rises" in html and ">Other<" in html and "Unrelated" not in html
    assert 'value="budget"' in html and '<label for="id_q">Search articles</label>' in html
    assert "No article matches “nothing-like-this”" in client.get(url, {"q": "nothing-like-this"}).content.decode()


def test_articles_are_paged_with_labelled_links(client, team, reviewer):
    for n in range(30):
        ArticleFactory(team=team, title=f"Story {n:02d}")
    login(client, reviewer)
    url = reverse("dashboard", args=[team.slug])
    html = articles_section(client.get(url))
    assert html.count('href="/articles/') == 25 and "Story 29" in html and "Story 04" not in html
    assert '<nav class="pager" aria-label="Article pages">' in html and 'href="?page=2" rel="next"' in html
    second = articles_section(client.get(url, {"page": 2}))
    assert "Story 04" in second and "Story 29" not in second and 'rel="prev"' in second
    # A page past the end is the last page; a search keeps its words in the links.
    assert "Story 00" in articles_section(client.get(url, {"page": 99}))
    for n in range(30):
        ArticleFactory(team=team, title=f"Match {n}")
    assert 'href="?q=match&amp;page=2"' in client.get(url, {"q": "match"}).content.decode()


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "0"}, {"q": "x" * 201}, {"q": "a\x00b"}])
def test_bad_search_input_is_a_form_error_not_a_500(client, team, reviewer, params):
    ArticleFactory(team=team, title="Still listed")
    login(client, reviewer)
    response = client.get(reverse("dashboard", args=[team.slug]), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "Still listed" in html


def test_dashboard_queries_do_not_grow_with_rows(client, team, reviewer, editor, django_assert_max_num_queries):
    login(client, reviewer)

    def add(n):
        for _ in range(n):
            claim = ClaimFactory(article=ArticleFactory(team=team))
            claim_update(claim=claim, user=editor, version=1, assignee=reviewer)
            due(claim, hours=-1, assignee=reviewer)
            soon = ClaimFactory(article=claim.article)
            due(soon, hours=2, assignee=editor)

    add(2)
    url = reverse("dashboard", args=[team.slug])
    with django_assert_max_num_queries(16) as few:
        client.get(url, {"q": "Article"})
    add(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"q": "Article"})
    html = response.content.decode()
    assert html.count("(overdue)") >= 10 and "<strong>eddie</strong>" in html
