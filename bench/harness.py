"""What the API benchmarks share: gunicorn, concurrent clients, interleaved rounds, and server CPU.

Server CPU is the CPU time (user + system) of the web server's processes plus that of every
PostgreSQL backend connected to the benchmark's database. Backends come and go during a run (a
worker's connection is closed after CONN_MAX_AGE and the next request opens another), so
`BackendCPU` samples them all through the run instead of reading a list of backends once.
PostgreSQL runs on this machine, so each backend's /proc/<pid>/stat is readable.
"""

from __future__ import annotations

import http.client
import os
import platform
import signal
import socket
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
from psycopg.conninfo import make_conninfo

ROOT = Path(__file__).resolve().parents[1]
_TICK = os.sysconf("SC_CLK_TCK")


# --- Processes ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(argv: Sequence[str], *, port: int, env: dict[str, str], cwd: Path) -> subprocess.Popen[bytes]:
    """Start a server in its own process group and wait until it accepts connections on `port`."""
    process = subprocess.Popen(list(argv), cwd=cwd, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{argv[0]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            time.sleep(0.2)
    stop_server(process)
    raise RuntimeError(f"{' '.join(argv)} did not start")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def process_tree_cpu(master: int) -> float:
    """CPU seconds of a server: its master, its live workers, and the workers it has reaped."""
    fields = _stat(master)
    if fields is None:
        return 0.0
    total = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime, stime, cutime, cstime
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            child = _stat(int(entry.name))
            if child is not None and int(child[1]) == master:
                total += int(child[11]) + int(child[12])
    return total / _TICK


class BackendCPU:
    """CPU time of every PostgreSQL backend connected to one database, sampled through a run.

    A thread lists the database's backends (pg_stat_activity) and reads each one's CPU time every
    `interval` seconds. A backend counts from its first sample, or from zero when it started after
    `start()`, to its latest; what a backend spends between its last sample and its exit is lost:
    at most `interval` of CPU per backend that ends during the run (`ended` counts them). The
    observer's own backend is left out.

    With pg_stat_statements loaded, `statement_ms()` also gives the time the database's
    statements took by PostgreSQL's own account (planning and execution; wall time, not CPU).
    """

    def __init__(self, dsn: str, *, interval: float = 0.02) -> None:
        self._connection = psycopg.connect(dsn, autocommit=True)
        self._interval = interval
        self._lock = threading.Lock()
        self._first: dict[tuple[int, str], int] = {}
        self._last: dict[tuple[int, str], int] = {}
        self._started_at = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.ended = 0
        self.seen = 0

    def start(self) -> None:
        with self._connection.cursor() as cursor:
            cursor.execute("SELECT now()::text")
            self._started_at = cursor.fetchone()[0]  # type: ignore[index]
        self.sample()
        self._thread.start()

    def stop(self) -> None:
        self.sample()
        self._stop.set()
        self._thread.join()
        self._connection.close()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self.sample()

    def sample(self) -> None:
        with self._lock:
            with self._connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid, backend_start::text, backend_start >= %s::timestamptz FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()",
                    [self._started_at],
                )
                backends = cursor.fetchall()
            live = set()
            for pid, started, new in backends:
                fields = _stat(pid)
                if fields is None:
                    continue
                key = (pid, started)
                live.add(key)
                ticks = int(fields[11]) + int(fields[12])
                if key not in self._first:
                    self._first[key] = 0 if new else ticks
                    self.seen += 1
                self._last[key] = ticks
            self.ended = sum(1 for key in self._last if key not in live)

    def seconds(self) -> float:
        """CPU seconds the database's backends have used since `start()`, as of now."""
        self.sample()
        with self._lock:
            return sum(self._last[key] - self._first[key] for key in self._last) / _TICK

    def statement_ms(self) -> float | None:
        """Total statement time of the database by pg_stat_statements, or None without it."""
        try:
            with self._lock, self._connection.cursor() as cursor:
                cursor.execute(
                    "SELECT coalesce(sum(total_exec_time + total_plan_time), 0) FROM pg_stat_statements "
                    "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                )
                return float(cursor.fetchone()[0])  # type: ignore[index]
        except psycopg.Error:
            return None


# --- Requests -----------------------------------------------------------------------------------


def http_get(port: int, path: str, headers: dict[str, str]) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise RuntimeError(f"GET {path}: {response.status} {body[:300]!r}")
    return body


@dataclass
class Scenario:
    """One kind of request, run by every client. `run(client)` does one and returns the bytes it read."""

    name: str
    run: Callable[[int], int]
    cpu: Callable[[], tuple[float, float]]  # CPU seconds so far: (web server, database backends)
    rounds: list[float] = field(default_factory=list)  # median ms per round
    latencies: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # server CPU per request, per round
    web_ms: list[float] = field(default_factory=list)  # of which the web server's
    bytes: int = 0

    def p50(self) -> float:
        return statistics.median(self.latencies)

    def cpu_per_request(self) -> float:
        return statistics.median(self.cpu_ms)

    def line(self) -> str:
        return (
            f"p50 {self.p50():.1f} ms (round medians {min(self.rounds):.1f}–{max(self.rounds):.1f}), "
            f"server CPU {self.cpu_per_request():.2f} ms/request "
            f"(rounds {min(self.cpu_ms):.2f}–{max(self.cpu_ms):.2f}; web server {statistics.median(self.web_ms):.2f}, "
            f"PostgreSQL {self.cpu_per_request() - statistics.median(self.web_ms):.2f}), {self.bytes:,} bytes"
        )


def _round(scenario: Scenario, *, clients: int, per_client: int) -> list[float]:
    """`clients` clients each running the scenario `per_client` times, together; their latencies in ms."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(index: int) -> None:
        for _ in range(per_client):
            started = time.perf_counter()
            try:
                size = scenario.run(index)
            except Exception as exc:  # noqa: BLE001 - reported below
                with lock:
                    errors.append(repr(exc))
                return
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)
                scenario.bytes = size

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{scenario.name}: {errors[:3]}")
    return latencies


def interleaved(scenarios: Sequence[Scenario], *, rounds: int, clients: int, per_client: int) -> None:
    """Run the scenarios in turn (A B A B …), each round with `clients` concurrent clients."""
    for _ in range(rounds):
        for scenario in scenarios:
            web, db = scenario.cpu()
            latencies = _round(scenario, clients=clients, per_client=per_client)
            web_after, db_after = scenario.cpu()
            scenario.cpu_ms.append((web_after - web + db_after - db) / len(latencies) * 1000)
            scenario.web_ms.append((web_after - web) / len(latencies) * 1000)
            scenario.latencies += latencies
            scenario.rounds.append(statistics.median(latencies))


def ratio_line(
    label: str, ours: Scenario, theirs: Scenario, target: float | None = None, *, at_most: bool = True
) -> str:
    """`ours / theirs` for p50 and server CPU, and whether both are within `target` (at most, or at least)."""
    p50, cpu = ours.p50() / theirs.p50(), ours.cpu_per_request() / theirs.cpu_per_request()
    line = f"{label}: p50 {p50:.2f}×, server CPU {cpu:.2f}×"
    if target is None:
        return line
    met = p50 <= target and cpu <= target if at_most else p50 >= target and cpu >= target
    return f"{line} (target {'≤' if at_most else '≥'} {target}×: {'met' if met else 'NOT met'})"


def machine(server_version: str) -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} CPUs ({model}), "
        f"Python {platform.python_version()}, PostgreSQL {server_version} (same machine)"
    )


def database_url(settings: dict[str, Any], name: str) -> str:
    """A postgresql:// URL for database `name` on the server of Django's `settings`; a socket directory
    (the embedded server's) goes in `?host=`, which django-environ and dj-database-url both pass on."""
    options = settings.get("OPTIONS") or {}
    user, password = quote(settings.get("USER") or "", safe=""), quote(settings.get("PASSWORD") or "", safe="")
    host = settings.get("HOST") or options.get("host") or "127.0.0.1"
    port = settings.get("PORT") or options.get("port") or 5432
    if host.startswith("/"):
        return f"postgresql://{user}:{password}@/{name}?host={quote(host)}&port={port}"
    return f"postgresql://{user}:{password}@{host}:{port}/{name}"


def dsn(settings: dict[str, Any], name: str) -> str:
    """A libpq connection string for database `name` on the server of Django's `settings` (a DATABASES
    entry): its host and port, or the socket directory its OPTIONS name (the embedded server's)."""
    options = settings.get("OPTIONS") or {}
    parts = {
        "dbname": name,
        "user": settings.get("USER") or "",
        "password": settings.get("PASSWORD") or "",
        "host": settings.get("HOST") or options.get("host") or "",
        "port": str(settings.get("PORT") or options.get("port") or ""),
    }
    return make_conninfo(**{key: value for key, value in parts.items() if value})
