"""Errors the services raise. Views and the API turn them into form errors and 400/403/409 responses."""

from __future__ import annotations


class ServiceError(Exception):
    """Base for expected, user-facing failures. `field` names the input at fault, if any."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(ServiceError):
    """The input cannot be accepted as it is (400)."""


class NotAllowed(ServiceError):
    """The user's role does not allow this action (403)."""


class Conflict(ServiceError):
    """Someone else changed the object first, or the state forbids it (409)."""
