"""Health of every service Huiju depends on, for /healthz and ``manage.py healthcheck``."""

from __future__ import annotations

import asyncio
import logging
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.cache import cache, caches
from django.db import connection

logger = logging.getLogger(__name__)


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def _cache() -> dict:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return {"ok": ok, "backend": caches["default"].__class__.__name__}


def _channel_layer() -> dict:
    layer = get_channel_layer()

    async def round_trip() -> bool:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "health.ping"})
        message = await asyncio.wait_for(layer.receive(channel), timeout=2)
        return message.get("type") == "health.ping"

    return {"ok": async_to_sync(round_trip)(), "backend": layer.__class__.__name__}


def _search() -> dict:
    from search.backends import get_backend

    health = get_backend().health()
    return {"ok": health.ok, "backend": health.backend, **health.detail}


CHECKS = {
    "database": _database,
    "cache": _cache,
    "channel_layer": _channel_layer,
    "search": _search,
}


def check_all() -> dict[str, dict]:
    """Run every check; a failing service is reported, never raised."""
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as error:  # a health check must report, not crash
            logger.warning("health check %s failed: %s", name, error)
            results[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:200]}
    return results
