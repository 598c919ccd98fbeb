from __future__ import annotations

from typing import Any

import pytest

from annotations.models import Claim, Source
from annotations.services.verdicts import verdict_propose
from tests.factories import ArticleFactory, ClaimFactory, rating

pytestmark = pytest.mark.django_db

CLAIM_KEYS = {
    "id", "article", "exact", "prefix", "suffix", "start", "end", "anchor_outcome", "anchor_score", "anchored_revision",
    "restated", "restated_by", "restated_at", "claimant_kind",
    "claimant", "claim_date", "status", "status_label", "assignee", "priority", "due_at", "version", "created_by",
    "created_at", "updated_at", "duplicate_of", "current_verdict", "sources", "wacz_url",
}  # fmt: skip


def _many_claims(article: Any, count: int, reviewer: Any) -> None:
    words = ["council", "flood wall", "Tuesday", "Mayor", "river", "April"]
    for i in range(count):
        claim = ClaimFactory(article=article, exact=words[i % len(words)], hint=i)
        Source.objects.create(team=article.team, claim=claim, url=f"https://example.org/{i}", stance="supports")
        verdict_propose(claim=claim, user=reviewer, rating=rating(article.team, "True"), summary="ok")


def test_article_claims_follow_the_contract(api: Any, claim: Any, reviewer: Any) -> None:
    verdict_propose(claim=claim, user=reviewer, rating=rating(claim.team, "False"), summary="No.")
    response = api.get(f"/api/v1/articles/{claim.article_id}/claims/")
    assert response.status_code == 200
    body = response.json()
    assert body["next"] is None and body["previous"] is None
    [item] = body["results"]
    assert set(item) == CLAIM_KEYS
    assert item["exact"] == "flood wall" and item["status_label"] == "New"
    assert item["current_verdict"]["rating"]["label"] == "False"
    assert set(item["current_verdict"]["rating"]) == {"id", "label", "value", "color"}
    assert {"corrects", "correction_note"} <= set(item["current_verdict"])


def test_article_claim_list_queries_do_not_grow(
    api: Any, article: Any, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    _many_claims(article, 3, reviewer)
    with django_assert_max_num_queries(12) as few:
        assert len(api.get(f"/api/v1/articles/{article.pk}/claims/").json()["results"]) == 3
    _many_claims(article, 30, reviewer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(f"/api/v1/articles/{article.pk}/claims/").json()["results"]) == 33


def test_team_claim_list_queries_do_not_grow(
    api: Any, article: Any, reviewer: Any, django_assert_max_num_queries: Any
) -> None:
    _many_claims(article, 2, reviewer)
    with django_assert_max_num_queries(12) as few:
        api.get("/api/v1/claims/")
    _many_claims(article, 20, reviewer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get("/api/v1/claims/").json()["results"]) == 22


def test_cursor_pages_walk_every_claim_once_in_document_order(api: Any, article: Any, reviewer: Any) -> None:
    _many_claims(article, 7, reviewer)
    seen: list[int] = []
    url: str | None = f"/api/v1/articles/{article.pk}/claims/?page_size=3"
    pages = []
    while url:
        body = api.get(url).json()
        pages.append(body)
        seen += [c["id"] for c in body["results"]]
        url = body["next"]
    assert len(pages) == 3
    expected = list(Claim.objects.filter(article=article).order_by("start", "id").values_list("id", flat=True))
    assert seen == expected
    back = api.get(pages[2]["previous"]).json()
    assert [c["id"] for c in back["results"]] == expected[3:6]


def test_bad_cursor_is_a_400(api: Any, article: Any) -> None:
    response = api.get(f"/api/v1/articles/{article.pk}/claims/?cursor=nonsense")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"cursor": ["The cursor is not valid."]}


