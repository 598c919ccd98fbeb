from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from annotations.errors import InvalidInput
from annotations.models import Claim, Comment
from annotations.services.audit import audit_record


@transaction.atomic
def comment_add(*, claim: Claim, user: User, body: str) -> Comment:
    if not body.strip():
        raise InvalidInput("A comment cannot be empty.", field="body")
    comment = Comment.objects.create(team_id=claim.team_id, claim=claim, author=user, body=body)
    audit_record(team=claim.team, actor=user, action="comment.add", target=comment, claim=claim)
    return comment
