"""WebSocket routes (served by workbench.asgi)."""

from __future__ import annotations

from django.urls import path

from annotations.live.consumers import ArticleConsumer

websocket_urlpatterns = [
    path("ws/articles/<int:article_id>/", ArticleConsumer.as_asgi(), name="ws-article"),
]
