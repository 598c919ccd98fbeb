"""PostgreSQL down for 9 s under load: 503 (JSON for the API, a page for pages), never a 500;
a request answered 5xx saved nothing; the app recovers by itself when PostgreSQL is back."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

import psycopg
import requests

from tests.faults.conftest import OwnPostgres, Site

DOWN_SECONDS = 9.0


@dataclass
class Answer:
    kind: str
    status: int
    at: float
    retry_after: str | None
    content_type: str
    body: str
    nonce: str = ""


def load(site: Site, browser_cookies: Any, stop: threading.Event, answers: list[Answer], kind: str) -> None:
    session = site.token_session() if kind != "page" else requests.Session()
    if kind == "page":
        session.cookies.update(browser_cookies)
    seed = site.seed
    while not stop.is_set():
        nonce = ""
        try:
            if kind == "read":
                response = session.get(site.url(f"/api/v1/claims/{seed['claim']}/"), timeout=15)
            elif kind == "write":
                nonce = uuid.uuid4().hex
                response = session.post(
                    site.url(f"/api/v1/claims/{seed['claim']}/comments/"), json={"body": f"load {nonce}"}, timeout=15
                )
            else:
                response = session.get(site.url(f"/t/{seed['slug']}/"), timeout=15)
        except requests.RequestException as exc:
            answers.append(Answer(kind, 0, time.monotonic(), None, "", repr(exc), nonce))
            continue
        answers.append(
            Answer(
                kind,
                response.status_code,
                time.monotonic(),
                response.headers.get("Retry-After"),
                response.headers.get("Content-Type", ""),
                response.text[:2000],
                nonce,
            )
        )


def test_postgres_down_under_load_is_a_503_saves_nothing_and_recovers(site: Site, own_postgres: OwnPostgres) -> None:
    browser = site.browser_session()
    stop = threading.Event()
    answers: list[Answer] = []
    threads = [
        threading.Thread(target=load, args=(site, browser.cookies, stop, answers, kind))
        for kind in ("read", "read", "write", "write", "page", "page")
    ]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        own_postgres.stop()
        down_at = time.monotonic()
        time.sleep(DOWN_SECONDS)
        restart_at = time.monotonic()
        own_postgres.start()
        back_at = time.monotonic()  # accepting connections again
        time.sleep(5)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

    assert not [a for a in answers if a.status == 0], "a request got no answer at all"
    server_errors = [a for a in answers if a.status >= 500 and a.status != 503]
    assert not server_errors, server_errors[:3]
    unavailable = [a for a in answers if a.status == 503]
    assert unavailable, "PostgreSQL was down, yet nothing answered 503"
    for answer in unavailable:
        assert answer.retry_after and int(answer.retry_after) > 0
        if answer.kind == "page":
            assert answer.content_type.startswith("text/html") and "Try again" in answer.body
            assert 'role="alert"' in answer.body
        else:
            assert answer.content_type.startswith("application/json")
            assert '"code":"database_unavailable"' in answer.body and '"status":503' in answer.body

    # Every write answered 201 is stored; none answered 503 is.
    with psycopg.connect(own_postgres.url, autocommit=True) as conn:
        stored = {row[0].removeprefix("load ") for row in conn.execute("SELECT body FROM annotations_comment")}
    writes = [a for a in answers if a.kind == "write"]
    created = {a.nonce for a in writes if a.status == 201}
    refused = {a.nonce for a in writes if a.status == 503}
    lost = created - stored
    saved_though_refused = refused & stored
    assert not lost and not saved_though_refused, (lost, saved_though_refused)

    recovered = {}
    for kind in ("read", "write", "page"):
        first_ok = min(a.at for a in answers if a.kind == kind and a.at > restart_at and a.status < 400)
        recovered[kind] = max(0.0, first_ok - back_at)
    assert max(recovered.values()) < 3, recovered
    during = [a for a in answers if down_at + 1 < a.at < restart_at]
    assert during and all(a.status == 503 for a in during), {a.status for a in during}
    print(
        f"\nPostgreSQL down {DOWN_SECONDS:g} s under load: {len(answers)} requests, {len(unavailable)} answered 503, "
        f"{len(server_errors)} other 5xx, {len(created)} writes stored, {len(lost)} lost, "
        f"{len(saved_though_refused)} saved though refused; first success after restart (s): "
        + ", ".join(f"{kind} {seconds:.2f}" for kind, seconds in recovered.items())
    )
