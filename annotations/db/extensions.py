"""PostgreSQL extensions the workbench needs, created by its migrations with an error that says what to install."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import CreateExtension
from django.db.migrations.state import ProjectState

MISSING_VECTOR = (
    "The PostgreSQL server has no pgvector extension, which claim matching needs (vector columns and "
    "HNSW indexes). Install pgvector 0.8 or newer on the database server, e.g. the Debian/Ubuntu "
    "package postgresql-{major}-pgvector, or run the pgvector/pgvector:pg{major} image (docker-compose.yml "
    "does), then run migrate again. Without DATABASE_URL the workbench's embedded PostgreSQL has it."
)
NOT_ALLOWED = (
    'pgvector is installed on the server but this role may not create it. Ask a superuser to run "CREATE '
    'EXTENSION vector;" in the workbench database, then run migrate again.'
)


class PgvectorMissing(RuntimeError):
    """The database server lacks pgvector, or the role may not create it."""


class CreateVectorExtension(CreateExtension):
    """`CREATE EXTENSION vector`, refusing with instructions when the server does not have pgvector."""

    def __init__(self) -> None:
        super().__init__("vector")

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: ProjectState, to_state: ProjectState
    ) -> None:
        connection = schema_editor.connection
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                check_vector_available(cursor, server_version=connection.pg_version)
        super().database_forwards(app_label, schema_editor, from_state, to_state)

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (self.__class__.__qualname__, [], {})


def check_vector_available(cursor: Any, *, server_version: int) -> None:
    """Raise PgvectorMissing, with what to do, unless `CREATE EXTENSION vector` can succeed on this server.

    `cursor` is any DB-API cursor on the workbench's database; `server_version` as PostgreSQL reports
    it (170004 for 17.4).
    """
    cursor.execute("SELECT installed_version FROM pg_available_extensions WHERE name = 'vector'")
    row = cursor.fetchone()
    if row is None:
        raise PgvectorMissing(MISSING_VECTOR.format(major=server_version // 10000))
    if row[0] is not None:
        return
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    superuser = cursor.fetchone()
    # pgvector is not a trusted extension: only a superuser creates it.
    if not (superuser and superuser[0]):
        raise PgvectorMissing(NOT_ALLOWED)
