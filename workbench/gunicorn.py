"""gunicorn settings for the WSGI application: `gunicorn -c python:workbench.gunicorn workbench.wsgi:application`.

The deployed web service serves ASGI with daphne (docker-compose.yml, docker/Dockerfile), which
the live-update WebSockets need. These settings serve plain HTTP without them: bench/api_claims.py
measures the API with them, and a deployment may run them behind a proxy that sends /ws/ to daphne.
Command-line options override these.
"""

from __future__ import annotations

import gc
import os
from typing import Any

# Sync workers: one request at a time per process, no GIL shared between requests. Three suit
# two CPUs shared with PostgreSQL (bench/RESULTS.md); WEB_CONCURRENCY sets another number.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
# A worker that hangs (a stuck query) is replaced rather than holding its slot forever.
timeout = 60
graceful_timeout = 30


def post_worker_init(worker: Any) -> None:
    """Once the app is loaded: keep its long-lived objects out of the cyclic garbage collector.

    A page of claims allocates thousands of short-lived dicts; with the default thresholds the
    collector runs every few hundred of them and walks Django's whole object graph each time it
    reaches the older generations. Freezing what exists after start-up and collecting the young
    generation less often cut the CPU per API request by about a tenth (bench/api_claims.py).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)
