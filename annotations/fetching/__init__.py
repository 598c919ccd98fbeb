"""Fetching cited sources safely: URL normal form, address checks, the fetcher."""

from .addresses import address_problem, is_public_address, parse_host_literal
from .fetcher import (
    Connector,
    Exchange,
    FetchFailed,
    FetchPolicy,
    FetchRefused,
    FetchResult,
    Resolver,
    fetch,
    system_connector,
    system_resolver,
)
from .urls import InvalidURL, normalize_url

__all__ = [
    "Connector",
    "Exchange",
    "FetchFailed",
    "FetchPolicy",
    "FetchRefused",
    "FetchResult",
    "InvalidURL",
    "Resolver",
    "address_problem",
    "fetch",
    "is_public_address",
    "normalize_url",
    "parse_host_literal",
    "system_connector",
    "system_resolver",
]
