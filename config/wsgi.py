"""WSGI entry point (HTTP only; use config.asgi for WebSockets)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# The first search of a process would otherwise load jieba's dictionary (~2 s).
from search.text import warm_up_in_background  # noqa: E402

warm_up_in_background()
