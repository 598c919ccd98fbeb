"""The claim JSON that the API serves and the browser uses (the contract in the README's API section)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from rest_framework import serializers
from rest_framework.request import Request

from annotations.api.serializers.common import RatingOut, UserOut, page_of, rating_json, user_json
from annotations.models import Claim, ClaimStatus, Priority, Rating, Snapshot, Source, Stance, Verdict

_STATUS_LABELS = {s.value: s.label for s in ClaimStatus}


SNAPSHOT_FIELDS = (
    "id", "status", "reason", "http_status", "title", "final_url",
    "sha256", "content_type", "size", "fetched_at", "body",
)  # fmt: skip


def claims_for_json() -> QuerySet[Claim]:
    """Claims with everything their JSON shows, in a fixed number of queries whatever the count.

    Users and ratings are not joined per row: `claim_lookups` loads the few distinct ones once per
    page, which halves the rows Django turns into objects on a page of claims.
    """
    current = Verdict.objects.filter(is_current=True).only(
        "id",
        "claim_id",
        "rating_id",
        "summary",
        "rationale",
        "author_id",
        "created_at",
        "approved_at",
        "published_at",
        "corrects_id",
        "correction_note",
    )
    sources = (
        Source.objects.select_related("snapshot")
        .only("id", "claim_id", "url", "note", "stance", "added_by_id", "created_at", "evidence",
              *(f"snapshot__{name}" for name in SNAPSHOT_FIELDS))
        .order_by("created_at", "id")
    )  # fmt: skip
    return Claim.objects.defer("not_check_worthy_reason", "anchored_revision").prefetch_related(
        Prefetch("verdicts", queryset=current, to_attr="current_verdicts"),
        Prefetch("sources", queryset=sources, to_attr="source_list"),
    )


@dataclass
class Lookups:
    """The users and ratings a page of claims refers to, loaded once for the page."""

    users: dict[int, User] = field(default_factory=dict)
    ratings: dict[int, Rating] = field(default_factory=dict)

    def user(self, user_id: int | None) -> dict[str, Any] | None:
        user = self.users.get(user_id) if user_id is not None else None
        return None if user is None else {"id": user.pk, "username": user.get_username()}


def claim_lookups(claims: Iterable[Claim]) -> Lookups:
    user_ids: set[int] = set()
    rating_ids: set[int] = set()
    for claim in claims:
        user_ids.update(i for i in (claim.assignee_id, claim.created_by_id) if i is not None)
        verdict = current_verdict_of(claim)
        if verdict is not None:
            rating_ids.add(verdict.rating_id)
            if verdict.author_id is not None:
                user_ids.add(verdict.author_id)
        user_ids.update(s.added_by_id for s in sources_of(claim) if s.added_by_id is not None)
    users = User.objects.only("id", "username").in_bulk(user_ids) if user_ids else {}
    ratings = Rating.objects.in_bulk(rating_ids) if rating_ids else {}
    return Lookups(users=users, ratings=ratings)


def verdict_json(verdict: Verdict, lookups: Lookups | None = None) -> dict[str, Any]:
    rating = lookups.ratings[verdict.rating_id] if lookups is not None else verdict.rating
    return {
        "id": verdict.pk,
        "rating": rating_json(rating),
        "summary": verdict.summary,
        "rationale": verdict.rationale,
        "author": lookups.user(verdict.author_id) if lookups is not None else user_json(verdict.author),
        "created_at": verdict.created_at,
        "approved_at": verdict.approved_at,
        "published_at": verdict.published_at,
        "corrects": verdict.corrects_id,
        "correction_note": verdict.correction_note,
    }


def snapshot_json(snapshot: Snapshot | None) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    return {
        "id": snapshot.pk,
        "status": snapshot.status,
        "reason": snapshot.reason,
        "http_status": snapshot.http_status,
        "title": snapshot.title,
        "final_url": snapshot.final_url,
        "sha256": snapshot.sha256,
        "content_type": snapshot.content_type,
        "size": snapshot.size,
        "fetched_at": snapshot.fetched_at,
        "stored_copy_url": reverse("snapshot_copy", args=[snapshot.pk]) if snapshot.body.name else None,
    }


def _evidence(items: Any) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        return []
    keys = ("kind", "label", "found", "paragraph", "start", "end", "excerpt")
    return [{k: item.get(k) for k in keys} for item in items if isinstance(item, dict)]


def source_json(source: Source, lookups: Lookups | None = None) -> dict[str, Any]:
    return {
        "id": source.pk,
        "claim": source.claim_id,
        "url": source.url,
        "note": source.note,
        "stance": source.stance,
        "added_by": lookups.user(source.added_by_id) if lookups is not None else user_json(source.added_by),
        "created_at": source.created_at,
        "snapshot": snapshot_json(source.snapshot),
        "evidence": _evidence(source.evidence),
    }


def current_verdict_of(claim: Claim) -> Verdict | None:
    prefetched = getattr(claim, "current_verdicts", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return Verdict.objects.filter(claim=claim, is_current=True).select_related("rating", "author").first()


def sources_of(claim: Claim) -> list[Source]:
    prefetched = getattr(claim, "source_list", None)
    if prefetched is not None:
        return list(prefetched)
    sources = Source.objects.filter(claim=claim).select_related("snapshot", "added_by")
    return list(
        sources.defer("snapshot__text", "snapshot__pages", "snapshot__redirect_chain").order_by("created_at", "id")
    )


def claim_json(claim: Claim, *, request: Request | None = None, lookups: Lookups | None = None) -> dict[str, Any]:
    """The claim JSON of the contract. Pass the page's `lookups` when rendering many claims."""
    if lookups is None:
        lookups = claim_lookups([claim])
    verdict = current_verdict_of(claim)
    return {
        "id": claim.pk,
        "article": claim.article_id,
        "exact": claim.exact,
        "prefix": claim.prefix,
        "suffix": claim.suffix,
        "start": claim.start,
        "end": claim.end,
        "anchor_outcome": claim.anchor_outcome,
        "anchor_score": claim.anchor_score,
        "restated": claim.restated,
        "claimant": claim.claimant,
        "claim_date": claim.claim_date,
        "status": claim.status,
        "status_label": _STATUS_LABELS.get(claim.status, claim.status),
        "assignee": lookups.user(claim.assignee_id),
        "priority": claim.priority,
        "due_at": claim.due_at,
        "version": claim.version,
        "created_by": lookups.user(claim.created_by_id),
        "created_at": claim.created_at,
        "updated_at": claim.updated_at,
        "duplicate_of": claim.duplicate_of_id,
        "current_verdict": verdict_json(verdict, lookups) if verdict is not None else None,
        "sources": [source_json(source, lookups) for source in sources_of(claim)],
    }


