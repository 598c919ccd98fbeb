import pytest

from annotations.errors import InvalidInput
from annotations.models import Claim
from annotations.services.articles import article_revise
from annotations.services.claims import RevisionConflict, claim_create
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_claim_by_span_gets_both_selectors_in_code_points(team):
    article = ArticleFactory(
        team=team, source="🌧️ Rain fell on 3 March.\n\nIt was 😀 the wettest day.", source_format="text"
    )
    start = article.text.index("wettest")
    claim = claim_create(article=article, user=None, start=start, end=start + len("wettest day"))
    assert claim.exact == "wettest day"
    assert article.text[claim.start : claim.end] == "wettest day"
    assert claim.prefix == article.text[max(0, start - 32) : start]
    assert claim.suffix == article.text[claim.end : claim.end + 32]


def test_claim_by_quote_alone_gets_the_same_selectors_as_by_span(team):
    article = ArticleFactory(team=team)
    start = article.text.index("flood wall")
    by_span = claim_create(article=article, user=None, start=start, end=start + 10)
    by_quote = claim_create(article=article, user=None, exact="flood wall")
    assert (by_quote.exact, by_quote.prefix, by_quote.suffix, by_quote.start, by_quote.end) == (
        by_span.exact,
        by_span.prefix,
        by_span.suffix,
        by_span.start,
        by_span.end,
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"start": 5, "end": 5}, "start"),
        ({"start": 0, "end": 10_000}, "start"),
        ({"exact": "not in the article"}, "exact"),
        ({}, "exact"),
        ({"start": 0, "end": 3, "exact": "xyz"}, "exact"),
    ],
)
def test_bad_claims_are_refused_with_the_field_at_fault(team, kwargs, field):
    article = ArticleFactory(team=team)
    with pytest.raises(InvalidInput) as info:
        claim_create(article=article, user=None, **kwargs)
    assert info.value.field == field


def test_a_span_from_an_earlier_revision_is_carried_to_the_current_text(team, editor):
    article = ArticleFactory(
        team=team, source="The mayor claimed that not one new bus was ordered.", source_format="text"
    )
    start = article.text.index("not one new bus")
    article_revise(
        article=article,
        user=editor,
        source="Editor's note: updated. The mayor claimed that not one new bus was ordered.",
        source_format="text",
    )
    claim = claim_create(article=article, user=None, start=start, end=start + 15, exact="not one new bus", revision=1)
    article.refresh_from_db()
    assert article.text[claim.start : claim.end] == "not one new bus"
    assert (claim.anchor_outcome, claim.anchored_revision) == ("moved", 2)


def test_a_span_whose_text_is_gone_is_refused_with_the_current_revision(team, editor):
    article = ArticleFactory(
        team=team, source="The mayor claimed that not one new bus was ordered.", source_format="text"
    )
    start = article.text.index("not one new bus")
    article_revise(article=article, user=editor, source="The mayor spoke about trams.", source_format="text")
    with pytest.raises(RevisionConflict) as info:
        claim_create(article=article, user=None, start=start, end=start + 15, exact="not one new bus", revision=1)
    assert info.value.revision == 2
    assert not Claim.objects.filter(article=article).exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"revision": 1, "exact": "wrong words"}, "exact"),
        ({"revision": 3}, "revision"),
        ({"revision": 0}, "revision"),
    ],
)
def test_a_span_must_fit_the_revision_it_names(team, kwargs, field):
    article = ArticleFactory(team=team)
    with pytest.raises(InvalidInput) as info:
        claim_create(article=article, user=None, start=0, end=5, **kwargs)
    assert info.value.field == field


def test_without_a_revision_a_span_that_no_longer_holds_its_quote_is_found_near_it(team):
    article = ArticleFactory(team=team)
    start = article.text.index("flood wall")
    claim = claim_create(article=article, user=None, start=start + 3, end=start + 13, exact="flood wall")
    assert (claim.start, claim.anchor_outcome) == (start, "moved")
