"""Claim suggestions: finding them when an article is written, following its revisions, the desk's
decisions, and refitting a team's weights from those decisions.

`suggestions_due` (called by the article services in their transaction) marks the article's scan
pending and queues the worker on commit; the worker scores the text outside any transaction and
stores the result only if the article is still at the revision it read (`article_suggest`).
Accepting a suggestion marks the claim through `claim_create`, with the same span and revision as a
reviewer selecting it by hand. Every decision counts towards a refit of the team's weights, which
the worker runs once REFIT_AFTER_DECISIONS new ones have come in (`suggestions_refit`).

Locks: the article row first, then its suggestions (as `claim_create` and `article_revise` do).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from annotations import outbox, policy
from annotations.anchoring import TextPositionSelector, TextQuoteSelector, reanchor_many, selectors_for_span
from annotations.anchoring.matching import EXACT, MOVED, ORPHAN
from annotations.errors import Conflict
from annotations.models import (
    Article,
    Claim,
    Membership,
    Suggestion,
    SuggestionModel,
    SuggestionScan,
    SuggestionStatus,
    Team,
)
from annotations.services.audit import audit_record
from annotations.services.claims import claim_create
from annotations.suggestions import MIN_SCORE, Span, Weights, overlaps_enough, shipped_weights, suggest
from annotations.suggestions.scoring import reasons, score

REFIT_AFTER_DECISIONS = 20
"""New accepted or dismissed suggestions before the team's weights are fitted again."""
TEAM_EXAMPLE_WEIGHT = 3.0
"""How much one of the team's own examples counts against one of the shipped labelled set."""
HAND_CLAIMS = 1000
"""The most recent hand-marked claims a refit learns from."""
DECISIONS = 5000
"""The most recent decisions a refit learns from."""


def team_weights(team_id: int) -> Weights:
    """The weights that score the team's suggestions: its own once refitted, else the shipped ones."""
    model = SuggestionModel.objects.filter(pk=team_id, fits__gt=0).first()
    if model is None:
        return shipped_weights()
    return Weights.from_json({"version": model.version, "intercept": model.intercept, "weights": model.weights})


def claim_spans(*, article_id: int) -> list[Span]:
    """Where the article's claims are (orphans have no place)."""
    rows = Claim.objects.filter(article_id=article_id, start__isnull=False, end__isnull=False)
    return [
        Span(start, end) for start, end in rows.values_list("start", "end") if start is not None and end is not None
    ]


def suggestions_due(*, article: Article) -> None:
    """The article's text is new: find its suggestions again after commit."""
    _, created = SuggestionScan.objects.get_or_create(article_id=article.pk, defaults={"team_id": article.team_id})
    if not created:
        SuggestionScan.objects.filter(pk=article.pk).update(pending=True, queued_at=None)
    outbox.queue_on_commit(outbox.SUGGEST, article.pk)


def suggestions_reanchor(*, article: Article, old_text: str) -> None:
    """Carry the article's suggestions onto its new text (the article row is locked, its text saved).

    An open suggestion whose quote is found unchanged moves with it; any other open one is dropped
    (the scan that follows finds the new text's own). Decided suggestions keep their quote and
    become orphans when it is gone: they remain the team's decisions.
    """
    text = article.text
    rows = list(Suggestion.objects.select_for_update().filter(article=article).order_by("id"))
    anchors = reanchor_many(
        text,
        [
            (
                TextQuoteSelector(s.exact, s.prefix, s.suffix),
                None if s.start is None or s.end is None else TextPositionSelector(s.start, s.end),
            )
            for s in rows
        ],
        old_text=old_text,
    )
    kept: list[Suggestion] = []
    dropped: list[int] = []
    open_spans: set[tuple[int, int]] = set()
    for suggestion, anchor in zip(rows, anchors, strict=True):
        found = anchor.outcome in (EXACT, MOVED) and anchor.start is not None and anchor.end is not None
        if suggestion.status == SuggestionStatus.OPEN and (not found or (anchor.start, anchor.end) in open_spans):
            dropped.append(suggestion.pk)
            continue
        suggestion.anchored_revision = article.revision
        if found:
            assert anchor.start is not None and anchor.end is not None
            quote, position = selectors_for_span(text, anchor.start, anchor.end)
            suggestion.prefix, suggestion.suffix = quote.prefix, quote.suffix
            suggestion.start, suggestion.end = position.start, position.end
            suggestion.anchor_outcome = anchor.outcome
            if suggestion.status == SuggestionStatus.OPEN:
                open_spans.add((position.start, position.end))
        else:
            suggestion.start = suggestion.end = None
            suggestion.anchor_outcome = ORPHAN
        kept.append(suggestion)
    Suggestion.objects.filter(pk__in=dropped).delete()
    Suggestion.objects.bulk_update(
        kept, ["start", "end", "prefix", "suffix", "anchor_outcome", "anchored_revision"], batch_size=1000
    )
    suggestions_due(article=article)


