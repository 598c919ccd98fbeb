"""Celery tasks. Each is thin: it takes ids and plain JSON, loads rows and calls a service."""

from annotations.tasks.evidence import check_evidence
from annotations.tasks.fetching import fetch_snapshot, sweep_outbox
from annotations.tasks.health import health_ping
from annotations.tasks.webhooks import deliver_webhook

__all__ = ["check_evidence", "deliver_webhook", "fetch_snapshot", "health_ping", "sweep_outbox"]
