"""Signing out: the session ends, and the browser forgets what the workbench stored in it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse

CLEAR_SITE_DATA = '"cache", "storage"'
"""Replayed archives live in the browser's storage (ReplayWeb.page's service worker and IndexedDB):
the next person to sign in on a shared browser must not find the last one's."""


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = CLEAR_SITE_DATA
        return response
