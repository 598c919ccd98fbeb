"""The shapes of notifications and of notification choices in the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from annotations.api.serializers.common import BooleanIn, ChoiceIn, Input, UserOut, user_json
from annotations.models import Notification, NotificationKind
from annotations.selectors.notifications import Choice


def notification_json(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "team": notification.team_id,
        "claim": notification.claim_id,
        "actor": user_json(notification.actor),
        "summary": notification.summary,
        "link": notification.link,
        "due_at": notification.due_at,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


class NotificationOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    team = serializers.IntegerField()
    claim = serializers.IntegerField(allow_null=True)
    actor = UserOut(allow_null=True)
    summary = serializers.CharField()
    link = serializers.CharField(help_text="The claim's place in its article, as a path on this site.")
    due_at = serializers.DateTimeField(allow_null=True, help_text="The due date a due notice is for.")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


def choice_json(choice: Choice) -> dict[str, Any]:
    return {"kind": choice.kind.value, "label": choice.label, "in_app": choice.in_app, "email": choice.email}


class ChoiceOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=NotificationKind.choices)
    label = serializers.CharField()  # type: ignore[assignment]  # a DRF Field attribute name, needed as a field here
    in_app = serializers.BooleanField()
    email = serializers.BooleanField()


class PreferencesOut(serializers.Serializer):
    preferences = ChoiceOut(many=True)


class PreferenceIn(Input):
    kind = ChoiceIn(choices=NotificationKind.choices)
    in_app = BooleanIn()
    email = BooleanIn()


class PreferencesIn(Input):
    preferences = PreferenceIn(many=True, help_text="The kinds to change; kinds left out keep their choice.")
