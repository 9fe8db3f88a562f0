"""Search backends behind one interface; ``get_backend()`` returns the configured one."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from search.backends.base import SearchBackend


@lru_cache(maxsize=1)
def get_backend() -> SearchBackend:
    name = settings.SEARCH["BACKEND"]
    if name == "elasticsearch":
        from search.backends.elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(settings.SEARCH)
    from search.backends.database import DatabaseBackend

    return DatabaseBackend(settings.SEARCH)
