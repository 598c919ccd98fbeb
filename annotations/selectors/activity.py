"""The team's recent activity, read from the audit events as lines a person can read."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from annotations.models import Article, AuditEvent, Membership, Team

ACTIVITY_LIMIT = 20
QUOTE_LENGTH = 80

# What each action did, said of its object ("assigned" + " claim “…”").
VERBS: dict[str, str] = {
    "article.create": "added the article",
    "article.revise": "revised the article",
    "article.capture": "captured the article in a browser",
    "claim.create": "marked the claim",
    "claim.assign": "assigned the claim",
    "claim.update": "edited the claim",
    "claim.delete": "deleted the claim",
    "claim.propose": "proposed a verdict on",
    "claim.request_changes": "requested changes on",
    "claim.resume": "resumed research on",
    "claim.approve": "approved the verdict on",
    "claim.publish": "published the verdict on",
    "claim.propose_correction": "proposed a correction to",
    "claim.approve_correction": "approved the correction to",
    "claim.publish_correction": "published the correction to",
    "claim.withdraw_correction": "withdrew the correction to",
    "claim.retract": "retracted the verdict on",
    "claim.restore_published": "restored the published verdict on",
    "claim.not_check_worthy": "set aside as not check-worthy",
    "claim.reopen": "reopened",
    "claim.link_duplicate": "linked to an already-checked claim:",
    "comment.add": "commented on",
    "source.add": "added a source to",
    "source.refetch": "fetched a source again for",
    "verdict.draft": "drafted a verdict on",
    "suggestion.accept": "accepted a suggested claim:",
    "member.add": "added a member",
    "member.remove": "removed a member",
    "member.role": "changed a member's role",
}
# Recorded alongside a claim step that already says it (the claim's "propose" names the verdict).
SHADOWED = ("verdict.propose", "verdict.propose_correction", "verdict.correct")


@dataclass(frozen=True)
class ActivityLine:
    at: datetime.datetime
    actor: str
    verb: str
    subject: str  # the claim's quote or the article's title, shown in quotes; may be empty
    detail: str  # "to rita", "due date cleared"
    url: str | None


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_LENGTH else text[: QUOTE_LENGTH - 1].rstrip() + "…"


def _events(team: Team, limit: int) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(team=team)
        .exclude(action__in=SHADOWED)
        .select_related("actor", "claim")
        .defer("claim__prefix", "claim__suffix")
        .order_by("-created_at", "-id")[:limit]
    )


def _verb(action: str) -> str:
    return VERBS.get(action) or action.replace(".", " ").replace("_", " ")


def _detail(event: AuditEvent, usernames: dict[int, str]) -> str:
    after: dict[str, Any] = event.after if isinstance(event.after, dict) else {}
    if event.action in ("claim.assign", "claim.update") and "assignee" in after:
        assignee = after.get("assignee")
        return f"to {usernames.get(assignee, 'a former member')}" if assignee else "to nobody"
    if event.action == "claim.update" and set(after) - {"bulk"} == {"due_at"}:
        return "due date set" if after.get("due_at") else "due date cleared"
    return ""


def team_activity(*, team: Team, limit: int = ACTIVITY_LIMIT) -> list[ActivityLine]:
    """The team's last `limit` audited changes, newest first, each with who, what, and a link to it.

    Three queries whatever the limit: the events with their actors and claims, the titles of the
    articles they name, and the members' names (for assignments).
    """
    events = list(_events(team, limit))
    article_ids = {e.target_id for e in events if e.target_type == "article"}
    article_ids |= {e.before.get("article") for e in events if e.action == "claim.delete" and e.before.get("article")}
    titles = (
        dict(Article.objects.filter(team=team, pk__in=article_ids).values_list("pk", "title")) if article_ids else {}
    )
    usernames = dict(Membership.objects.filter(team=team).values_list("user_id", "user__username"))
    lines: list[ActivityLine] = []
    for event in events:
        subject = ""
        url: str | None = None
        if event.claim is not None:
            subject = _excerpt(event.claim.exact)
            url = reverse("article", args=[event.claim.article_id]) + f"#claim-{event.claim.pk}"
        elif event.action == "claim.delete":
            subject = _excerpt(str(event.before.get("exact") or ""))
            article_id = event.before.get("article")
            url = reverse("article", args=[article_id]) if article_id in titles else None
        elif event.target_type == "article":
            subject = titles.get(event.target_id, "")
            url = reverse("article", args=[event.target_id]) if event.target_id in titles else None
        elif event.action.startswith(("member.", "team.", "rating_scale.")):
            url = reverse("team_settings", args=[team.slug])
        lines.append(
            ActivityLine(
                at=event.created_at,
                actor=event.actor.get_username() if event.actor else "The system",
                verb=_verb(event.action),
                subject=subject,
                detail=_detail(event, usernames),
                url=url,
            )
        )
    return lines
