"""One JSON error shape with real status codes: {"error": {"status", "code", "message", "fields"}}."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from core.exceptions import ConflictError, DomainError


def _body(status_code: int, code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"status": status_code, "code": code, "message": message, "fields": fields or {}}}


def exception_handler(exc, context):
    if isinstance(exc, DomainError | ValidationError) and not isinstance(exc, exceptions.ValidationError):
        status_code = status.HTTP_409_CONFLICT if isinstance(exc, ConflictError) else status.HTTP_400_BAD_REQUEST
        fields = exc.message_dict if hasattr(exc, "error_dict") else {}
        message = " ".join(exc.messages)
        return Response(_body(status_code, "conflict" if status_code == 409 else "invalid", message, fields),
                        status=status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        message = "; ".join(
            f"{name}: {' '.join(str(m) for m in (msgs if isinstance(msgs, list) else [msgs]))}"
            for name, msgs in fields.items()
        )
        response.data = _body(response.status_code, "invalid", message, fields)
    else:
        detail = data.get("detail", "") if isinstance(data, dict) else str(data)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        response.data = _body(response.status_code, str(code), str(detail))
    return response
