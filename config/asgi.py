"""ASGI entry point: HTTP through Django, WebSockets through Channels.

WebSocket connections are checked against ALLOWED_HOSTS (origin validation)
and carry the Django session user (AuthMiddlewareStack).
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Initialise Django before importing anything that touches models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from config.routing import websocket_urlpatterns  # noqa: E402
from events.fanout import with_server_send  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # with_server_send: live-room broadcasts skip the session middleware's send wrapper.
        "websocket": AllowedHostsOriginValidator(
            with_server_send(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)
