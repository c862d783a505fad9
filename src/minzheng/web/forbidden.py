"""The 403 pages: a refused permission (urls.handler403) and a failed CSRF check
(settings.CSRF_FAILURE_VIEW).

Both keep the site's layout and speak Chinese, as the other error pages (web/error.html); an API
call (/api/… or a JSON Accept header) gets the API's JSON refusal instead. A 403 is an expected
refusal, not a fault: it is logged as one warning line, without the traceback Django attaches
to a PermissionDenied (django.core.handlers.exception.response_for_exception logs it with
exc_info, unless the response says it has been logged already, which ours does).
"""

import logging

from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.log import log_response

from minzheng.kit.errors import DomainError, Forbidden

logger = logging.getLogger(__name__)


class CsrfFailed(Forbidden):
    code = "csrf_failed"
    default_message = "请求未通过安全校验，请刷新页面后重试。"


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler403: a PermissionDenied escaping a view (`permission_required(…,
    raise_exception=True)` and the like). Its own message is not shown: Django's are English."""
    response = _refusal(request, Forbidden(), "web/forbidden.html")
    log_response(
        "Forbidden (Permission denied): %s", request.path, response=response, request=request
    )
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW. The middleware logs the refusal (with its English reason) itself."""
    context = {"back": _referer(request)}
    return _refusal(request, CsrfFailed(), "web/csrf_failure.html", context)


def _refusal(
    request: HttpRequest, error: DomainError, template: str, context: dict | None = None
) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse(
            error.as_dict(), status=error.status, json_dumps_params={"ensure_ascii": False}
        )
    try:
        return render(request, template, {"error": error, **(context or {})}, status=403)
    except Exception:  # the layout needs the database (the user's region, roles): still answer
        logger.exception("Rendering the %s page failed", template)
        page = f'<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><p>{error.message}</p>'
        return HttpResponse(page, status=403, content_type="text/html; charset=utf-8")


def _wants_json(request: HttpRequest) -> bool:
    """As DomainErrorMiddleware decides: the API's paths, or a client asking for JSON."""
    return request.path.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


def _referer(request: HttpRequest) -> str | None:
    """The page the refused form was on, when it is one of ours."""
    referer = request.headers.get("Referer", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={host}, require_https=request.is_secure()
    ):
        return referer
    return None
