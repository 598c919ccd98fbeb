"""The fetch deadline decides whether a failure is reported as the deadline's or the connection's."""

import time

from annotations.fetching.connections import DEADLINE_SLACK, Connections, Deadline


def test_a_failure_at_the_deadline_is_the_deadlines_even_before_the_watchdog_fires() -> None:
    connections = Connections(connector=lambda *args: None)  # never connects
    far, near = Deadline(30), Deadline(DEADLINE_SLACK / 2)
    assert not far.reached(connections)
    assert near.reached(connections)  # a socket timed out on the time left, a moment before the watchdog
    connections.expired = True  # the watchdog cut the sockets off
    assert far.reached(connections)


def test_the_failure_names_the_limit() -> None:
    deadline = Deadline(0.6)
    time.sleep(0.01)
    assert "longer than the 0.6 second limit" in str(deadline.failure("news.test"))
    assert deadline.failure("news.test").retryable
