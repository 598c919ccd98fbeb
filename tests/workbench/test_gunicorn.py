"""The web process's gunicorn settings: loadable by gunicorn, sized by WEB_CONCURRENCY, GC tuned per worker."""

import gc
import os
import subprocess
import sys

from tests.conftest import PROJECT_ROOT


def print_config(**env: str) -> dict[str, str]:
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "-c", "python:workbench.gunicorn",
         "workbench.wsgi:application"],
        env={**os.environ, "DJANGO_DEBUG": "1", **env}, cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return {k.strip(): v.strip() for k, _, v in (line.partition("=") for line in result.stdout.splitlines())}


def test_three_sync_workers_unless_web_concurrency_says_otherwise():
    config = print_config()
    assert (config["workers"], config["worker_class"], config["timeout"]) == ("3", "sync", "60")
    assert print_config(WEB_CONCURRENCY="5")["workers"] == "5"


def test_each_worker_freezes_its_start_up_objects_and_collects_less_often():
    from workbench import gunicorn

    threshold = gc.get_threshold()
    try:
        gunicorn.post_worker_init(worker=None)
        assert gc.get_freeze_count() > 1000
        assert gc.get_threshold() == (20_000, 50, 100)
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
