"""Reads that may go to a PostgreSQL replica, and the router that keeps writes and migrations on the primary.

Set DATABASE_REPLICA_URL to a streaming replica of DATABASE_URL and the heavy read-only searches
(`reading_database()`: "Already checked?" matching) run there, so more web processes and a growing
corpus of vectors do not load the primary. Everything else, and every write, stays on "default":
the router never sends a write or a migration to the replica, and a replica's few seconds of lag
only delay a match, never lose data.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

REPLICA = "replica"


def reading_database() -> str:
    """The database alias for replica-safe reads: the replica when one is configured, else "default"."""
    return REPLICA if REPLICA in settings.DATABASES else "default"


class PrimaryReplicaRouter:
    """Writes, relations and migrations belong to the primary; the replica serves explicit reads only."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        return None  # "default" unless a query asks for reading_database()

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db != REPLICA