def test_another_teams_article_and_claim_are_404(outsider_api: Any, claim: Any) -> None:
    for url in (
        f"/api/v1/articles/{claim.article_id}/claims/",
        f"/api/v1/claims/{claim.pk}/",
        f"/api/v1/claims/{claim.pk}/sources/",
        f"/api/v1/claims/{claim.pk}/verdicts/",
        f"/api/v1/claims/{claim.pk}/comments/",
        f"/api/v1/claims/{claim.pk}/events/",
    ):
        response = outsider_api.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
    assert (
        outsider_api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 1, "restated": "x"}, format="json").status_code
        == 404
    )
    assert outsider_api.get("/api/v1/claims/").json()["results"] == []


def test_create_claim_by_span_and_by_quote(api: Any, article: Any) -> None:
    start = article.text.index("flood wall")
    by_span = api.post(f"/api/v1/articles/{article.pk}/claims/", {"start": start, "end": start + 10}, format="json")
    assert by_span.status_code == 201, by_span.json()
    assert by_span.json()["exact"] == "flood wall"
    by_quote = api.post(
        f"/api/v1/articles/{article.pk}/claims/",
        {"exact": "3.1 metres", "claimant": "Okafor", "claim_date": "2025-04-02"},
        format="json",
    )
    assert by_quote.status_code == 201
    body = by_quote.json()
    assert article.text[body["start"] : body["end"]] == "3.1 metres"
    assert body["claimant"] == "Okafor" and body["claim_date"] == "2025-04-02"
    assert by_quote.headers["ETag"] == '"1"'


def test_create_claim_with_a_quote_not_in_the_article_is_a_field_error(api: Any, article: Any) -> None:
    response = api.post(f"/api/v1/articles/{article.pk}/claims/", {"exact": "not there"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "status": 400,
            "code": "invalid",
            "message": "The quote does not occur in the article.",
            "fields": {"exact": ["The quote does not occur in the article."]},
        }
    }
    bad = api.post(f"/api/v1/articles/{article.pk}/claims/", {"start": "x"}, format="json")
    assert bad.status_code == 400 and "start" in bad.json()["error"]["fields"]


def test_patch_needs_the_current_version_and_reports_the_current_claim(api: Any, claim: Any) -> None:
    ok = api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 1, "restated": "A wall costs €48m."}, format="json")
    assert ok.status_code == 200
    assert ok.json()["version"] == 2 and ok.json()["restated"] == "A wall costs €48m."
    stale = api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 1, "restated": "Other"}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    assert body["error"]["code"] == "conflict" and body["current"]["restated"] == "A wall costs €48m."
    assert body["current"]["version"] == 2
    via_header = api.patch(f"/api/v1/claims/{claim.pk}/", {"claimant": "Okafor"}, format="json", HTTP_IF_MATCH='"2"')
    assert via_header.status_code == 200 and via_header.headers["ETag"] == '"3"'
    missing = api.patch(f"/api/v1/claims/{claim.pk}/", {"claimant": "x"}, format="json")
    assert missing.status_code == 428 and missing.json()["error"]["code"] == "precondition_required"
    assert Claim.objects.get(pk=claim.pk).claimant == "Okafor"


def test_a_new_wording_records_who_wrote_it_and_when(api: Any, claim: Any, reviewer: Any) -> None:
    assert api.get(f"/api/v1/claims/{claim.pk}/").json()["restated_by"] is None
    ok = api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 1, "restated": "A wall costs €48m."}, format="json")
    body = ok.json()
    assert body["restated_by"] == {"id": reviewer.pk, "username": reviewer.username}
    assert body["restated_at"] is not None
    unchanged = api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 2, "claimant": "Okafor"}, format="json").json()
    assert unchanged["restated_at"] == body["restated_at"]


def test_the_claimant_is_a_person_or_an_organization(api: Any, claim: Any, article: Any) -> None:
    assert api.get(f"/api/v1/claims/{claim.pk}/").json()["claimant_kind"] == "person"
    ok = api.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"version": 1, "claimant": "Harbour Council", "claimant_kind": "organization"},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["claimant_kind"] == "organization"
    bad = api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 2, "claimant_kind": "robot"}, format="json")
    assert bad.status_code == 400 and "claimant_kind" in bad.json()["error"]["fields"]
    created = api.post(
        f"/api/v1/articles/{article.pk}/claims/", {"exact": "council", "claimant_kind": "organization"}, format="json"
    )
    assert created.status_code == 201 and created.json()["claimant_kind"] == "organization"


