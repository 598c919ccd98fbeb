"""Production settings refuse unsafe configuration: checked in a fresh interpreter per case."""

import os
import re
import secrets
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


SETTINGS_SOURCE = (PROJECT_ROOT / "workbench" / "settings.py").read_text()
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "workbench.example.org",
    "DJANGO_SECURE_COOKIES": "true",
    "DJANGO_BEHIND_TLS_PROXY": "true",
}


@pytest.mark.parametrize("variable", sorted(set(re.findall(r'env\.\w+\("(\w+)"', SETTINGS_SOURCE))))
def test_every_variable_the_settings_read_is_in_env_example_and_the_readme_table(variable):
    assert re.search(rf"^{variable}=", (PROJECT_ROOT / ".env.example").read_text(), re.MULTILINE), variable
    readme = (PROJECT_ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration") : readme.index("\n## ", readme.index("## Configuration") + 1)]
    prefixes = tuple(re.findall(r"`(\w+_)\*`", table))
    assert variable in re.findall(r"`(\w+)`", table) or (prefixes and variable.startswith(prefixes)), variable


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FETCH_"))}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=clean, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def settings_values(names: str, **env: str) -> list[str]:
    code = f"import workbench.settings as s; print(*[getattr(s, n, None) for n in {names.split()!r}], sep='|')"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FETCH_"))}
    clean.update(env)
    result = subprocess.run([sys.executable, "-c", code], env=clean, cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().split("|")


def test_https_redirect_and_hsts_only_behind_the_tls_proxy():
    names = "SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS SECURE_HSTS_INCLUDE_SUBDOMAINS SECURE_PROXY_SSL_HEADER"
    assert settings_values(names, **PRODUCTION) == ["True", "31536000", "True", "('HTTP_X_FORWARDED_PROTO', 'https')"]
    assert settings_values(names, **{**PRODUCTION, "DJANGO_BEHIND_TLS_PROXY": "false"}) == ["None"] * 4


def test_sign_in_throttling_is_configured_from_the_environment():
    values = settings_values(
        "AXES_FAILURE_LIMIT AXES_COOLOFF_TIME AXES_LOCKOUT_PARAMETERS",
        DJANGO_DEBUG="1", AXES_FAILURE_LIMIT="3", AXES_COOLOFF_MINUTES="2.5",
    )  # fmt: skip
    assert values == ["3", "0:02:30", "['ip_address', 'username']"]