def article_suggest(*, article_id: int) -> str:
    """Find and store the suggestions of the article's current text, if its scan is pending.

    Returns "suggested", "current" (nothing pending), "off" (the team turned suggestions off),
    "stale" (the text changed meanwhile: the revision queued its own scan) or "gone".
    """
    scan = SuggestionScan.objects.filter(pk=article_id).first()
    if scan is None:
        return "gone"
    if not scan.pending:
        return "current"
    article = Article.objects.filter(pk=article_id).select_related("team").only("team", "revision", "text").first()
    if article is None:
        return "gone"
    if not article.team.suggestions_enabled:
        SuggestionScan.objects.filter(pk=article_id).update(pending=False)
        return "off"
    revision, text = article.revision, article.text
    weights = team_weights(article.team_id)
    candidates = suggest(text, weights)  # outside any transaction: no row is held while the text is read
    with transaction.atomic():
        article = Article.objects.select_for_update().only("id", "team", "revision").get(pk=article_id)
        if article.revision != revision:
            return "stale"
        claims = claim_spans(article_id=article_id)
        existing = list(Suggestion.objects.select_for_update().filter(article_id=article_id, start__isnull=False))
        decided = [Span(s.start or 0, s.end or 0) for s in existing if s.status != SuggestionStatus.OPEN]
        open_rows: dict[tuple[int | None, int | None], Suggestion] = {}
        for s in existing:
            if s.status == SuggestionStatus.OPEN:
                open_rows.setdefault((s.start, s.end), s)
        keep: list[Suggestion] = []
        new: list[Suggestion] = []
        for candidate in candidates:
            span = candidate.span
            if any(overlaps_enough(span, other) for other in claims) or any(
                overlaps_enough(span, other) for other in decided
            ):
                continue
            row = open_rows.pop((span.start, span.end), None)
            if row is None:
                quote, _ = selectors_for_span(text, span.start, span.end)
                row = Suggestion(
                    team_id=article.team_id,
                    article_id=article_id,
                    exact=quote.exact,
                    prefix=quote.prefix,
                    suffix=quote.suffix,
                    start=span.start,
                    end=span.end,
                    anchored_revision=revision,
                )
                new.append(row)
            else:
                keep.append(row)
            row.score = round(candidate.score, 6)
            row.reasons = list(candidate.reasons)
            row.features = candidate.features
            row.model_version = weights.version
        kept_ids = {s.pk for s in keep}
        Suggestion.objects.filter(article_id=article_id, status=SuggestionStatus.OPEN).exclude(pk__in=kept_ids).delete()
        Suggestion.objects.bulk_update(keep, ["score", "reasons", "features", "model_version"], batch_size=1000)
        Suggestion.objects.bulk_create(new, batch_size=1000)
        SuggestionScan.objects.filter(pk=article_id).update(
            scanned_revision=revision, pending=False, scanned_at=timezone.now()
        )
    return "suggested"


def _lock_open(suggestion: Suggestion) -> tuple[Article, Suggestion]:
    article = Article.objects.select_for_update().select_related("team").get(pk=suggestion.article_id)
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != SuggestionStatus.OPEN:
        raise Conflict(f"This suggestion was already {locked.get_status_display().lower()}.", field="status")
    if locked.start is None or locked.end is None:
        raise Conflict("This suggestion is no longer in the article.", field="status")
    return article, locked


@transaction.atomic
def suggestion_accept(*, suggestion: Suggestion, user: User) -> Claim:
    """Mark the suggested span as a claim: the same selectors as selecting it by hand in the revision
    the suggestion counts in. Raises Conflict when it was decided already or is a claim by now."""
    article, suggestion = _lock_open(suggestion)
    assert suggestion.start is not None and suggestion.end is not None
    span = Span(suggestion.start, suggestion.end)
    if any(overlaps_enough(span, claim) for claim in claim_spans(article_id=article.pk)):
        raise Conflict("This text is already marked as a claim.", field="status")
    claim = claim_create(
        article=article,
        user=user,
        start=suggestion.start,
        end=suggestion.end,
        exact=suggestion.exact,
        revision=suggestion.anchored_revision,
    )
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.claim = claim
    _decide(suggestion, user, action="suggestion.accept", after={"claim": claim.pk})
    return claim


@transaction.atomic
def suggestion_dismiss(*, suggestion: Suggestion, user: User) -> Suggestion:
    """Record that the desk does not want the span checked; it is not suggested again."""
    _, suggestion = _lock_open(suggestion)
    suggestion.status = SuggestionStatus.DISMISSED
    _decide(suggestion, user, action="suggestion.dismiss", after={})
    return suggestion


def _decide(suggestion: Suggestion, user: User, *, action: str, after: dict[str, Any]) -> None:
    suggestion.decided_by = user
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "claim", "decided_by", "decided_at"])
    team = Team.objects.get(pk=suggestion.team_id)
    audit_record(
        team=team,
        actor=user,
        action=action,
        target=suggestion,
        before={"status": SuggestionStatus.OPEN},
        after={
            "status": suggestion.status,
            "score": suggestion.score,
            "model_version": suggestion.model_version,
            **after,
        },
    )
    _count_decision(team.pk)


