"""`make run`: migrate, seed the demo, then serve web, worker and beat until Ctrl-C.

Every process is started in its own process group, so Ctrl-C (or any of them dying) stops all
of them, and the embedded PostgreSQL too when this launcher started it. Nothing is left running.

It also starts after an unclean stop (`kill -9` of everything): the embedded PostgreSQL repairs
what it left (workbench.embedded_postgres.recover), and message files of the filesystem broker
that a kill cut short are set aside (celery beat replaces a damaged schedule by itself).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def main() -> int:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
    env.setdefault("PYTHONUNBUFFERED", "1")
    port = env.get("PORT", "8000")
    host = env.get("HOST", "127.0.0.1")
    var_dir = Path(env.get("WORKBENCH_VAR_DIR", BASE_DIR / "var"))
    embedded = not env.get("DATABASE_URL")
    started_postgres = embedded and not _embedded_postgres_running(var_dir)
    if not env.get("CELERY_BROKER_URL"):
        _set_aside_damaged_broker_files(var_dir, env.get("CELERY_NAMESPACE", ""))

    manage = [PYTHON, str(BASE_DIR / "manage.py")]
    try:
        subprocess.run([*manage, "migrate", "--noinput"], env=env, check=True, cwd=BASE_DIR)
        seeded = subprocess.run(
            [*manage, "seed_demo"], env=env, check=True, cwd=BASE_DIR, capture_output=True, text=True
        )
    except (subprocess.CalledProcessError, KeyboardInterrupt) as exc:
        if isinstance(exc, subprocess.CalledProcessError):
            print(exc.stdout or "", exc.stderr or "", sep="", end="", file=sys.stderr, flush=True)
        _stop_postgres(var_dir, started_postgres)
        return 1

    celery = [PYTHON, "-m", "celery", "-A", "workbench"]
    # Every task and every sweep of the outbox (each few seconds) at INFO would bury the demo password.
    celery_log_level = env.get("CELERY_LOG_LEVEL", "WARNING")
    commands = {
        "web": [*manage, "runserver", f"{host}:{port}"],
        "worker": [
            *celery,
            "worker",
            f"--loglevel={celery_log_level}",
            "--concurrency=2",
            "-Q",
            "default,fetch,webhooks,embed",
        ],
        "beat": [*celery, "beat", f"--loglevel={celery_log_level}", "--schedule", str(var_dir / "celerybeat-schedule")],
    }
    processes: dict[str, subprocess.Popen[bytes]] = {}
    stopping = False

    def request_stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    for name, command in commands.items():
        processes[name] = subprocess.Popen(command, env=env, cwd=BASE_DIR, start_new_session=True)
    address = f"http://{host}:{port}/"
    answered = _wait_until_answering(f"{address}healthz", processes, lambda: stopping)
    if not stopping:
        # Last, once web, worker and database answer, so the sign-in stays on screen.
        print(f"\n{seeded.stdout.strip()}", flush=True)
        if not answered:
            print(f"(The health check at {address}healthz has not answered 200 yet.)", flush=True)
        print(f"The workbench is at {address} — Ctrl-C stops everything.\n", flush=True)

    exit_code = 0
    while not stopping:
        for name, process in processes.items():
            if process.poll() is not None:
                print(f"{name} exited with code {process.returncode}; stopping the rest.", flush=True)
                exit_code = 1
                stopping = True
                break
        time.sleep(0.5)

    for process in processes.values():
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()
    _stop_postgres(var_dir, started_postgres)
    return exit_code


def _wait_until_answering(
    url: str, processes: dict[str, subprocess.Popen[bytes]], stopping: Callable[[], bool], timeout: float = 90
) -> bool:
    """Wait until `url` answers 200 (the health check: database, broker and a worker), a process
    exits, a stop is asked for or the timeout passes. Whether it answered."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not stopping():
        if any(process.poll() is not None for process in processes.values()):
            return False
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            if response.status == 200:
                return True
        time.sleep(0.5)
    return False


def _signal_group(process: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def _embedded_postgres_running(var_dir: Path) -> bool:
    from workbench.embedded_postgres import running_postmaster

    pgdata = var_dir / "postgres"
    return pgdata.exists() and running_postmaster(pgdata.resolve()) is not None


def _set_aside_damaged_broker_files(var_dir: Path, namespace: str) -> None:
    """Move JSON files of the filesystem broker that do not parse (a write cut short) to damaged/.

    A damaged exchange table stops the worker from starting; a damaged message cannot be run.
    """
    broker = var_dir / (f"broker-{namespace}" if namespace else "broker")
    damaged_dir = broker / "damaged"
    for folder, pattern in (("queue", "*.msg"), ("control", "*.exchange")):
        for path in (broker / folder).glob(pattern):
            try:
                json.loads(path.read_bytes())
            except ValueError:
                damaged_dir.mkdir(exist_ok=True)
                path.replace(damaged_dir / path.name)
                print(f"Set aside {path.name}, damaged by an unclean stop, in {damaged_dir}.", flush=True)
            except OSError:
                continue


def _stop_postgres(var_dir: Path, started: bool) -> None:
    if started:
        from workbench.embedded_postgres import stop

        stop(var_dir)
        print("Stopped the embedded PostgreSQL.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