# --- Schema descriptions of the shapes above. ------------------------------------------------


class VerdictOut(serializers.Serializer):
    id = serializers.IntegerField()
    rating = RatingOut()
    summary = serializers.CharField()
    rationale = serializers.CharField(allow_blank=True)
    author = UserOut(allow_null=True)
    created_at = serializers.DateTimeField()
    approved_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    corrects = serializers.IntegerField(allow_null=True, help_text="The verdict this one corrects.")
    correction_note = serializers.CharField(allow_blank=True)


class SnapshotOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    reason = serializers.CharField(allow_blank=True)
    http_status = serializers.IntegerField(allow_null=True)
    title = serializers.CharField(allow_blank=True)
    final_url = serializers.CharField(allow_blank=True)
    sha256 = serializers.CharField(allow_blank=True)
    content_type = serializers.CharField(allow_blank=True)
    size = serializers.IntegerField(allow_null=True)
    fetched_at = serializers.DateTimeField(allow_null=True)
    stored_copy_url = serializers.CharField(allow_null=True)


class EvidenceOut(serializers.Serializer):
    kind = serializers.CharField(allow_null=True)
    label = serializers.CharField(allow_null=True)  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    found = serializers.BooleanField(allow_null=True)
    paragraph = serializers.IntegerField(allow_null=True)
    start = serializers.IntegerField(allow_null=True)
    end = serializers.IntegerField(allow_null=True)
    excerpt = serializers.CharField(allow_null=True)


class SourceOut(serializers.Serializer):
    id = serializers.IntegerField()
    claim = serializers.IntegerField()
    url = serializers.CharField()
    note = serializers.CharField(allow_blank=True)
    stance = serializers.ChoiceField(choices=Stance.choices)
    added_by = UserOut(allow_null=True)
    created_at = serializers.DateTimeField()
    snapshot = SnapshotOut(allow_null=True)
    evidence = EvidenceOut(many=True)


class ClaimOut(serializers.Serializer):
    id = serializers.IntegerField()
    article = serializers.IntegerField()
    exact = serializers.CharField()
    prefix = serializers.CharField(allow_blank=True)
    suffix = serializers.CharField(allow_blank=True)
    start = serializers.IntegerField(allow_null=True)
    end = serializers.IntegerField(allow_null=True)
    anchor_outcome = serializers.CharField()
    anchor_score = serializers.FloatField()
    restated = serializers.CharField(allow_blank=True)
    claimant = serializers.CharField(allow_blank=True)
    claim_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    status_label = serializers.CharField()
    assignee = UserOut(allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices)
    due_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()
    created_by = UserOut(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    duplicate_of = serializers.IntegerField(allow_null=True, help_text="An earlier claim this one repeats.")
    current_verdict = VerdictOut(allow_null=True)
    sources = SourceOut(many=True)


ClaimPageOut = page_of(ClaimOut, "ClaimPage")
SourcePageOut = page_of(SourceOut, "SourcePage")


class ClaimConflictOut(serializers.Serializer):
    from annotations.api.serializers.common import ErrorBody as _ErrorBody

    error = _ErrorBody()
    current = ClaimOut(allow_null=True)
    last_change = serializers.DictField(allow_null=True)


# --- Input. -------------------------------------------------------------------------------------


class ClaimCreateIn(serializers.Serializer):
    start = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    end = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    exact = serializers.CharField(required=False, trim_whitespace=False, max_length=10000)
    hint = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)
    prefix = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=1000)
    suffix = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, max_length=1000)
    restated = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    claimant = serializers.CharField(required=False, allow_blank=True, max_length=300)
    claim_date = serializers.DateField(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)


class ClaimUpdateIn(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    restated = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    claimant = serializers.CharField(required=False, allow_blank=True, max_length=300)
    claim_date = serializers.DateField(required=False, allow_null=True)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    due_at = serializers.DateTimeField(required=False, allow_null=True)
    assignee = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**63 - 1)


class SourceCreateIn(serializers.Serializer):
    url = serializers.CharField(max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    stance = serializers.ChoiceField(choices=Stance.choices)


class VerdictCreateIn(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    summary = serializers.CharField(max_length=10000)
    rationale = serializers.CharField(required=False, allow_blank=True, max_length=100000)


VerdictPageOut = page_of(VerdictOut, "VerdictPage")


def claims_json(claims: list[Claim], *, request: Request | None = None) -> list[dict[str, Any]]:
    """Many claims (from claims_for_json) as claim JSON, with users and ratings loaded once."""
    lookups = claim_lookups(claims)
    return [claim_json(claim, request=request, lookups=lookups) for claim in claims]
