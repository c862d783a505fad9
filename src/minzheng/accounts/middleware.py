"""Idle timeout: a session unused for IDLE_TIMEOUT_SECONDS is ended on its next request."""

import time

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from minzheng.accounts.events import Event
from minzheng.accounts.services import sign_out

# Refreshing the timestamp at most this often keeps session writes rare on busy pages.
_REFRESH_EVERY_SECONDS = 15


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get("last_seen", now)
            if now - last_seen > settings.IDLE_TIMEOUT_SECONDS:
                return self._expire(request)
            if now - last_seen >= _REFRESH_EVERY_SECONDS or "last_seen" not in request.session:
                request.session["last_seen"] = now
        return self.get_response(request)

    def _expire(self, request: HttpRequest) -> HttpResponse:
        sign_out(request, event=Event.SESSION_TIMEOUT)
        minutes = settings.IDLE_TIMEOUT_SECONDS // 60
        text = f"您已超过{minutes}分钟未操作，为保护数据安全已自动退出，请重新登录。"
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "session_expired", "message": text}, status=401)
        messages.info(request, text)
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
