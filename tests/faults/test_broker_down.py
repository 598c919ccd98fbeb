"""The broker down: a write that queues work commits and answers as usual; the work is done after it returns.

The outbox (annotations/outbox.py) keeps the work as rows; once Redis is back, a real worker with
beat (its sweep every 2 seconds here) sends and runs it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import PROJECT_ROOT
from tests.faults.conftest import OwnRedis, Site, stop_group, wait_until


def test_a_source_added_while_the_broker_is_down_is_saved_once_and_fetched_after_it_returns(
    site: Site, own_redis: OwnRedis, tmp_path: Path
) -> None:
    api = site.token_session()
    sources_url = site.url(f"/api/v1/claims/{site.seed['claim']}/sources/")
    before = len(api.get(sources_url, timeout=10).json()["results"])

    own_redis.stop()
    try:
        added = api.post(
            sources_url, json={"url": "https://reports.example.org/outage", "stance": "supports"}, timeout=30
        )
        assert added.status_code == 201, added.text[:500]
        source = added.json()
        assert source["snapshot"]["status"] == "pending"
    finally:
        own_redis.start()
    returned = time.monotonic()
    listed = api.get(sources_url, timeout=10).json()["results"]
    assert len(listed) == before + 1  # saved once: the client had no error to retry

    env = {**site.env, "OUTBOX_SWEEP_SECONDS": "2", "FETCH_MAX_ATTEMPTS": "1", "FETCH_TIMEOUT_SECONDS": "5"}
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workbench", "worker", "--beat", "--loglevel=INFO",
         "--concurrency=1", "-Q", "default,fetch,webhooks,embed", "--without-heartbeat", "--without-gossip",
         "--without-mingle", "--schedule", str(tmp_path / "beat-schedule"), "-n", f"faults-{os.getpid()}@%h"],
        env=env, cwd=PROJECT_ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    source_url = site.url(f"/api/v1/sources/{source['id']}/")

    def fetched_or_refused() -> bool:
        return api.get(source_url, timeout=10).json()["snapshot"]["status"] not in ("pending", "fetching")

    try:
        wait_until(fetched_or_refused, 120, f"the fetch never ran: {log.read_text()[-3000:]}")
    finally:
        stop_group(worker)
    recovered = time.monotonic() - returned
    snapshot = api.get(source_url, timeout=10).json()["snapshot"]
    # This machine has no DNS: the attempt ends as a failure to resolve, which is the work being done.
    assert snapshot["status"] in ("fetched", "failed", "blocked"), snapshot
    print(f"\nBroker down: source saved once (201); its fetch ran {recovered:.1f} s after Redis returned")
