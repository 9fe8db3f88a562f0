"""ASGI entry point: HTTP through Django, WebSockets through Channels.

WebSocket connections are checked against ALLOWED_HOSTS (origin validation)
and carry the Django session user (AuthMiddlewareStack).
"""

import os
import sys

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# A live room's event loop writes each broadcast to every socket while its write threads
# wait on PostgreSQL. With CPython's default 5 ms GIL switch interval, each query a
# write thread makes during such a pass waited up to 5 ms for the GIL, so a vote's
# dozen queries took tens of milliseconds longer in a busy room (the benchmark's tail).
sys.setswitchinterval(float(os.environ.get("ASGI_SWITCH_INTERVAL", "0.0005")))

# Initialise Django before importing anything that touches models.
django_asgi_app = get_asgi_application()

# The first search of a process would otherwise load jieba's dictionary (~2 s).
from search.text import warm_up_in_background  # noqa: E402

warm_up_in_background()

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
