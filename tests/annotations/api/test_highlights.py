from __future__ import annotations

import json
from typing import Any

import pytest

from annotations.api.serializers.highlights import ArticleHighlightsOut, HighlightOut, HighlightRatingOut
from annotations.models import Article, Rating
from annotations.selectors.highlights import HIGHLIGHT_KEYS, RATING_KEYS
from annotations.services.articles import article_create, article_revise
from annotations.services.claims import claim_create, claim_verdict_draft
from annotations.services.verdicts import verdict_propose
from annotations.services.workflow import claim_delete, claim_update
from tests.factories import ClaimFactory, rating

pytestmark = pytest.mark.django_db


def url(article: Article) -> str:
    return f"/api/v1/articles/{article.pk}/highlights/"


def test_the_shape_is_the_documented_one_key_by_key() -> None:
    assert list(HighlightOut().fields) == list(HIGHLIGHT_KEYS)
    assert list(HighlightRatingOut().fields) == list(RATING_KEYS)
    assert list(ArticleHighlightsOut().fields) == ["article", "revision", "claims"]


def test_every_claim_with_span_status_rating_and_outcome_in_document_order(
    api: Any, article: Any, reviewer: Any
) -> None:
    river = ClaimFactory(article=article, exact="The river rose")
    wall = ClaimFactory(article=article, exact="flood wall")
    mostly_false = rating(article.team, "Mostly false")
    verdict_propose(claim=wall, user=reviewer, rating=mostly_false, summary="No.")
    response = api.get(url(article))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response["ETag"].startswith('"') and len(response["ETag"]) == 34
    body = json.loads(response.content)
    assert body == {
        "article": article.pk,
        "revision": 1,
        "claims": [
            {
                "id": wall.pk,
                "start": wall.start,
                "end": wall.end,
                "status": "new",
                "version": wall.version,
                "anchor_outcome": "exact",
                "anchor_score": 1,
                "rating": {"id": mostly_false.pk, "label": "Mostly false", "color": mostly_false.color},
                "exact": None,
            },
            {
                "id": river.pk,
                "start": river.start,
                "end": river.end,
                "status": "new",
                "version": river.version,
                "anchor_outcome": "exact",
                "anchor_score": 1,
                "rating": None,
                "exact": None,
            },
        ],
    }
    assert article.text[wall.start : wall.end] == "flood wall"
    assert b" " not in response.content.replace(b"Mostly false", b"")  # compact: no whitespace between tokens


def test_offsets_count_code_points_and_fuzzy_and_orphaned_claims_bring_their_quote(api: Any, team: Any) -> None:
    source = 'Café 👨‍👩‍👧 said "the wall\\ costs €48m".\n\nThe river rose 3.1 metres in April 2025.'
    article = article_create(team=team, user=None, title="T", source=source, source_format="text")
    emoji = claim_create(article=article, user=None, exact="👨‍👩‍👧 said")
    fuzzy = claim_create(article=article, user=None, exact='"the wall\\ costs €48m"')
    orphan = claim_create(article=article, user=None, exact="The river rose 3.1 metres")
    article_revise(
        article=article,
        user=None,
        source='Café 👨‍👩‍👧 said "the wall\\ costs €49m".\n\nNothing about rivers.',
        source_format="text",
    )
    article.refresh_from_db()
    body = json.loads(api.get(url(article)).content)
    assert body["revision"] == 2
    by_id = {item["id"]: item for item in body["claims"]}
    assert [item["id"] for item in body["claims"]] == [emoji.pk, fuzzy.pk, orphan.pk]  # orphans last
    assert article.text[by_id[emoji.pk]["start"] : by_id[emoji.pk]["end"]] == "👨‍👩‍👧 said"
    assert by_id[emoji.pk]["exact"] is None and by_id[emoji.pk]["anchor_outcome"] == "exact"
    assert by_id[fuzzy.pk]["anchor_outcome"] == "fuzzy" and 0 < by_id[fuzzy.pk]["anchor_score"] < 1
    assert by_id[fuzzy.pk]["exact"] == '"the wall\\ costs €48m"'
    assert by_id[orphan.pk] | {"version": 0} == {
        "id": orphan.pk,
        "start": None,
        "end": None,
        "status": "new",
        "version": 0,
        "anchor_outcome": "orphan",
        "anchor_score": 0,
        "rating": None,
        "exact": "The river rose 3.1 metres",
    }


def test_an_article_without_claims_has_an_empty_list(api: Any, article: Any) -> None:
    assert json.loads(api.get(url(article)).content) == {"article": article.pk, "revision": 1, "claims": []}


def test_one_query_whatever_the_number_of_claims(
    token_api: Any, article: Any, reviewer: Any, django_assert_num_queries: Any
) -> None:
    """The token, the article with the caller's membership, and the highlights."""
    words = ["council", "flood wall", "Tuesday", "Mayor", "river", "April"]
    token_api.get(url(article))  # the token's last use is recorded once a minute
    with django_assert_num_queries(4):
        assert json.loads(token_api.get(url(article)).content)["claims"] == []
    for i in range(30):
        claim = ClaimFactory(article=article, exact=words[i % len(words)], hint=i)
        verdict_propose(claim=claim, user=reviewer, rating=rating(article.team, "True"), summary="ok")
    with django_assert_num_queries(4) as captured:
        claims = json.loads(token_api.get(url(article)).content)["claims"]
    assert len(claims) == 30 and all(c["rating"]["label"] == "True" for c in claims)
    article_query = next(q["sql"] for q in captured.captured_queries if '"annotations_article"' in q["sql"])
    assert '"text"' not in article_query and '"layout"' not in article_query  # the text is not read


def test_if_none_match_answers_304_until_a_claim_changes(api: Any, article: Any, reviewer: Any, editor: Any) -> None:
    claim: Any = ClaimFactory(article=article, exact="flood wall")
    seen: list[str] = []

    def etag_now() -> str:
        response = api.get(url(article))
        assert response.status_code == 200
        again = api.get(url(article), HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and again.content == b"" and again["ETag"] == response["ETag"]
        assert api.get(url(article), HTTP_IF_NONE_MATCH=f'"0", W/{response["ETag"]}').status_code == 304
        assert response["ETag"] not in seen
        seen.append(response["ETag"])
        return response["ETag"]

    etag_now()
    other = ClaimFactory(article=article, exact="council")  # a claim created
    etag_now()
    claim = claim_update(claim=claim, user=reviewer, version=claim.version, claimant="The mayor")  # updated
    etag_now()
    claim = claim_verdict_draft(  # a verdict
        claim=claim, user=reviewer, version=claim.version, rating=rating(article.team, "False"), summary="No."
    )
    etag_now()
    Rating.objects.filter(pk=rating(article.team, "False").pk).update(color="#000000")  # its rating's colour
    etag_now()
    claim_delete(claim=other, user=editor, version=other.version)  # a claim deleted
    etag_now()
    assert api.get(url(article), HTTP_IF_NONE_MATCH="*").status_code == 304


def test_another_teams_article_is_missing_and_a_team_key_may_read(
    api: Any, outsider_api: Any, key_api: Any, article: Any, claim: Any
) -> None:
    assert outsider_api.get(url(article)).status_code == 404
    assert api.get(f"/api/v1/articles/{article.pk + 1000}/highlights/").status_code == 404
    assert json.loads(key_api.get(url(article)).content)["claims"][0]["id"] == claim.pk
    assert api.get(url(article), HTTP_ACCEPT="text/html").status_code == 406
