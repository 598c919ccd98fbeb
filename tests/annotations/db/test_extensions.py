"""pgvector at migrate: present on the embedded server, a clear instruction where it is missing."""

import psycopg
import pytest
from django.db import connection

from annotations.db.extensions import PgvectorMissing, check_vector_available

# The machine's own PostgreSQL, which has no pgvector (.ci/run starts it).
SERVER_WITHOUT_PGVECTOR = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.mark.django_db
def test_the_test_server_has_pgvector_and_the_check_passes():
    with connection.cursor() as cursor:
        check_vector_available(cursor, server_version=connection.pg_version)
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        (version,) = cursor.fetchone()
    assert tuple(int(part) for part in version.split(".")[:2]) >= (0, 8)


def test_a_server_without_pgvector_is_refused_with_what_to_install():
    try:
        server = psycopg.connect(SERVER_WITHOUT_PGVECTOR, connect_timeout=3)
    except psycopg.OperationalError:
        pytest.skip(f"no PostgreSQL without pgvector at {SERVER_WITHOUT_PGVECTOR} (.ci/run starts one)")
    major = server.info.server_version // 10000
    with server, server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'")
        assert cursor.fetchone() is None, "this server has pgvector: the test needs one without"
        with pytest.raises(PgvectorMissing) as refused:
            check_vector_available(cursor, server_version=server.info.server_version)
    assert f"postgresql-{major}-pgvector" in str(refused.value)
    assert "pgvector/pgvector:pg" in str(refused.value) and "migrate again" in str(refused.value)
