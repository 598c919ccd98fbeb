"""Celery tasks. Each is thin: it takes ids and plain JSON, loads rows and calls a service."""

from annotations.tasks.embedding import embed_claim, embed_review
from annotations.tasks.evidence import check_evidence
from annotations.tasks.fetching import fetch_snapshot, sweep_outbox
from annotations.tasks.health import health_ping
from annotations.tasks.review_feeds import refresh_review_feed
from annotations.tasks.suggestions import refit_suggestions, suggest_claims
from annotations.tasks.webhooks import deliver_webhook

__all__ = [
    "check_evidence",
    "deliver_webhook",
    "embed_claim",
    "embed_review",
    "fetch_snapshot",
    "health_ping",
    "refit_suggestions",
    "refresh_review_feed",
    "suggest_claims",
    "sweep_outbox",
]
