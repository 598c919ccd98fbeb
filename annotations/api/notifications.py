"""One's notifications over the API: the inbox (newest first), marking read, and the choices of
which kinds to get in the app and by email. Each user sees only their own."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import Http404
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api.pagination import Key, page_parameters, paginate, paginated_response
from annotations.api.permissions import caller
from annotations.api.serializers.common import page_of
from annotations.api.serializers.notifications import (
    NotificationOut,
    PreferencesIn,
    PreferencesOut,
    choice_json,
    notification_json,
)
from annotations.selectors.notifications import inbox, preferences
from annotations.services.notifications import (
    notification_mark_read,
    notification_preferences_set,
    notifications_mark_all_read,
)

ORDER = [Key("created_at", descending=True, kind="datetime"), Key("id", descending=True)]


def _user(request: Request) -> User:
    return caller(request).acting_user()


class NotificationList(APIView):
    policy = {"GET": "notification.read"}

    @extend_schema(
        operation_id="notifications_list",
        parameters=page_parameters(ORDER),
        responses=page_of(NotificationOut, "NotificationPage"),
    )
    def get(self, request: Request) -> Response:
        return paginated_response(paginate(request, inbox(user=_user(request)), ORDER), notification_json)


class NotificationRead(APIView):
    policy = {"POST": "notification.manage"}

    @extend_schema(operation_id="notifications_read", request=None, responses=NotificationOut)
    def post(self, request: Request, notification_id: int) -> Response:
        notification = notification_mark_read(user=_user(request), notification_id=notification_id)
        if notification is None:
            raise Http404("No such notification.")
        return Response(notification_json(notification))


class NotificationReadAll(APIView):
    policy = {"POST": "notification.manage"}

    @extend_schema(
        operation_id="notifications_read_all",
        request=None,
        responses=inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()}),
    )
    def post(self, request: Request) -> Response:
        return Response({"marked": notifications_mark_all_read(user=_user(request))})


class NotificationPreferences(APIView):
    policy = {"GET": "notification.read", "PUT": "notification.manage"}

    @extend_schema(operation_id="notification_preferences_read", responses=PreferencesOut)
    def get(self, request: Request) -> Response:
        return Response({"preferences": [choice_json(c) for c in preferences(user=_user(request))]})

    @extend_schema(operation_id="notification_preferences_set", request=PreferencesIn, responses=PreferencesOut)
    def put(self, request: Request) -> Response:
        user = _user(request)
        body = PreferencesIn(data=request.data)
        body.is_valid(raise_exception=True)
        choices = {
            item["kind"]: {"in_app": item["in_app"], "email": item["email"]}
            for item in body.validated_data["preferences"]
        }
        notification_preferences_set(user=user, choices=choices)
        return Response({"preferences": [choice_json(c) for c in preferences(user=user)]})
