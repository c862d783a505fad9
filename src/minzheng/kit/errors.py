"""Typed domain errors with a stable code, an HTTP status and a Chinese message.

Services raise these; every entry point (view, API, CLI) turns them into a response the same
way, so an expected conflict is a 409 with a message, never a 500.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


class DomainError(Exception):
    code = "domain_error"
    status = 400
    default_message = "操作无法完成。"

    def __init__(self, message: str | None = None, *, field: str | None = None) -> None:
        self.message = message or self.default_message
        self.field = field
        super().__init__(self.message)

    def as_dict(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.message, "field": self.field}


class ValidationFailed(DomainError):
    code = "validation_failed"
    status = 422
    default_message = "输入有误。"


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = "对象不存在或不在您的管辖范围内。"


class Forbidden(DomainError):
    code = "forbidden"
    status = 403
    default_message = "您没有执行此操作的权限。"


class Conflict(DomainError):
    code = "conflict"
    status = 409
    default_message = "数据已被他人修改，请刷新后重试。"


class DomainErrorMiddleware:
    """Renders a DomainError escaping a view: JSON for API calls, a Chinese page otherwise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, DomainError):
            return None
        if request.path.startswith("/api/") or "application/json" in request.headers.get(
            "Accept", ""
        ):
            return JsonResponse(exc.as_dict(), status=exc.status)
        return render(request, "web/error.html", {"error": exc}, status=exc.status)
