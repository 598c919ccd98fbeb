from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection

from annotations.models import Role, Team
from tests.factories import MembershipFactory, TeamFactory, UserFactory

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = PROJECT_ROOT.parent / "shared" / "corpus"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Test users are many; the production hasher's deliberate slowness would dominate the suite."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def sign_in_throttling_off(request: pytest.FixtureRequest, settings: Any) -> None:
    """django-axes off, unless a test asks for `sign_in_throttling`: it refuses authenticate()
    without a request (the test client's login() has none), and failed sign-ins it remembered
    would lock later tests out."""
    if "sign_in_throttling" not in request.fixturenames:
        settings.AXES_ENABLED = False


@pytest.fixture
def sign_in_throttling(settings: Any, db: None) -> Iterator[None]:
    """django-axes on, starting from no recorded attempts."""
    from axes.utils import reset  # type: ignore[import-untyped]

    settings.AXES_ENABLED = True
    reset()
    yield
    reset()


PUBLIC_TEST_ADDRESS = "93.184.215.14"


@pytest.fixture(autouse=True)
def made_up_hosts_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    """Webhook endpoints are looked up when registered; tests register made-up public names
    (hooks.example.org) on machines that may have no DNS. Those resolve to a public address;
    every other name (localhost) through the system."""
    from annotations.fetching.connections import system_resolver
    from annotations.services import webhooks

    def resolve(host: str, port: int) -> list[str]:
        if host.rstrip(".").endswith(("example.org", "example.com", "example.net")):
            return [PUBLIC_TEST_ADDRESS]
        return system_resolver(host, port)

    monkeypatch.setattr(webhooks, "endpoint_resolver", resolve)


@pytest.fixture
def team() -> Team:
    return TeamFactory.create()


@pytest.fixture
def reviewer(team: Team) -> Any:
    return MembershipFactory(team=team, user=UserFactory(username="rita"), role=Role.REVIEWER).user


@pytest.fixture
def editor(team: Team) -> Any:
    return MembershipFactory(team=team, user=UserFactory(username="eddie"), role=Role.EDITOR).user


@pytest.fixture
def outsider() -> Any:
    """A member of another team only."""
    return MembershipFactory(user=UserFactory(username="olga"), role=Role.ADMIN).user


def database_url(settings_dict: dict[str, Any]) -> str:
    """The URL of the database Django is connected to now (the test database inside a test)."""
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    name = settings_dict["NAME"]
    host = settings_dict.get("HOST") or settings_dict.get("OPTIONS", {}).get("host") or ""
    if host.startswith("/"):
        return f"postgresql://{user}:{password}@/{name}?host={quote(host)}"
    return f"postgresql://{user}:{password}@{host}:{settings_dict.get('PORT') or 5432}/{name}"


class WorkerProcess:
    """A real `celery worker` in a child process, consuming from the configured broker."""

    def __init__(self, env: dict[str, str], log_path: Path) -> None:
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "workbench",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "-Q",
                "default,fetch,webhooks,embed",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"test-{os.getpid()}-{time.monotonic_ns()}@%h",
            ],
            env=self.env,
            cwd=PROJECT_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self.wait_ready()
        except BaseException:
            self.stop(signal.SIGKILL)
            raise

    def wait_ready(self, timeout: float = 60) -> None:
        from annotations.tasks.health import health_ping

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.log_path.read_text()[-3000:]
            try:
                if health_ping.delay("ready").get(timeout=5)["nonce"] == "ready":
                    return
            except Exception:
                continue
        raise AssertionError(f"The worker did not start: {self.log_path.read_text()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, sig)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def worker_env(transactional_db: None) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = database_url(connection.settings_dict)
    env["DJANGO_DEBUG"] = "1"
    env.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
    return env


@pytest.fixture
def celery_worker(worker_env: dict[str, str], tmp_path: Path) -> Iterator[WorkerProcess]:
    """A real worker on the test database. Use only in transactional tests: it sees committed rows."""
    worker = WorkerProcess(worker_env, tmp_path / "worker.log")
    worker.start()
    yield worker
    worker.stop()