def test_reviewer_cannot_assign_but_editor_can(api: Any, editor_api: Any, claim: Any, reviewer: Any) -> None:
    refused = api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 1, "assignee": reviewer.pk}, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    done = editor_api.patch(f"/api/v1/claims/{claim.pk}/", {"version": 1, "assignee": reviewer.pk}, format="json")
    assert done.status_code == 200
    assert done.json()["assignee"] == {"id": reviewer.pk, "username": reviewer.username}
    assert done.json()["status"] == "in_research"


def test_delete_claim(editor_api: Any, claim: Any) -> None:
    assert editor_api.delete(f"/api/v1/claims/{claim.pk}/").status_code == 428
    assert editor_api.delete(f"/api/v1/claims/{claim.pk}/", HTTP_IF_MATCH='"7"').status_code == 409
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert editor_api.delete(f"/api/v1/claims/{claim.pk}/", HTTP_IF_MATCH=f'"{claim.version}"').status_code == 204
    assert not Claim.objects.filter(pk=claim.pk).exists()
    assert editor_api.get(f"/api/v1/claims/{claim.pk}/").status_code == 404


def test_filters(api: Any, team: Any, reviewer: Any, editor_api: Any) -> None:
    first = ArticleFactory(team=team, canonical_url="https://news.example.org/a")
    second = ArticleFactory(team=team, canonical_url="https://news.example.org/b")
    wall = ClaimFactory(article=first, exact="flood wall", claimant="Ines Okafor")
    river = ClaimFactory(article=second, exact="3.1 metres")
    verdict_propose(claim=river, user=reviewer, rating=rating(team, "False"), summary="No.")
    editor_api.patch(f"/api/v1/claims/{wall.pk}/", {"version": 1, "assignee": reviewer.pk}, format="json")

    def ids(query: str) -> list[int]:
        response = api.get(f"/api/v1/claims/?{query}")
        assert response.status_code == 200, response.json()
        return sorted(c["id"] for c in response.json()["results"])

    assert ids("article_url=HTTPS://NEWS.example.org/a/?utm_source=x") == [wall.pk]
    assert ids("status=in_research") == [wall.pk]
    assert ids(f"rating={rating(team, 'False').pk}") == [river.pk]
    assert ids("claimant=okafor") == [wall.pk]
    assert ids(f"assignee={reviewer.pk}") == [wall.pk]
    assert ids("assignee=none") == [river.pk]
    assert ids("q=metres") == [river.pk]
    assert ids("updated_since=2000-01-01T00:00:00Z") == sorted([wall.pk, river.pk])
    assert ids("updated_since=2999-01-01T00:00:00+00:00") == []
    assert api.get("/api/v1/claims/?status=bogus").status_code == 400
    assert api.get("/api/v1/claims/?updated_since=yesterday").status_code == 400


def test_each_list_is_one_statement_whatever_its_size(
    token_api: Any, article: Any, reviewer: Any, django_assert_num_queries: Any
) -> None:
    """With a token: the token, then one statement that pages the rows and writes their JSON (lists
    under a claim read the claim and the caller's membership first). The benchmark's path."""
    _many_claims(article, 12, reviewer)
    claim = Claim.objects.filter(article=article).order_by("id").first()
    token_api.get(f"/api/v1/articles/{article.pk}/claims/")  # the token's last use is recorded once a minute
    for url, queries, size in (
        (f"/api/v1/articles/{article.pk}/claims/?page_size=10", 2, 10),
        (f"/api/v1/articles/{article.pk}/claims/?page_size=500", 2, 12),
        ("/api/v1/claims/?page_size=10", 2, 10),
        (f"/api/v1/claims/{claim.pk}/sources/", 4, 1),
        (f"/api/v1/claims/{claim.pk}/verdicts/", 4, 1),
    ):
        with django_assert_num_queries(queries):
            body = token_api.get(url).json()
        assert len(body["results"]) == size, url
        if "/sources/" not in url and "/verdicts/" not in url:
            assert all(item["current_verdict"] and len(item["sources"]) == 1 for item in body["results"])
        if body["next"]:
            with django_assert_num_queries(queries):
                assert token_api.get(body["next"]).status_code == 200


