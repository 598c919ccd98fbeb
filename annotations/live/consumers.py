"""The socket of one open reading view: hints of its article's changes, for members of its team only.

The socket is opened with the page's session (AuthMiddlewareStack) and checked like an API read of
the article's claims (annotations.policy); anyone else is refused before the handshake completes.
Nothing the browser sends is read. When a member's membership changes, their access is checked
again and the socket closed if it no longer holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from channels.db import database_sync_to_async  # type: ignore[import-untyped]
from channels.generic.websocket import AsyncJsonWebsocketConsumer  # type: ignore[import-untyped]
from django.http import Http404

from annotations import policy
from annotations.errors import NotAllowed
from annotations.live.broadcast import article_group, team_group

ACTION = "claim.read"
"""What the socket lets its user learn: that the article's claims changed (as the highlights GET)."""
REFUSED = 4403
"""The close code of a socket whose user may not (or may no longer) read the article."""


@dataclass(frozen=True)
class SocketRequest:
    """What the policy reads of a request, taken from the socket's scope: the user and the action."""

    user: Any
    policy_action: str = ACTION
    auth: None = None


def article_team(*, user: Any, article_id: int) -> int | None:
    """The team of the article if `user` may read its claims (annotations.policy.article_for), else None."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    try:
        article = policy.article_for(SocketRequest(user=user), article_id, defer=policy.ARTICLE_TEXTS)
    except (Http404, NotAllowed):
        return None
    return article.team_id


class ArticleConsumer(AsyncJsonWebsocketConsumer):
    """`/ws/articles/<id>/`: sends `{"article", "action", "claim", "revision"}` for each change."""

    policy = {"WEBSOCKET": ACTION}

    async def connect(self) -> None:
        self.article_id = int(self.scope["url_route"]["kwargs"]["article_id"])
        self.user = self.scope.get("user")
        team_id = await database_sync_to_async(article_team)(user=self.user, article_id=self.article_id)
        if team_id is None:
            await self.close(code=REFUSED)
            return
        self.groups_joined = [article_group(self.article_id), team_group(team_id)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        """The browser has nothing to say: whatever it sends is ignored."""

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        """Not even parsed (AsyncJsonWebsocketConsumer would decode it first)."""

    async def live_change(self, event: dict[str, Any]) -> None:
        await self.send_json(
            {
                "article": event["article"],
                "action": event["action"],
                "claim": event.get("claim"),
                "revision": event.get("revision"),
            }
        )

    async def live_membership(self, event: dict[str, Any]) -> None:
        if event.get("user") != getattr(self.user, "pk", None):
            return
        if await database_sync_to_async(article_team)(user=self.user, article_id=self.article_id) is None:
            await self.close(code=REFUSED)