def _count_decision(team_id: int) -> None:
    """Queue a refit once enough decisions have come in since the last one."""
    base = shipped_weights()
    model, _ = SuggestionModel.objects.get_or_create(
        team_id=team_id, defaults={"version": base.version, "intercept": base.intercept, "weights": dict(base.weights)}
    )
    decided = Suggestion.objects.filter(team_id=team_id).exclude(status=SuggestionStatus.OPEN).count()
    if decided - model.decisions_at_fit < REFIT_AFTER_DECISIONS:
        return
    if SuggestionModel.objects.filter(pk=team_id, refit_pending=False).update(refit_pending=True, queued_at=None):
        outbox.queue_on_commit(outbox.REFIT_SUGGESTIONS, team_id)


def suggestions_refit(*, team_id: int) -> str:
    """Fit the team's weights on the shipped labelled set plus its own decisions and hand-marked
    claims, then rescore its open suggestions. Returns "fitted", "current" or "gone".

    Runs in the worker: scikit-learn is loaded here, never in a request.
    """
    from annotations.suggestions.features import span_features
    from annotations.suggestions.fitting import Example, base_examples, fit

    model = SuggestionModel.objects.filter(pk=team_id).first()
    if model is None:
        return "gone"
    if not model.refit_pending:
        return "current"
    decisions = list(
        Suggestion.objects.filter(team_id=team_id)
        .exclude(status=SuggestionStatus.OPEN)
        .order_by("-decided_at")
        .values_list("features", "status", "claim_id")[:DECISIONS]
    )
    from_suggestions = [claim for _, _, claim in decisions if claim is not None]
    hand = (
        Claim.objects.filter(team_id=team_id, created_by__isnull=False)
        .exclude(pk__in=from_suggestions)
        .order_by("-id")
        .values_list("exact", flat=True)[:HAND_CLAIMS]
    )
    team_examples = [
        Example(features, int(status == SuggestionStatus.ACCEPTED), TEAM_EXAMPLE_WEIGHT)
        for features, status, _ in decisions
    ] + [Example(span_features(exact), 1, TEAM_EXAMPLE_WEIGHT) for exact in hand]
    weights = fit([*base_examples(), *team_examples], version=f"team-{team_id}.{model.fits + 1}")
    with transaction.atomic():
        model = SuggestionModel.objects.select_for_update().get(pk=team_id)
        model.version = weights.version
        model.intercept = weights.intercept
        model.weights = dict(weights.weights)
        model.fits += 1
        model.decisions_at_fit = len(decisions)
        model.refit_pending = False
        model.fitted_at = timezone.now()
        model.save()
        _rescore(team_id, weights)
    return "fitted"


def _rescore(team_id: int, weights: Weights) -> None:
    """Score the team's open suggestions with new weights, from the features they were found with."""
    rows = list(
        Suggestion.objects.select_for_update()
        .filter(team_id=team_id, status=SuggestionStatus.OPEN)
        .only("id", "features", "score", "reasons", "model_version")
    )
    below: list[int] = []
    for row in rows:
        row.score = round(score(row.features, weights), 6)
        row.reasons = reasons(row.features, weights)
        row.model_version = weights.version
        if row.score < MIN_SCORE:
            below.append(row.pk)
    Suggestion.objects.filter(pk__in=below).delete()
    Suggestion.objects.bulk_update(
        [r for r in rows if r.pk not in set(below)], ["score", "reasons", "model_version"], batch_size=1000
    )


@transaction.atomic
def team_suggestions_set(*, team: Team, user: User | None, enabled: bool) -> Team:
    """Turn the team's suggestions on or off (a person needs the editor role; None is the system).
    Turning them on finds them again in its articles."""
    if user is not None:
        membership = Membership.objects.filter(team_id=team.pk, user_id=user.pk).first()
        policy.check(action="suggestions.manage", membership=membership)
    team = Team.objects.select_for_update().get(pk=team.pk)
    if team.suggestions_enabled == enabled:
        return team
    before = team.suggestions_enabled
    team.suggestions_enabled = enabled
    team.save(update_fields=["suggestions_enabled"])
    if enabled:
        scans = SuggestionScan.objects.filter(team=team)
        scans.update(pending=True, queued_at=None)
        missing = Article.objects.filter(team=team, suggestion_scan__isnull=True).values_list("pk", flat=True)
        SuggestionScan.objects.bulk_create([SuggestionScan(article_id=pk, team=team) for pk in missing])
        outbox.queue_on_commit(outbox.SUGGEST, *scans.order_by("pk").values_list("pk", flat=True)[: outbox.SWEEP_BATCH])
    audit_record(
        team=team,
        actor=user,
        action="team.suggestions",
        target=team,
        before={"suggestions_enabled": before},
        after={"suggestions_enabled": enabled},
    )
    return team
