"""POSTing to a URL under the same rules as fetching (used for webhook deliveries)."""

from __future__ import annotations

from urllib3.exceptions import HTTPError

from .connections import (
    Connections,
    Deadline,
    FetchFailed,
    FetchPolicy,
    FetchRefused,
    Resolver,
    check_target,
    checked_pool,
    connection_failure,
    hop_timeout,
    system_connector,
    system_resolver,
    watchdog,
)
from .urls import InvalidURL, parse_http_url


def post_checked(
    url: str, *, body: bytes, headers: dict[str, str], policy: FetchPolicy, resolver: Resolver = system_resolver
) -> int:
    """POST `body` to an https URL through the fetcher's address checks. Returns the status; no redirects.

    Raises FetchRefused for a URL or address that is not allowed, FetchFailed when the endpoint
    cannot be reached.
    """
    try:
        target = parse_http_url(url)
    except InvalidURL as exc:
        raise FetchRefused(f"Refused: {exc}") from exc
    if target.scheme != "https":
        raise FetchRefused("Refused: webhook endpoints must use https://.")
    deadline = Deadline(policy.total_deadline)
    connections = Connections(system_connector)
    with watchdog(deadline, connections):
        addresses = check_target(target, policy, resolver)
        last: FetchFailed | None = None
        for ip in addresses:
            timeout = hop_timeout(policy, deadline, target.host)
            pool = checked_pool(target, ip, policy, timeout, connections)
            try:
                response = pool.urlopen(
                    "POST",
                    target.request_target,
                    body=body,
                    headers={"Host": target.netloc, "User-Agent": policy.user_agent, **headers},
                    retries=False,
                    redirect=False,
                    assert_same_host=False,
                    timeout=timeout,
                )
                return int(response.status)
            except HTTPError as exc:
                if deadline.reached(connections):
                    raise deadline.failure(target.host) from exc
                last = connection_failure(exc, target.host, policy)
            finally:
                pool.close()
        raise last or FetchFailed(f"Could not connect to {target.host}.", retryable=True)
