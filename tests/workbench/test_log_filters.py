import logging

import pytest

from workbench.log_filters import QuietPolling, quiet_request


@pytest.mark.parametrize(
    ("method", "path", "status", "quiet"),
    [
        ("GET", "/api/v1/articles/3/highlights/?since=4", 304, True),
        ("GET", "/api/v1/articles/3/highlights/", 200, True),
        ("GET", "/static/css/app.css", 200, True),
        ("GET", "/favicon.ico", 301, True),
        ("GET", "/articles/3/", 200, False),
        ("GET", "/articles/3/", 304, True),
        ("POST", "/api/v1/articles/3/claims/", 201, False),
        ("GET", "/api/v1/articles/3/highlights/", 500, False),
        ("GET", "/api/v1/articles/9/", 404, False),
    ],
)
def test_routine_polling_is_quiet_and_the_rest_is_not(method: str, path: str, status: int, quiet: bool) -> None:
    assert quiet_request(method, path, status) is quiet


def _record(msg: str, args: object, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("django.server", logging.INFO, __file__, 1, msg, args, None)
    record.__dict__.update(extra)
    return record


def test_the_filter_reads_runserver_and_daphne_records(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOG_REQUESTS", raising=False)
    quiet = QuietPolling()
    assert not quiet.filter(_record('"%s" %s %s', ("GET /api/v1/x/ HTTP/1.1", "304", "0"), status_code=304))
    assert quiet.filter(_record('"%s" %s %s', ("GET /articles/1/ HTTP/1.1", "200", "9"), status_code=200))
    daphne = {"method": "GET", "path": "/api/v1/x/", "status": 200, "time_taken": 0.01, "client": "127.0.0.1:5"}
    assert not quiet.filter(_record("HTTP %(method)s %(path)s %(status)s [%(time_taken).2f, %(client)s]", daphne))
    monkeypatch.setenv("LOG_REQUESTS", "all")
    assert QuietPolling().filter(_record("HTTP %(method)s %(path)s %(status)s [%(time_taken).2f, %(client)s]", daphne))
