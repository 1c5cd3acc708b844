"""One error type for broken business rules, mapped to one JSON shape by the API."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A business rule refused the change. ``field`` names the form field it belongs to, if any.

    Subclassing ValidationError lets forms show it next to the field; the API maps it to 400.
    """

    status_code = 400

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        self.field = field
        if field:
            super().__init__({field: [ValidationError(message, code=code)]})
        else:
            super().__init__(message, code=code)


class ConflictError(DomainError):
    """The record changed under the caller (already done, newer version): HTTP 409."""

    status_code = 409
