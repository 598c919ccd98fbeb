"""Checks behind /healthz: the database, the broker, and a real round trip through a worker.

The full report names hosts, ports, error texts and the worker's host name: staff only. Anyone
else gets `public_report`, which says only which part is up.
"""

from __future__ import annotations

import secrets
from typing import Any

from celery.exceptions import TimeoutError as CeleryTimeout
from django.conf import settings
from django.db import connection

from annotations.tasks.health import health_ping
from workbench.celery import app


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"; the reason is reported
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": True}


def check_broker(timeout: float) -> dict[str, Any]:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=int(max(1, timeout)))
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": True, "transport": app.connection_for_write().transport_cls}


def check_worker(timeout: float) -> dict[str, Any]:
    nonce = secrets.token_hex(8)
    try:
        result = health_ping.apply_async(args=(nonce,), expires=timeout)
        answer = result.get(timeout=timeout, interval=0.1)
    except CeleryTimeout:
        return {"ok": False, "error": f"No worker answered within {timeout:g} s."}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    if answer.get("nonce") != nonce:
        return {"ok": False, "error": "A worker answered with the wrong nonce."}
    return {"ok": True, "worker": answer.get("worker", "")}


def health_report() -> dict[str, Any]:
    timeout = settings.HEALTH_CHECK_TIMEOUT
    report: dict[str, Any] = {"database": check_database(), "broker": check_broker(timeout)}
    if report["broker"]["ok"] and report["database"]["ok"]:
        report["worker"] = check_worker(timeout)
    else:
        report["worker"] = {"ok": False, "error": "Not checked: the broker or database is down."}
    report["ok"] = all(part["ok"] for part in report.values() if isinstance(part, dict))
    return report


def public_report(report: dict[str, Any]) -> dict[str, Any]:
    """The report without details: {"ok": bool, "<part>": {"ok": bool}, ...}."""
    return {name: {"ok": part["ok"]} if isinstance(part, dict) else part for name, part in report.items()}
