"""`make run` starts again after any stop, `kill -9` of every process included.

The embedded PostgreSQL is started through the project's helper (the way web, worker and beat
start it, three at once), killed with SIGKILL together with every server process, its pid list
emptied or cut short and its postmaster.pid left pointing at a live process that is not
PostgreSQL (a reused process id); then started again, and the data is still there.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psutil  # type: ignore[import-untyped]
import psycopg
import pytest

from tests.conftest import PROJECT_ROOT
from workbench.embedded_postgres import PID_LIST, running_postmaster, stop
from workbench.launcher import _set_aside_damaged_broker_files

START = "import sys; from pathlib import Path; from workbench.embedded_postgres import database_url; " \
    "print(database_url(Path(sys.argv[1])))"  # fmt: skip


def start_concurrently(var_dir: Path, processes: int = 3) -> list[str]:
    """Start the server from several processes at once, as web, worker and beat do."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    command = [sys.executable, "-c", START, str(var_dir)]
    started = [
        subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(processes)
    ]
    urls = []
    for process in started:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err[-3000:]
        urls.append(out.strip().splitlines()[-1])
    return urls


def kill_everything(pgdata: Path) -> None:
    """SIGKILL the postmaster and every process of its server at the same moment."""
    postmaster = psutil.Process(running_postmaster(pgdata))
    victims = [postmaster, *postmaster.children(recursive=True)]
    for process in victims:
        with contextlib.suppress(psutil.NoSuchProcess):  # a backend that ended meanwhile is as good as killed
            process.send_signal(signal.SIGKILL)
    psutil.wait_procs(victims, timeout=10)


@pytest.fixture
def var_dir(tmp_path: Path) -> Iterator[Path]:
    var = tmp_path / "var"
    yield var
    stop(var)


@pytest.mark.parametrize("pid_list", ["", "[1234, 56", "{not json"])
def test_the_embedded_server_starts_again_after_kill_9_and_a_damaged_pid_list(var_dir: Path, pid_list: str) -> None:
    [url, *others] = start_concurrently(var_dir)
    assert others == [url, url]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE kept (note text)")
        conn.execute("INSERT INTO kept VALUES ('written before the kill')")
    pgdata = (var_dir / "postgres").resolve()

    kill_everything(pgdata)
    (pgdata / PID_LIST).write_text(pid_list)
    # The dead postmaster's id now belongs to another, live process (this test).
    pid_file = pgdata / "postmaster.pid"
    lines = pid_file.read_text().splitlines()
    pid_file.write_text("\n".join([str(os.getpid()), *lines[1:]]) + "\n")
    assert running_postmaster(pgdata) is None

    [again, *others] = start_concurrently(var_dir)
    assert others == [again, again]
    with psycopg.connect(again, autocommit=True) as conn:
        assert conn.execute("SELECT note FROM kept").fetchall() == [("written before the kill",)]
    assert isinstance(json.loads((pgdata / PID_LIST).read_text()), list)
    assert running_postmaster(pgdata) is not None


def test_broker_files_cut_short_by_a_kill_are_set_aside(tmp_path: Path) -> None:
    broker = tmp_path / "broker"
    (broker / "queue").mkdir(parents=True)
    (broker / "control").mkdir()
    (broker / "queue" / "1_a.default.msg").write_text('{"body": "ok"}')
    (broker / "queue" / "2_b.default.msg").write_text('{"body": "cut sh')
    (broker / "control" / "celery.pidbox.exchange").write_text("")
    _set_aside_damaged_broker_files(tmp_path, "")
    assert sorted(p.name for p in (broker / "queue").iterdir()) == ["1_a.default.msg"]
    assert sorted(p.name for p in (broker / "damaged").iterdir()) == ["2_b.default.msg", "celery.pidbox.exchange"]
