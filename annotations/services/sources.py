from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from annotations.errors import InvalidInput
from annotations.fetching.urls import InvalidURL, normalize_url
from annotations.models import Claim, Source, Stance
from annotations.services.audit import audit_record


@transaction.atomic
def source_add(*, claim: Claim, user: User | None, url: str, stance: str, note: str = "") -> Source:
    """Cite a report for a claim."""
    if stance not in Stance.values:
        raise InvalidInput(f"stance must be one of {', '.join(Stance.values)}.", field="stance")
    try:
        normalize_url(url)
    except InvalidURL as exc:
        raise InvalidInput(str(exc), field="url") from exc
    source = Source.objects.create(team_id=claim.team_id, claim=claim, url=url, stance=stance, note=note, added_by=user)
    audit_record(
        team=claim.team,
        actor=user,
        action="source.add",
        target=source,
        claim=claim,
        after={"url": url, "stance": stance},
    )
    return source
