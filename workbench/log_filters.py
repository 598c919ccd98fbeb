"""Quiet request logs for the development server: the reading view polls the API every few
seconds, and a line per poll would bury what matters (errors, the demo password).

Successful GET and HEAD requests for the API, static files, the health check and the favicon,
and every 304, are dropped; page loads, writes and every error stay. `LOG_REQUESTS=all` keeps
every line. Works on Django's runserver ("django.server") and Daphne's ("django.channels.server").
"""

from __future__ import annotations

import logging
import os
import re

QUIET_PREFIXES = ("/api/", "/static/")
QUIET_PATHS = frozenset({"/healthz", "/favicon.ico"})
_REQUEST_LINE = re.compile(r'"?(?P<method>[A-Z]+) (?P<path>\S+)')


def quiet_request(method: str, path: str, status: int) -> bool:
    """Whether a request line is routine polling, not worth a line in the log."""
    if method not in ("GET", "HEAD") or status >= 400:
        return False
    path = path.split("?", 1)[0]
    return status == 304 or path in QUIET_PATHS or path.startswith(QUIET_PREFIXES)


class QuietPolling(logging.Filter):
    def __init__(self, name: str = "") -> None:
        super().__init__(name)
        self.enabled = os.environ.get("LOG_REQUESTS", "quiet").strip().lower() != "all"

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.enabled or record.levelno >= logging.WARNING:
            return True
        if isinstance(record.args, dict):  # Daphne: method, path and status in the arguments
            details = record.args
            method, path, status = str(details.get("method", "")), str(details.get("path", "")), details.get("status")
        else:  # Django's runserver: the request line in the message, the status on the record
            found = _REQUEST_LINE.search(record.getMessage())
            if found is None:
                return True
            method, path, status = found["method"], found["path"], getattr(record, "status_code", None)
        try:
            return not quiet_request(method, path, int(status))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return True
