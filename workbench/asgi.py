"""The ASGI application: Django for HTTP, the live-update sockets (annotations.live) for WebSocket.

Served by daphne (`manage.py runserver` with daphne installed, and the compose web service).
WebSockets are opened with the session cookie and only from the allowed hosts' origins.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")
# Django is set up before anything imports models (the routes below do).
django_application = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # type: ignore[import-untyped] # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # type: ignore[import-untyped] # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # type: ignore[import-untyped] # noqa: E402

from annotations.live.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
