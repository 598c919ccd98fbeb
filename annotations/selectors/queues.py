"""The review queues: which claims are waiting for whom, with every queue's count in one query.

Pages are cut with a keyset cursor (the sort key of the last row seen), never OFFSET, so the
hundredth page costs what the first does. The claim text filter uses PostgreSQL full-text search
over the quote and the restated claim, or a trigram match on the quote for parts of words; both
are served by GIN indexes (migration flow_queue_search).
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from annotations.errors import InvalidInput
from annotations.models import AnchorOutcome, Claim, ClaimStatus, Team, Verdict
from annotations.selectors.workflow import OPEN_STATUSES, PUBLISHED_STATUSES, RECORD_STATUSES

S = ClaimStatus
# Work with a due date still ahead of it: not yet published (a correction has no due date).
UNFINISHED_STATUSES = frozenset(S) - RECORD_STATUSES - {S.NOT_CHECK_WORTHY}
DUE_SOON = datetime.timedelta(days=2)
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
SEARCH_CONFIG = "simple"

QUEUES: dict[str, str] = {
    "mine": "My work",
    "unassigned": "Unassigned",
    "needs_review": "Needs review",
    "changes_requested": "Changes requested",
    "due": "Due soon / Overdue",
    "published": "Published",
    "needs_attention": "Needs attention",
}


@dataclass(frozen=True)
class SortKey:
    field: str
    descending: bool
    nullable: bool = False


SORTS: dict[str, tuple[str, tuple[SortKey, ...]]] = {
    "updated": ("Recently changed", (SortKey("updated_at", True), SortKey("id", True))),
    "due": ("Due first", (SortKey("due_at", False, nullable=True), SortKey("id", False))),
    "priority": ("Highest priority", (SortKey("priority", True), SortKey("updated_at", True), SortKey("id", True))),
    "newest": ("Newest claims", (SortKey("id", True),)),
}


@dataclass(frozen=True)
class QueueFilters:
    article: int | None = None
    assignee: int | None = None
    unassigned: bool = False
    rating: int | None = None
    priority: int | None = None
    due_after: datetime.date | None = None
    due_before: datetime.date | None = None
    text: str = ""


@dataclass
class QueuePage:
    queue: str
    sort: str
    claims: list[Claim]
    next_cursor: str | None
    counts: dict[str, int] = field(default_factory=dict)


def queue_condition(queue: str, *, user: User | AnonymousUser, now: datetime.datetime) -> Q:
    """The rows of `queue` for `user`. Raises InvalidInput for an unknown queue."""
    if queue == "mine":
        return Q(assignee_id=user.pk, status__in=OPEN_STATUSES) if user.is_authenticated else Q(pk__in=[])
    if queue == "unassigned":
        return Q(assignee__isnull=True, status__in=OPEN_STATUSES)
    if queue == "needs_review":
        return Q(status__in=[S.IN_REVIEW, S.CORRECTION_IN_REVIEW])
    if queue == "changes_requested":
        return Q(status=S.CHANGES_REQUESTED)
    if queue == "due":
        return Q(due_at__lte=now + DUE_SOON, status__in=UNFINISHED_STATUSES)
    if queue == "published":
        return Q(status__in=PUBLISHED_STATUSES)
    if queue == "needs_attention":
        # The article was revised under a published claim: its quote no longer matches exactly.
        return Q(status__in=PUBLISHED_STATUSES, anchor_outcome__in=[AnchorOutcome.FUZZY, AnchorOutcome.ORPHAN])
    raise InvalidInput(f"Choose one of the queues: {', '.join(QUEUES)}.", field="queue")


def _filter_condition(filters: QueueFilters) -> Q:
    condition = Q()
    if filters.article is not None:
        condition &= Q(article_id=filters.article)
    if filters.unassigned:
        condition &= Q(assignee__isnull=True)
    elif filters.assignee is not None:
        condition &= Q(assignee_id=filters.assignee)
    if filters.rating is not None:
        condition &= Q(verdicts__is_current=True, verdicts__rating_id=filters.rating)
    if filters.priority is not None:
        condition &= Q(priority=filters.priority)
    if filters.due_after is not None:
        condition &= Q(due_at__date__gte=filters.due_after)
    if filters.due_before is not None:
        condition &= Q(due_at__date__lte=filters.due_before)
    return condition


def _filtered(*, team: Team, filters: QueueFilters) -> QuerySet[Claim]:
    claims = Claim.objects.filter(team=team).filter(_filter_condition(filters))
    text = filters.text.strip()
    if text:
        claims = claims.annotate(
            search=SearchVector("exact", "restated", config=SEARCH_CONFIG),
        ).filter(Q(search=SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")) | Q(exact__icontains=text))
    return claims


def queue_counts(
    *, team: Team, user: User | AnonymousUser, filters: QueueFilters | None = None, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Every queue's count (and "overdue", the part of "due" already past), in one query."""
    now = now or timezone.now()
    aggregates: dict[str, Any] = {
        name: Count("id", filter=queue_condition(name, user=user, now=now)) for name in QUEUES
    }
    aggregates["overdue"] = Count("id", filter=Q(due_at__lt=now, status__in=UNFINISHED_STATUSES))
    return _filtered(team=team, filters=filters or QueueFilters()).order_by().aggregate(**aggregates)


