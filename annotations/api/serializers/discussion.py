from __future__ import annotations

from typing import Any

from rest_framework import serializers

from annotations.api.serializers.common import Input, TextIn, UserOut, user_json
from annotations.models import AuditEvent, Comment


def comment_json(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "claim": comment.claim_id,
        "author": user_json(comment.author),
        "body": comment.body,
        "created_at": comment.created_at,
    }


def event_json(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "actor": user_json(event.actor),
        "before": event.before,
        "after": event.after,
        "created_at": event.created_at,
    }


class CommentOut(serializers.Serializer):
    id = serializers.IntegerField()
    claim = serializers.IntegerField()
    author = UserOut(allow_null=True)
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class CommentIn(Input):
    body = TextIn(max_length=20000)


class EventOut(serializers.Serializer):
    id = serializers.IntegerField()
    action = serializers.CharField()
    target_type = serializers.CharField()
    target_id = serializers.IntegerField()
    actor = UserOut(allow_null=True)
    before = serializers.DictField()
    after = serializers.DictField()
    created_at = serializers.DateTimeField()
