from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from rest_framework import serializers


def user_json(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "username": user.get_username()}


class UserOut(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()


class RatingOut(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    value = serializers.IntegerField(allow_null=True)
    color = serializers.CharField()


class ScaleRatingOut(RatingOut):
    position = serializers.IntegerField()


class PageOut(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class ErrorBody(serializers.Serializer):
    status = serializers.IntegerField()
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here


class ErrorOut(serializers.Serializer):
    error = ErrorBody()


def page_of(item: type[serializers.Serializer], name: str) -> type[serializers.Serializer]:
    """A paginated list of `item` for the schema: {"next", "previous", "results": [...]}."""
    return type(name, (PageOut,), {"results": item(many=True)})
