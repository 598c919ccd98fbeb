"""Claim suggestions, on the "default" queue: finding an article's, and refitting a team's weights."""

from __future__ import annotations

from celery import shared_task

from annotations import outbox
from annotations.services.suggestions import article_suggest, suggestions_refit


@shared_task(
    name=outbox.SUGGEST,
    queue=outbox.queue_of(outbox.SUGGEST),
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=120,
    time_limit=180,
    ignore_result=True,
)
def suggest_claims(article_id: int) -> str:
    """Safe to run again: a scan that is not pending does nothing."""
    return article_suggest(article_id=article_id)


@shared_task(
    name=outbox.REFIT_SUGGESTIONS,
    queue=outbox.queue_of(outbox.REFIT_SUGGESTIONS),
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=300,
    time_limit=360,
    ignore_result=True,
)
def refit_suggestions(team_id: int) -> str:
    """Safe to run again: a team whose refit is not pending is left as it is."""
    return suggestions_refit(team_id=team_id)
