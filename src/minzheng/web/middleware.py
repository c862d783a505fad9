import re

from django.conf import settings
from django.http import HttpResponse, JsonResponse

from minzheng.kit.errors import Error

# Django's own test of a multipart boundary (django.http.multipartparser)
_BOUNDARY = re.compile(r"[ -~]{0,200}[!-~]")


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response: only our own scripts, styles and images.
    Pages of a signed-in user and every download (attachments, exports) are `no-store`: personal
    data stays out of shared caches and the browser's disk cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        user = getattr(request, "user", None)
        download = response.headers.get("Content-Disposition", "").startswith("attachment")
        if download or getattr(user, "is_authenticated", False):
            response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        return response


class MalformedRequestMiddleware:
    """A multipart body without a usable boundary is refused with a 400 before anything reads
    it: Django raises MultiPartParserError on first access to request.POST, which happens in
    the CSRF check, outside any view, and would otherwise be a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        kind, _, params = request.META.get("CONTENT_TYPE", "").partition(";")
        if kind.strip().lower() == "multipart/form-data" and not _has_boundary(params):
            return _refused(request, Error.BAD_MULTIPART)
        return self.get_response(request)


def _has_boundary(params: str) -> bool:
    for part in params.split(";"):
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "boundary":
            return bool(_BOUNDARY.fullmatch(value.strip().strip('"')))
    return False


def _refused(request, error: Error) -> HttpResponse:
    """Before sessions and users exist: JSON for the API, a plain Chinese page otherwise."""
    body = {"code": error.code, "message": error.message, "field": None}
    if request.path.startswith("/api/"):
        return JsonResponse(body, status=error.status, json_dumps_params={"ensure_ascii": False})
    page = f'<!doctype html><html lang="zh-Hans"><meta charset="utf-8"><p>{error.message}</p>'
    return HttpResponse(page, status=error.status, content_type="text/html; charset=utf-8")
