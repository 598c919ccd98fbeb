from __future__ import annotations

import datetime

from django.contrib.auth.models import User
from django.db import transaction

from annotations.anchoring import QuoteNotFound, selectors_for_quote, selectors_for_span
from annotations.errors import InvalidInput
from annotations.models import Article, Claim, Priority
from annotations.services.audit import audit_record


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
    restated: str = "",
    claimant: str = "",
    claim_date: datetime.date | None = None,
    priority: int = Priority.NORMAL,
) -> Claim:
    """Mark a claim in an article, by code-point span or by its quote alone.

    Either way the server computes both W3C selectors from the article text, so a claim gets the
    same selectors whether the browser or an API client made it.
    """
    text = article.text
    if start is not None or end is not None:
        if start is None or end is None or not 0 <= start < end <= len(text):
            raise InvalidInput(f"start and end must satisfy 0 <= start < end <= {len(text)}.", field="start")
        quote, position = selectors_for_span(text, start, end)
        if exact is not None and exact != quote.exact:
            raise InvalidInput("exact does not match the article text between start and end.", field="exact")
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
        restated=restated,
        claimant=claimant,
        claim_date=claim_date,
        priority=priority,
        created_by=user,
    )
    audit_record(
        team=article.team,
        actor=user,
        action="claim.create",
        target=claim,
        claim=claim,
        after={"exact": claim.exact, "start": claim.start, "end": claim.end},
    )
    return claim
