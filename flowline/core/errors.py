"""The one error type services raise, and the codes clients can rely on."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A business rule said no. The exception handler renders it in the error envelope."""

    status_code = 400
    default_code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        errors: dict[str, Any] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        if status is not None:
            self.status_code = status
        self.errors = errors or {}
        self.extra = extra or {}


class NotFoundError(ApplicationError):
    status_code = 404
    default_code = "not_found"


class ConflictError(ApplicationError):
    status_code = 409
    default_code = "conflict"


class ForbiddenError(ApplicationError):
    status_code = 403
    default_code = "permission_denied"


class PaymentRequiredError(ApplicationError):
    status_code = 402
    default_code = "payment_required"
