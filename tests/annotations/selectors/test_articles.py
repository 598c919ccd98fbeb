"""The dashboard's article list and the title taken from an article's text (annotations.selectors.articles)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.selectors.articles import article_page, article_title_from_source
from tests.factories import ArticleFactory


@pytest.mark.parametrize(
    ("source", "source_format", "title"),
    [
        ("# Harbour budget\n\nText.", "markdown", "Harbour budget"),
        ("Harbour budget\n==============\n\nText.", "markdown", "Harbour budget"),
        ("Intro.\n\n## Later *heading*\n\nText.", "markdown", "Later heading"),
        ("Only a paragraph.", "markdown", ""),
        ("<h1>Flood   report</h1><p>Water.</p>", "html", "Flood report"),
        ("# Not a heading in plain text", "text", ""),
        ("# Anything", "latex", ""),
    ],
)
def test_the_title_is_the_first_heading(source, source_format, title):
    assert article_title_from_source(source=source, source_format=source_format) == title


@given(st.text(max_size=200))
def test_any_markdown_gives_a_title_of_at_most_500_characters_without_line_breaks(text):
    title = article_title_from_source(source=text, source_format="markdown")
    assert len(title) <= 500 and "\n" not in title and title == title.strip()


@pytest.mark.django_db
def test_pages_search_and_count_in_two_queries(team, outsider, django_assert_num_queries):
    for n in range(7):
        ArticleFactory(team=team, title=f"Budget {n}")
    ArticleFactory(team=team, title="Weather")
    ArticleFactory(team=outsider.memberships.get().team, title="Budget elsewhere")
    with django_assert_num_queries(2):
        page = article_page(team=team, query="BUDGET", number=2, per_page=5)
        titles = [a.title for a in page.object_list]
    assert page.paginator.count == 7 and titles == ["Budget 1", "Budget 0"]
    assert article_page(team=team, number=1).paginator.count == 8
