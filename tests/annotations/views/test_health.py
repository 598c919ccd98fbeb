"""/healthz through a real worker on the configured broker (never eager mode)."""

import pytest

from workbench.celery import app

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.mark.worker
def test_healthz_reports_database_broker_and_worker_ok(client, celery_worker):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["database"]["ok"] and body["broker"]["ok"] and body["worker"]["ok"]
    assert body["worker"]["worker"]
    assert app.conf.task_always_eager is False


def test_healthz_says_the_worker_is_down_when_none_answers(client, worker_env, settings):
    settings.HEALTH_CHECK_TIMEOUT = 1.5
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["database"]["ok"] and body["broker"]["ok"]
    assert body["worker"] == {"ok": False, "error": "No worker answered within 1.5 s."}


def test_healthz_says_the_broker_is_down(client, monkeypatch, settings):
    # A real, closed port on loopback: the connection is refused, not mocked.
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:9/0")
    monkeypatch.setattr(app.conf, "broker_write_url", "redis://127.0.0.1:9/0")
    settings.HEALTH_CHECK_TIMEOUT = 1
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["broker"]["ok"] is False and body["broker"]["error"]
    assert body["worker"]["ok"] is False
