"""Fault tests: the app under gunicorn on its own PostgreSQL and its own Redis, which the tests stop.

The machine's shared PostgreSQL and Redis are never touched: `own_redis` is a redis-server on a
free port in a temporary directory, `own_postgres` the embedded PostgreSQL (the project's helper,
workbench.embedded_postgres) in a temporary WORKBENCH_VAR_DIR. Both are started once for the
module, migrated and seeded, and stopped at the end; a test that stops one starts it again.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import PROJECT_ROOT
from workbench.embedded_postgres import database_url, stop


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_group(process: subprocess.Popen[bytes]) -> None:
    """Stop a process started with start_new_session and everything it started: TERM, then KILL."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def wait_until(condition: Any, timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(message)


@dataclass
class OwnRedis:
    directory: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        wait_until(self.answers, 10, "redis-server did not start")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None


@dataclass
class OwnPostgres:
    var_dir: Path
    url: str = ""

    def start(self) -> None:
        self.url = database_url(self.var_dir)

    def stop(self) -> None:
        stop(self.var_dir)


@dataclass
class Site:
    """The app under gunicorn (two sync workers, as deployed) and what the seed created."""

    base_url: str
    env: dict[str, str]
    seed: dict[str, Any]
    process: subprocess.Popen[bytes]
    log: Path

    def url(self, path: str) -> str:
        return self.base_url + path

    def token_session(self) -> requests.Session:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {self.seed['token']}"
        return session

    def browser_session(self) -> requests.Session:
        """Signed in through the log-in page, as a person would."""
        session = requests.Session()
        page = session.get(self.url("/login/"), timeout=10)
        token = page.text.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        signed_in = session.post(
            self.url("/login/"),
            data={"username": self.seed["username"], "password": self.seed["password"], "csrfmiddlewaretoken": token},
            headers={"Referer": self.url("/login/")},
            timeout=10,
        )
        assert signed_in.status_code == 200 and "Log out" in signed_in.text, signed_in.text[:500]
        return session


SEED = """
import json
from annotations.models import Role
from annotations.services.api_keys import api_token_create
from tests.factories import ArticleFactory, ClaimFactory, MembershipFactory, TeamFactory, UserFactory
team = TeamFactory(slug="faults")
user = MembershipFactory(team=team, user=UserFactory(username="fiona"), role=Role.ADMIN).user
user.set_password("a-long-fault-test-password")
user.save()
claim = ClaimFactory(article=ArticleFactory(team=team), exact="flood wall")
token = api_token_create(user=user, name="faults").plaintext
print(json.dumps({"team": team.pk, "slug": team.slug, "claim": claim.pk, "article": claim.article_id,
                  "token": token, "username": "fiona", "password": "a-long-fault-test-password"}))
"""


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnRedis]:
    redis = OwnRedis(tmp_path_factory.mktemp("redis"))
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture(scope="module")
def own_postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnPostgres]:
    postgres = OwnPostgres(tmp_path_factory.mktemp("pg") / "var")
    postgres.start()
    yield postgres
    postgres.stop()


@pytest.fixture(scope="module")
def site(own_postgres: OwnPostgres, own_redis: OwnRedis, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_", "FETCH_", "DATABASE_"))}
    env.update(
        DJANGO_DEBUG="1",
        DJANGO_SECRET_KEY="fault-tests-only-not-a-secret",
        DATABASE_URL=own_postgres.url,
        DATABASE_CONN_MAX_AGE="60",
        CELERY_BROKER_URL=own_redis.url,
        CELERY_NAMESPACE="faults",
        WORKBENCH_VAR_DIR=str(own_postgres.var_dir),
        WEB_CONCURRENCY="2",
        PYTHONUNBUFFERED="1",
    )
    run = {"env": env, "cwd": PROJECT_ROOT, "capture_output": True, "text": True, "timeout": 300}
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], **run)  # type: ignore[call-overload]
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    seeded = subprocess.run([sys.executable, "manage.py", "shell", "-c", SEED], **run)  # type: ignore[call-overload]
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    seed = json.loads(seeded.stdout.strip().splitlines()[-1])

    port = free_port()
    log = tmp_path_factory.mktemp("web") / "gunicorn.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:workbench.gunicorn", "workbench.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--timeout", "30"],
        env=env, cwd=PROJECT_ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(base + "/login/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    try:
        wait_until(up, 60, f"gunicorn did not start: {log.read_text()[-3000:]}")
        yield Site(base, env, seed, process, log)
    finally:
        stop_group(process)
