"""Production settings refuse unsafe configuration: checked in a fresh interpreter per case."""

import os
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_ROOT


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FETCH_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import workbench.settings"],
        env=clean,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_needs_a_secret_key():
    result = load_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0 and "Set DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_the_test_only_fetch_allowlist():
    result = load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50, FETCH_ALLOW_PRIVATE_HOSTS="127.0.0.1")
    assert result.returncode != 0 and "FETCH_ALLOW_PRIVATE_HOSTS is for tests only" in result.stderr


def test_production_starts_with_a_secret_key():
    result = load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("url", ["sqlite:///db.sqlite3", "mysql://u:p@localhost/db"])
def test_only_postgresql_is_accepted(url):
    result = load_settings(DJANGO_DEBUG="1", DATABASE_URL=url)
    assert result.returncode != 0 and "must point at PostgreSQL" in result.stderr


@pytest.mark.parametrize("rate", ["600 per minute", "fast", "600/fortnight"])
def test_a_malformed_api_rate_limit_is_refused_at_start(rate):
    result = load_settings(DJANGO_DEBUG="1", API_TOKEN_RATE_LIMIT=rate)
    assert result.returncode != 0 and "API_TOKEN_RATE_LIMIT" in result.stderr


@pytest.mark.parametrize("rate", ["600/minute", "10/s", "5000/hour", ""])
def test_api_rate_limits_in_drf_syntax_are_accepted(rate):
    result = load_settings(DJANGO_DEBUG="1", API_TOKEN_RATE_LIMIT=rate)
    assert result.returncode == 0, result.stderr
