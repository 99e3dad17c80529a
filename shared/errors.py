"""Domain errors, raised by the library and mapped to HTTP status or ack/retry only at entry points."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every error the product raises on purpose. `code` is stable; `message` is for humans."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 400


class PayloadTooLarge(DomainError):
    code = "payload_too_large"
    status = 413


class Unauthorized(DomainError):
    code = "unauthorized"
    status = 401


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    code = "conflict"
    status = 409


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after


class TransientFailure(DomainError):
    """A dependency is down or slow; the same request may succeed later (retry, redeliver)."""

    code = "unavailable"
    status = 503


class PoisonMessage(DomainError):
    """A message that can never be processed; it goes to the dead-letter path, not back to the queue."""

    code = "poison_message"
    status = 400
