"""Domain errors, raised by the library and mapped to HTTP status or ack/retry only at entry points."""

from __future__ import annotations

from typing import Any, ClassVar


class DomainError(Exception):
    """Base of every error the product raises on purpose. `code` is stable; `message` is for humans.

    A subclass states its code and status (when they differ from its parent's) where it is
    declared: `class NotFound(DomainError, code="not_found", status=404)`.
    """

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400

    def __init_subclass__(cls, *, code: str = "", status: int = 0, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.code = code or cls.code
        cls.status = status or cls.status

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class InvalidInput(DomainError, code="invalid_input", status=400): ...


class PayloadTooLarge(DomainError, code="payload_too_large", status=413): ...


class Unauthorized(DomainError, code="unauthorized", status=401): ...


class Forbidden(DomainError, code="forbidden", status=403): ...


class NotFound(DomainError, code="not_found", status=404): ...


class Conflict(DomainError, code="conflict", status=409): ...


class RateLimited(DomainError, code="rate_limited", status=429):
    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message, details={"retry_after": retry_after})
        self.retry_after = retry_after


class TransientFailure(DomainError, code="unavailable", status=503):
    """A dependency is down or slow; the same request may succeed later (retry, redeliver)."""


class PoisonMessage(DomainError, code="poison_message", status=400):
    """A message that can never be processed; it goes to the dead-letter path, not back to the queue."""
