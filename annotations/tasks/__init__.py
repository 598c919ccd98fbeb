"""Celery tasks. Each is thin: it takes ids and plain JSON, loads rows and calls a service."""

from annotations.tasks.health import health_ping

__all__ = ["health_ping"]
