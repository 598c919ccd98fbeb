"""manage.py in a new shell: a checkout without a secret key runs as development, production stays strict."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import PROJECT_ROOT

PRINT_DEBUG = "from django.conf import settings; print(settings.DEBUG)"


def _debug(extra: dict[str, str]) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRINT_DEBUG],
        env={**env, **extra},
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip().splitlines()[-1]


def test_a_new_shell_with_nothing_exported_runs_the_readme_commands_as_development() -> None:
    assert _debug({}) == "True"


def test_a_secret_key_means_production_unless_debug_is_asked_for() -> None:
    assert _debug({"DJANGO_SECRET_KEY": "x" * 50}) == "False"
    assert _debug({"DJANGO_SECRET_KEY": "x" * 50, "DJANGO_DEBUG": "1"}) == "True"
