"""/healthz through a real worker on the configured broker (never eager mode).

Anyone may ask; only staff users are told the details (hosts, error texts, the worker's name).
"""

import pytest

from tests.factories import UserFactory
from workbench.celery import app

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True))
    return client


def only_ok_flags(body: dict) -> bool:
    return set(body) == {"ok", "database", "broker", "worker"} and all(
        body[part] == {"ok": body[part]["ok"]} for part in ("database", "broker", "worker")
    )


@pytest.mark.worker
def test_healthz_reports_database_broker_and_worker_ok(client, celery_worker):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response.json() == {"ok": True, "database": {"ok": True}, "broker": {"ok": True}, "worker": {"ok": True}}
    client.force_login(UserFactory(is_staff=True))
    body = client.get("/healthz").json()
    assert body["database"]["ok"] and body["broker"]["ok"] and body["worker"]["ok"]
    assert body["worker"]["worker"]
    assert app.conf.task_always_eager is False


def test_healthz_says_the_worker_is_down_when_none_answers(client, staff_client, worker_env, settings):
    settings.HEALTH_CHECK_TIMEOUT = 1.5
    response = staff_client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["database"]["ok"] and body["broker"]["ok"]
    assert body["worker"] == {"ok": False, "error": "No worker answered within 1.5 s."}


def test_healthz_says_the_broker_is_down(staff_client, monkeypatch, settings):
    # A real, closed port on loopback: the connection is refused, not mocked.
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:9/0")
    monkeypatch.setattr(app.conf, "broker_write_url", "redis://127.0.0.1:9/0")
    settings.HEALTH_CHECK_TIMEOUT = 1
    response = staff_client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["broker"]["ok"] is False and body["broker"]["error"]
    assert body["worker"]["ok"] is False


def test_anonymous_callers_are_told_only_what_is_up(client, monkeypatch, settings):
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:9/0")
    monkeypatch.setattr(app.conf, "broker_write_url", "redis://127.0.0.1:9/0")
    settings.HEALTH_CHECK_TIMEOUT = 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert only_ok_flags(body), body
    assert body == {"ok": False, "database": {"ok": True}, "broker": {"ok": False}, "worker": {"ok": False}}
    assert b"127.0.0.1" not in response.content and b"rror" not in response.content


def test_members_who_are_not_staff_are_told_no_more(client, monkeypatch, settings):
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:9/0")
    monkeypatch.setattr(app.conf, "broker_write_url", "redis://127.0.0.1:9/0")
    settings.HEALTH_CHECK_TIMEOUT = 1
    client.force_login(UserFactory(is_staff=False))
    assert only_ok_flags(client.get("/healthz").json())
