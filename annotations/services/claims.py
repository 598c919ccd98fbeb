from __future__ import annotations

import datetime
import itertools

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from annotations import policy
from annotations.anchoring import (
    QuoteNotFound,
    TextPositionSelector,
    TextQuoteSelector,
    reanchor,
    selectors_for_quote,
    selectors_for_span,
)
from annotations.anchoring.matching import EXACT, MOVED
from annotations.errors import Conflict, InvalidInput
from annotations.models import Article, ArticleRevision, Claim, ClaimantKind, Priority, Rating
from annotations.services.audit import audit_record
from annotations.services.embeddings import claims_embedding_due


class RevisionConflict(Conflict):
    """A selection made on an earlier revision cannot be placed exactly on the article's text now."""

    def __init__(self, message: str, *, revision: int) -> None:
        super().__init__(message, field="revision")
        self.revision = revision


def _texts_since(article: Article, revision: int) -> list[str]:
    """The article's texts from `revision` to the current one, oldest first."""
    older = ArticleRevision.objects.filter(article=article, number__gte=revision).order_by("number")
    texts = list(older.values_list("text", flat=True))
    if len(texts) != article.revision - revision:
        raise InvalidInput(f"Revision {revision} of this article is not kept.", field="revision")
    return [*texts, article.text]


def span_through_revisions(
    *, article: Article, revision: int, start: int, end: int, exact: str | None
) -> tuple[TextQuoteSelector, TextPositionSelector, str]:
    """Carry a span selected on `revision` onto the article's current text, revision by revision.

    Each step applies the re-anchoring rules of an article revision; only an exact or moved result
    (the same quote, found again) is accepted. Returns the selectors on the current text and the
    outcome ("exact" when nothing moved, else "moved"). Raises InvalidInput when the span does not
    fit the stated revision, RevisionConflict when it cannot be placed exactly any more.
    """
    if not 1 <= revision <= article.revision:
        raise InvalidInput(f"The article has revisions 1 to {article.revision}.", field="revision")
    texts = _texts_since(article, revision) if revision < article.revision else [article.text]
    first = texts[0]
    if not 0 <= start < end <= len(first):
        raise InvalidInput(f"start and end must satisfy 0 <= start < end <= {len(first)}.", field="start")
    quote, position = selectors_for_span(first, start, end)
    if exact is not None and exact != quote.exact:
        raise InvalidInput(f"exact does not match revision {revision} between start and end.", field="exact")
    for old, new in itertools.pairwise(texts):
        anchor = reanchor(new, quote, position, old_text=old)
        if anchor.outcome not in (EXACT, MOVED) or anchor.start is None or anchor.end is None:
            raise RevisionConflict(
                f"The article changed after you selected this text (now revision {article.revision}), and the "
                "selection is no longer in it exactly. Select it again in the current text.",
                revision=article.revision,
            )
        quote, position = selectors_for_span(new, anchor.start, anchor.end)
    moved = revision != article.revision and position.start != start
    return quote, position, MOVED if moved else EXACT


@transaction.atomic
def claim_create(
    *,
    article: Article,
    user: User | None,
    start: int | None = None,
    end: int | None = None,
    exact: str | None = None,
    prefix: str = "",
    suffix: str = "",
    hint: int | None = None,
    revision: int | None = None,
    restated: str = "",
    claimant: str = "",
    claimant_kind: str = ClaimantKind.PERSON,
    claim_date: datetime.date | None = None,
    priority: int = Priority.NORMAL,
    canonical: str = "",
    via: list[str] | None = None,
) -> Claim:
    """Mark a claim in an article, by code-point span or by its quote alone.

    Either way the server computes both W3C selectors from the article text, so a claim gets the
    same selectors whether the browser or an API client made it. A span comes with the `revision`
    its offsets count in (and its `exact` text): if the article has moved on, the span is carried
    through the revisions since (see span_through_revisions) and stored where it landed, with the
    outcome. Without a revision, the span must hold `exact` in the current text, or the quote is
    looked for near it. Locks the article row, so marking and revising the text take turns.

    `canonical` and `via` are kept for an annotation a client copied from elsewhere (W3C Web
    Annotation Protocol 4.1): its canonical IRI, and the IRIs it had before.
    """
    if claimant_kind not in ClaimantKind.values:
        raise InvalidInput(f"claimant_kind is one of {', '.join(ClaimantKind.values)}.", field="claimant_kind")
    article = Article.objects.select_for_update().get(pk=article.pk)
    text = article.text
    outcome = EXACT
    if start is not None or end is not None:
        if start is None or end is None:
            raise InvalidInput("Give both start and end.", field="start")
        if revision is not None:
            quote, position, outcome = span_through_revisions(
                article=article, revision=revision, start=start, end=end, exact=exact
            )
        elif 0 <= start < end <= len(text) and (exact is None or text[start:end] == exact):
            quote, position = selectors_for_span(text, start, end)
        elif exact:
            try:
                quote, position = selectors_for_quote(text, exact, hint=start, prefix=prefix, suffix=suffix)
            except QuoteNotFound as exc:
                message = "exact does not match the article text between start and end."
                raise InvalidInput(message, field="exact") from exc
            outcome = MOVED
        else:
            raise InvalidInput(f"start and end must satisfy 0 <= start < end <= {len(text)}.", field="start")
    elif exact:
        try:
            quote, position = selectors_for_quote(text, exact, hint=hint, prefix=prefix, suffix=suffix)
        except QuoteNotFound as exc:
            raise InvalidInput("The quote does not occur in the article.", field="exact") from exc
    else:
        raise InvalidInput("Give start and end, or the exact quote.", field="exact")
    claim = Claim.objects.create(
        team_id=article.team_id,
        article=article,
        exact=quote.exact,
        prefix=quote.prefix,
        suffix=quote.suffix,
        start=position.start,
        end=position.end,
        anchored_revision=article.revision,
        anchor_outcome=outcome,
        restated=restated,
        restated_by=user if restated else None,
        restated_at=timezone.now() if restated else None,
        claimant=claimant,
        claimant_kind=claimant_kind,
        claim_date=claim_date,
        priority=priority,
        canonical=canonical,
        via=via or [],
        created_by=user,
    )
    claims_embedding_due([claim])
    audit_record(
        team=article.team,
        actor=user,
        action="claim.create",
        target=claim,
        claim=claim,
        after={"exact": claim.exact, "start": claim.start, "end": claim.end, "revision": article.revision},
    )
    return claim


@transaction.atomic
def claim_verdict_draft(
    *, claim: Claim, user: User, version: int, rating: Rating, summary: str, rationale: str = ""
) -> Claim:
    """Record a draft verdict on an open claim, against the claim version the writer read.

    Locks the claim; a stale version raises ClaimConflict. The claim's version moves on, so that
    a colleague's panel sees the new verdict as a change.
    """
    from annotations.services.verdicts import verdict_propose
    from annotations.services.workflow.locking import check_version, claim_lock, claim_save_audited, require_member

    claim = claim_lock(claim=claim)
    membership = require_member(claim=claim, user=user)
    policy.check(action="verdict.draft", membership=membership, claim=claim)
    check_version(claim=claim, version=version)
    verdict = verdict_propose(claim=claim, user=user, rating=rating, summary=summary, rationale=rationale)
    return claim_save_audited(
        claim=claim, user=user, action="claim.draft_verdict", fields=[], before={}, after={"verdict": verdict.pk}
    )