def _bulk_claims(article: Any, count: int) -> None:
    """`count` claims spread over the article's text (orphans among them), inserted in one statement."""
    text = article.text
    rows = []
    for i in range(count):
        start = (i * 7) % (len(text) - 10)
        orphan = i % 50 == 0
        rows.append(
            Claim(team=article.team, article=article, exact="x", start=None if orphan else start,
                  end=None if orphan else start + 5, anchor_outcome="orphan" if orphan else "exact")
        )  # fmt: skip
    Claim.objects.bulk_create(rows, batch_size=1000)


def _plan_nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return [plan, *(node for child in plan.get("Plans", []) for node in _plan_nodes(child))]


def test_a_page_is_read_from_the_document_order_index_without_sorting_the_article(
    api: Any, team: Any, article: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _bulk_claims(article, 3000)
    _bulk_claims(ArticleFactory(team=team), 3000)
    with connection.cursor() as cursor:
        # Every table the page joins, not the claims alone: stale statistics of a joined table (left
        # by earlier tests) can make a hash join look cheaper than reading the index in order.
        cursor.execute("ANALYZE")
    for query in ("", "?status=new", "?cursor=1000_5000_n"):
        with CaptureQueriesContext(connection) as captured:
            body = api.get(f"/api/v1/articles/{article.pk}/claims/{query}").json()
        assert len(body["results"]) == 50
        [page_sql] = [q["sql"] for q in captured.captured_queries if "annotations_claim" in q["sql"]]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {page_sql}")
            nodes = _plan_nodes(cursor.fetchone()[0][0]["Plan"])
        [limit] = [node for node in nodes if node["Node Type"] == "Limit"]
        under_limit = _plan_nodes(limit)
        assert any(node.get("Index Name") == "claim_document_order" for node in under_limit), nodes
        # No sort picks the page (a claim's own sources are sorted inside its JSON, in a subplan).
        assert not any(node["Node Type"] in ("Sort", "Incremental Sort") for node in under_limit), nodes
    positions = [(c["start"] is None, c["start"] or 0, c["id"]) for c in body["results"]]
    assert positions == sorted(positions)


def test_an_empty_page_is_200_for_an_article_and_404_for_none_or_another_teams(
    api: Any, outsider_api: Any, article: Any, claim: Any
) -> None:
    filtered = api.get(f"/api/v1/articles/{article.pk}/claims/?status=published")
    assert filtered.status_code == 200 and filtered.json()["results"] == []
    assert api.get(f"/api/v1/articles/{article.pk + 1000}/claims/").status_code == 404
    assert outsider_api.get(f"/api/v1/articles/{article.pk}/claims/").status_code == 404
    assert outsider_api.get(f"/api/v1/articles/{article.pk}/claims/?status=published").status_code == 404


def test_marking_from_a_stale_page_lands_on_the_same_words_or_is_refused(api: Any, article: Any, editor: Any) -> None:
    from annotations.services.articles import article_revise

    text = article.text
    start = text.index("flood wall")
    article_revise(
        article=article, user=editor, source="Editor's note.\n\n" + article.source, source_format=article.source_format
    )
    span = {"start": start, "end": start + 10, "exact": "flood wall", "revision": 1}
    created = api.post(f"/api/v1/articles/{article.pk}/claims/", span, format="json")
    assert created.status_code == 201, created.json()
    claim = created.json()
    article.refresh_from_db()
    assert claim["anchored_revision"] == 2 and claim["anchor_outcome"] == "moved"
    assert article.text[claim["start"] : claim["end"]] == "flood wall"
    article_revise(article=article, user=editor, source="Nothing about walls.", source_format="text")
    refused = api.post(f"/api/v1/articles/{article.pk}/claims/", span, format="json")
    assert refused.status_code == 409 and refused.json()["revision"] == 3
    assert "revision" in refused.json()["error"]["fields"]
