"""Benchmark: 500 cited sources fetched by one worker at its default concurrency, from a local server.

Also fetches 20 MB bodies in batches and samples the worker's memory after each batch, to show it
stays flat (bodies stream to a temporary file and then to storage; they are never held whole).
Run: ``python bench/fetch_sources.py`` (uses DATABASE_URL / CELERY_BROKER_URL like the app, or the
embedded PostgreSQL and the filesystem broker). Writes nothing outside a temporary media folder and
a throw-away team, which it deletes. A benchmark, not a test.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.annotations.sources_server import serving  # noqa: E402

SOURCES = 500
BIG_BATCHES = 4
BIG_PER_BATCH = 10
TIMEOUT = 900


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its descendants, in bytes (Linux /proc)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            with open(f"/proc/{current}/task/{current}/children") as children:
                pending.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


class Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, tree_rss(self.pid))
            time.sleep(0.05)


def main() -> int:
    media = tempfile.mkdtemp(prefix="bench-media-")
    with serving() as server:
        env = {
            **os.environ,
            "DJANGO_DEBUG": "1",
            "CELERY_NAMESPACE": os.environ.get("CELERY_NAMESPACE") or "bench",
            "FETCH_ALLOW_PRIVATE_HOSTS": "127.0.0.1",
            "FETCH_EXTRA_PORTS": str(server.port),
            "DJANGO_MEDIA_ROOT": media,
        }
        os.environ.update(env)
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
        django.setup()
        from django.core.management import call_command

        from annotations.models import Snapshot, SnapshotStatus, Source
        from annotations.services.articles import article_create
        from annotations.services.claims import claim_create
        from annotations.services.teams import team_create
        from annotations.tasks.fetching import fetch_snapshot
        from annotations.tasks.health import health_ping

        call_command("migrate", verbosity=0)
        team = team_create(slug=f"bench-{os.getpid()}-{int(time.time())}", name="Fetch benchmark")
        article = article_create(
            team=team, user=None, title="Bench", source="The bill spends $770 billion, up 5%.", source_format="text"
        )
        claim = claim_create(article=article, user=None, exact="spends $770 billion, up 5%")
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "workbench", "worker", "-Q", "fetch,default", "--loglevel=WARNING"],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        try:
            health_ping.delay("ready").get(timeout=60)
            idle = tree_rss(worker.pid)
            sampler = Sampler(worker.pid)
            sampler.start()

            def run(paths: list[str]) -> float:
                ids = []
                for path in paths:
                    snapshot = Snapshot.objects.create(team=team, url=server.loopback(path))
                    Source.objects.create(
                        team=team, claim=claim, url=snapshot.url, stance="supports", snapshot=snapshot
                    )
                    ids.append(snapshot.pk)
                started = time.monotonic()
                for snapshot_id in ids:
                    fetch_snapshot.delay(snapshot_id)
                deadline = started + TIMEOUT
                waiting = Snapshot.objects.filter(pk__in=ids, status__in=[SnapshotStatus.PENDING, "fetching"])
                while waiting.exists():
                    if time.monotonic() > deadline:
                        raise SystemExit("timed out")
                    time.sleep(0.1)
                elapsed = time.monotonic() - started
                done = Snapshot.objects.filter(pk__in=ids, status=SnapshotStatus.FETCHED).count()
                if done != len(ids):
                    failed = Snapshot.objects.filter(pk__in=ids).exclude(status=SnapshotStatus.FETCHED).first()
                    raise SystemExit(f"{len(ids) - done} fetches failed, e.g. {failed.reason if failed else ''}")
                return elapsed

            elapsed = run([f"/small/{n}" for n in range(SOURCES)])
            small_peak = sampler.peak
            print(f"{SOURCES} HTML sources: {elapsed:.1f} s, {SOURCES / elapsed:.1f} fetches/s")
            print(f"worker tree RSS: idle {idle / 2**20:.0f} MB, peak {small_peak / 2**20:.0f} MB")

            big_peaks = []
            for kind in ("big", "big-text"):
                for batch in range(BIG_BATCHES):
                    sampler.peak = 0
                    elapsed = run([f"/{kind}/{batch}-{n}" for n in range(BIG_PER_BATCH)])
                    stored = Snapshot.objects.filter(team=team, url__contains=f"/{kind}/{batch}-")
                    assert all(size == server.big_size for size in stored.values_list("size", flat=True))
                    big_peaks.append(sampler.peak)
                    print(
                        f"{kind}: after {(batch + 1) * BIG_PER_BATCH} x 20 MB bodies ({elapsed:.1f} s for the batch): "
                        f"batch peak RSS {sampler.peak / 2**20:.0f} MB"
                    )
            sampler.running = False
        finally:
            worker.terminate()
            worker.wait(timeout=60)
            team.delete()
        print(
            f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
            f"broker {env.get('CELERY_BROKER_URL', 'filesystem://')}"
        )
        octet, text = big_peaks[:BIG_BATCHES], big_peaks[BIG_BATCHES:]
        flat = all(max(peaks) <= peaks[0] * 1.15 + 16 * 2**20 for peaks in (octet, text))
        print("memory flat with 20 MB bodies:", "yes" if flat else "NO")
        return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
