"""What the reading view draws: every claim of an article as a highlight, built by PostgreSQL.

The reading view needs a claim's span, status, current rating and anchor outcome to draw and list
it; its full JSON (sources, snapshots, evidence, verdict) is loaded only when the claim is opened.
One statement reads the article's revision and builds the JSON text of all its claims
(`row_to_json` per claim, joined with `string_agg`, which writes no whitespace), so the bytes pass
through Python untouched and the revision is the one the offsets count in. The claims come in
document order, orphans last. A claim's quote (`exact`) is sent only for fuzzy and orphaned
claims: an exact or moved claim's quote is the article text at its span.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import connection

from annotations.models import AnchorOutcome, Article, Claim, Rating, Verdict

HIGHLIGHT_KEYS = ("id", "start", "end", "status", "version", "anchor_outcome", "anchor_score", "rating", "exact")
"""The keys of one highlight, in the order the JSON has them (the SQL below writes them)."""
RATING_KEYS = ("id", "label", "color")
QUOTED_OUTCOMES = [AnchorOutcome.FUZZY.value, AnchorOutcome.ORPHAN.value]

_SQL = f"""
SELECT a.revision,
       (SELECT coalesce(string_agg(row_to_json(h)::text, ',' ORDER BY h.start NULLS LAST, h.id), '')
          FROM (SELECT c.id, c.start, c."end", c.status, c.version, c.anchor_outcome, c.anchor_score,
                       CASE WHEN r.id IS NOT NULL
                            THEN (SELECT row_to_json(x) FROM (SELECT r.id, r.label, r.color) x) END AS rating,
                       CASE WHEN c.anchor_outcome = ANY(%(quoted)s) THEN c.exact END AS exact
                  FROM {Claim._meta.db_table} c
                  LEFT JOIN {Verdict._meta.db_table} v ON v.claim_id = c.id AND v.is_current
                  LEFT JOIN {Rating._meta.db_table} r ON r.id = v.rating_id
                 WHERE c.article_id = a.id AND c.team_id = a.team_id) h)
  FROM {Article._meta.db_table} a
 WHERE a.id = %(article)s
"""  # noqa: S608 - table names from the models; values are parameters


@dataclass(frozen=True)
class ArticleHighlights:
    """The highlights JSON of an article (UTF-8 bytes) and its ETag, a digest of those bytes."""

    body: bytes
    etag: str


def article_highlights(*, article: Article) -> ArticleHighlights:
    """Every claim of `article` as a highlight: `{"article", "revision", "claims": [...]}`.

    The ETag changes whenever the JSON does: every claim write bumps the claim's version, a new
    current verdict comes with a transition (which bumps it too), a rating's label or colour is in
    the JSON, and a deleted claim leaves it. One query.
    """
    with connection.cursor() as cursor:
        cursor.execute(_SQL, {"article": article.pk, "quoted": QUOTED_OUTCOMES})
        row = cursor.fetchone()
    if row is None:
        raise Article.DoesNotExist(f"No article {article.pk}.")
    revision, claims = row
    body = b'{"article":%d,"revision":%d,"claims":[%s]}' % (article.pk, revision, claims.encode())
    return ArticleHighlights(body=body, etag=f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"')
