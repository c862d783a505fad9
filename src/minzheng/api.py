"""The project's JSON API (django-ninja), mounted at /api/; its schema is /api/openapi.json.

Authentication is the Django session (ninja's `django_auth`), which also enforces CSRF on
unsafe methods: a client sends the `csrftoken` cookie's value in the `X-CSRFToken` header.

Every refusal has one shape, {"code", "message", "field"}, with a Chinese message: a
`DomainError` raised by a service keeps its status (403, 404, 409, 422 …); ninja's own refusals
(401 not signed in, 403 failed CSRF check, 422 malformed input) are translated to the same shape.

Lists use ninja's `PageNumberPagination`: `?page=N` (from 1), 50 per page, `?page_size=` up to
200; the answer is {"items": [...], "count": total}.
"""

from django.conf import settings
from django.db import DataError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.security import django_auth

from minzheng.api_errors import chinese_message, field_path
from minzheng.kit.errors import DomainError, as_domain_error
from minzheng.registry.api import router as registry_router
from minzheng.rules.api import router as rules_router
from minzheng.rules.api_snapshots import router as snapshots_router

# The schema and its browsable docs are published only where settings.API_DOCS says (on in
# development, off in production unless the operator turns them on).
api = NinjaAPI(
    title="Minzheng API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    openapi_url="/openapi.json" if settings.API_DOCS else None,
    docs_url="/docs" if settings.API_DOCS else None,
)

# ninja's own HttpErrors; it raises a 403 only when the CSRF check fails.
_HTTP_ERRORS = {
    400: ("malformed_request", "请求格式有误，无法解析。"),
    401: ("not_authenticated", "请先登录。"),
    403: ("csrf_failed", "请求未通过安全校验（CSRF），请刷新页面后重试。"),
}


def _error(request, status: int, code: str, message: str, field: str | None = None):
    body = {"code": code, "message": message, "field": field}
    return api.create_response(request, body, status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, exc.field)


@api.exception_handler(OverflowError)
@api.exception_handler(DataError)
def number_out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    return domain_error(request, as_domain_error(exc))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code, message = _HTTP_ERRORS.get(exc.status_code, ("http_error", str(exc)))
    return _error(request, exc.status_code, code, message)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Malformed input, refused before any service ran. Each of pydantic's errors keeps its
    `loc`, `type` and `ctx` and gains a Chinese `message` (its English `msg` is dropped); ninja
    drops the input values, so no ID number is echoed. The top-level `message` and `field` are
    the first error's. A validator may name a field deeper than where it runs with `ctx["at"]`
    (the what-if's birth dates: ["members", 0, "birth_date"])."""
    errors = []
    for error in exc.errors:
        ctx = dict(error.get("ctx") or {})
        loc = [*error["loc"], *ctx.pop("at", ())]
        item = {**error, "loc": loc, "ctx": ctx} if "ctx" in error else {**error, "loc": loc}
        item["message"] = chinese_message(item)
        item.pop("msg", None)
        errors.append(item)
    body = {
        "code": "validation_failed",
        "message": errors[0]["message"],
        "field": _field(errors[0]["loc"]),
        "errors": errors,
    }
    return api.create_response(request, body, status=422)


def _field(loc: list) -> str | None:
    """("body", "payload", "head", "name") → "head.name"; ("query", "page") → "page". Union
    branch tags such as "literal['']" are dropped."""
    return ".".join(str(part) for part in field_path(loc)) or None


api.add_router("/registry/", registry_router)
api.add_router("/rules/", rules_router)
api.add_router("/rules/", snapshots_router)