def encode_cursor(values: Sequence[Any]) -> str:
    plain = [v.isoformat() if isinstance(v, datetime.datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(plain, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str, keys: Sequence[SortKey]) -> list[Any]:
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(keys):
            raise ValueError("wrong shape")
        values: list[Any] = []
        for key, value in zip(keys, raw, strict=True):
            if value is None and key.nullable:
                values.append(None)
            elif key.field in ("updated_at", "due_at"):
                parsed = datetime.datetime.fromisoformat(value)
                if timezone.is_naive(parsed):
                    raise ValueError("naive")
                values.append(parsed)
            elif isinstance(value, int) and not isinstance(value, bool):
                values.append(value)
            else:
                raise ValueError("bad value")
        return values
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise InvalidInput("The page cursor is not valid; start from the first page.", field="cursor") from exc


def _after(keys: Sequence[SortKey], values: Sequence[Any]) -> Q:
    """Rows strictly after `values` in the order of `keys` (nulls last).

    The first key also gets a plain range condition (>= or <=), which PostgreSQL can use as an
    index bound, so a deep page starts where the cursor points instead of scanning from the top.
    """
    first, rest = keys[0], keys[1:]
    value = values[0]
    if first.nullable and value is None:
        return Q(**{f"{first.field}__isnull": True}) & (_after(rest, values[1:]) if rest else Q(pk__in=[]))
    strict = "lt" if first.descending else "gt"
    loose = "lte" if first.descending else "gte"
    beyond = Q(**{f"{first.field}__{strict}": value})
    if rest:
        beyond |= Q(**{first.field: value}) & _after(rest, values[1:])
    condition = Q(**{f"{first.field}__{loose}": value}) & beyond
    if first.nullable:
        condition |= Q(**{f"{first.field}__isnull": True})
    return condition


def _ordering(keys: Sequence[SortKey]) -> list[Any]:
    """ORDER BY for `keys`. NULLS LAST only on nullable keys, so the others match the btree indexes' order."""
    nulls = {"nulls_last": True}
    return [
        (F(k.field).desc(**nulls) if k.nullable else F(k.field).desc())
        if k.descending
        else (F(k.field).asc(**nulls) if k.nullable else F(k.field).asc())
        for k in keys
    ]


def claims_for_queue(
    *,
    team: Team,
    user: User | AnonymousUser,
    queue: str,
    filters: QueueFilters | None = None,
    sort: str = "updated",
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
    now: datetime.datetime | None = None,
) -> tuple[list[Claim], str | None]:
    """One page of a queue: the claims with article title, assignee and current verdict, and the next cursor.

    A fixed number of queries, whatever the page or the size of the team.
    """
    now = now or timezone.now()
    if sort not in SORTS:
        raise InvalidInput(f"Sort by one of: {', '.join(SORTS)}.", field="sort")
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(f"Ask for 1 to {MAX_PAGE_SIZE} claims per page.", field="limit")
    keys = SORTS[sort][1]
    claims = _filtered(team=team, filters=filters or QueueFilters()).filter(queue_condition(queue, user=user, now=now))
    if cursor:
        claims = claims.filter(_after(keys, _decode_cursor(cursor, keys)))
    current = Verdict.objects.filter(is_current=True).select_related("rating", "author")
    rows: list[Claim] = list(
        claims.select_related("assignee", "created_by")
        .annotate(article_title=F("article__title"))
        .prefetch_related(Prefetch("verdicts", queryset=current, to_attr="current_verdicts"))
        .order_by(*_ordering(keys))[: limit + 1]
    )
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = encode_cursor([getattr(rows[-1], k.field) for k in keys])
    return rows, next_cursor


def queue_page(
    *,
    team: Team,
    user: User | AnonymousUser,
    queue: str,
    filters: QueueFilters | None = None,
    sort: str = "updated",
    cursor: str | None = None,
    limit: int = PAGE_SIZE,
) -> QueuePage:
    """A queue's page together with every queue's count (three queries in all)."""
    now = timezone.now()
    claims, next_cursor = claims_for_queue(
        team=team, user=user, queue=queue, filters=filters, sort=sort, cursor=cursor, limit=limit, now=now
    )
    counts = queue_counts(team=team, user=user, filters=filters, now=now)
    return QueuePage(queue=queue, sort=sort, claims=claims, next_cursor=next_cursor, counts=counts)


DASHBOARD_DUE_SOON = datetime.timedelta(days=1)
DASHBOARD_LIMIT = 10


@dataclass
class DashboardWork:
    """The dashboard's lists of claims: each capped at a few rows, with the full counts beside them."""

    mine: list[Claim]
    due_soon: list[Claim]
    overdue: list[Claim]
    counts: dict[str, int]


def dashboard_work(
    *, team: Team, user: User | AnonymousUser, now: datetime.datetime | None = None, limit: int = DASHBOARD_LIMIT
) -> DashboardWork:
    """The claims assigned to `user` and still open, and the team's unfinished claims due within a day
    or already overdue, soonest first. Four queries, whatever the number of claims."""
    now = now or timezone.now()
    mine = queue_condition("mine", user=user, now=now)
    due_soon = Q(due_at__gte=now, due_at__lte=now + DASHBOARD_DUE_SOON, status__in=UNFINISHED_STATUSES)
    overdue = Q(due_at__lt=now, status__in=UNFINISHED_STATUSES)
    claims = (
        Claim.objects.filter(team=team)
        .select_related("assignee")
        .annotate(article_title=F("article__title"))
        .defer("prefix", "suffix")
    )
    soonest = (F("due_at").asc(nulls_last=True), F("id").asc())
    counts = (
        Claim.objects.filter(team=team)
        .order_by()
        .aggregate(
            mine=Count("id", filter=mine), due_soon=Count("id", filter=due_soon), overdue=Count("id", filter=overdue)
        )
    )
    return DashboardWork(
        mine=list(claims.filter(mine).order_by(*soonest)[:limit]),
        due_soon=list(claims.filter(due_soon).order_by(*soonest)[:limit]),
        overdue=list(claims.filter(overdue).order_by(*soonest)[:limit]),
        counts=counts,
    )
