"""What a change queued for after its commit, besides the live-update hints every change sends."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from annotations.live.broadcast import publish


def work_queued(callbacks: list[Callable[..., Any]]) -> list[Callable[..., Any]]:
    """The on-commit callbacks that queue work (tasks, emails), without the hints to open pages."""
    return [c for c in callbacks if not (isinstance(c, partial) and c.func is publish)]
