"""The inbox, marking notifications read, and the preferences page; and the header's unread count."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme

from annotations import policy
from annotations.models import NotificationKind
from annotations.selectors.notifications import inbox, preferences, unread_count
from annotations.services.notifications import (
    notification_mark_read,
    notification_preferences_set,
    notifications_mark_all_read,
)

PAGE_SIZE = 25


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The header's unread count: one query, made only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@policy.performs(GET="notification.read")
def notification_inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    page = Paginator(inbox(user=user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "notifications": list(page.object_list)})


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@policy.performs(POST="notification.manage")
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = notification_mark_read(user=_user(request), notification_id=notification_id)
    if notification is None:
        raise Http404("No such notification.")
    if request.POST.get("open"):
        return redirect(notification.link)
    return redirect(_back(request, "notification_inbox"))


@policy.performs(POST="notification.manage")
def notification_read_all(request: HttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=_user(request))
    return redirect("notification_inbox")


class PreferencesForm(forms.Form):
    """An in-app and an email switch per kind of notification."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            for switch, where in (("in_app", "in the app"), ("email", "by email")):
                self.fields[f"{kind.value}_{switch}"] = forms.BooleanField(
                    required=False,
                    label=f"{kind.label}: {where}",
                    widget=forms.CheckboxInput(attrs={"aria-label": f"{kind.label}: {where}"}),
                )

    def rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (str(kind.label), self[f"{kind.value}_in_app"], self[f"{kind.value}_email"]) for kind in NotificationKind
        ]

    def choices(self) -> dict[str, dict[str, bool]]:
        return {
            kind.value: {
                "in_app": self.cleaned_data[f"{kind.value}_in_app"],
                "email": self.cleaned_data[f"{kind.value}_email"],
            }
            for kind in NotificationKind
        }


@policy.performs(GET="notification.read", POST="notification.manage")
def notification_preferences(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            notification_preferences_set(user=user, choices=form.choices())
            return redirect(reverse("notification_preferences") + "?saved=1")
    else:
        initial = {}
        for choice in preferences(user=user):
            initial[f"{choice.kind.value}_in_app"] = choice.in_app
            initial[f"{choice.kind.value}_email"] = choice.email
        form = PreferencesForm(initial=initial)
    context = {"form": form, "has_email": bool(user.email), "saved": request.GET.get("saved") == "1"}
    return render(request, "notifications/preferences.html", context)
