"""Fixed-window rate limits kept in the cache (Redis in production).

One primitive for every limited action (posting, voting, commenting, WebSocket
messages): ``hit`` counts one use of ``key`` and says whether it is within
``limit`` uses per ``period`` seconds. Counting is atomic: ``cache.add`` creates
the window and ``cache.incr`` increments it, both atomic in Redis and in the
local-memory cache.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.core.cache import cache


@dataclass(frozen=True)
class RateLimitResult:
    allowed: bool
    count: int
    limit: int
    retry_after: int  # seconds until the window resets (0 when allowed)


@dataclass(frozen=True)
class Rate:
    """``limit`` uses per ``period`` seconds, parsed from strings like ``"5/m"`` or ``"1/15s"``."""

    limit: int
    period: int

    _UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    @classmethod
    def parse(cls, text: str) -> Rate:
        count, _, window = text.partition("/")
        digits = "".join(ch for ch in window if ch.isdigit())
        unit = window[len(digits) :] or "s"
        if unit not in cls._UNITS or not count.isdigit():
            raise ValueError(f"Bad rate {text!r}; expected e.g. '5/m' or '1/15s'")
        return cls(limit=int(count), period=int(digits or 1) * cls._UNITS[unit])


def _window(key: str, period: int, now: float) -> tuple[str, int]:
    start = int(now // period) * period
    return f"rl:{key}:{period}:{start}", int(start + period - now) or 1


def hit(key: str, rate: Rate | str, *, now: float | None = None) -> RateLimitResult:
    """Count one use of ``key``; ``allowed`` is False once the window is full."""
    rate = Rate.parse(rate) if isinstance(rate, str) else rate
    now = time.time() if now is None else now
    cache_key, remaining = _window(key, rate.period, now)
    if cache.add(cache_key, 1, timeout=rate.period + 1):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=rate.period + 1)
            count = 1
    allowed = count <= rate.limit
    return RateLimitResult(allowed, count, rate.limit, 0 if allowed else remaining)


async def ahit(key: str, rate: Rate | str, *, now: float | None = None) -> RateLimitResult:
    """Async twin of :func:`hit` for WebSocket consumers: :func:`hit` in a worker thread.

    Django's async cache methods each run in the one thread-sensitive thread that
    also does every database write, and ``aincr`` is a get and a set, not Redis's
    atomic INCR; so a busy room's rate checks queued behind its writes, and counts
    could be lost. One trip to the thread pool, with atomic counting, is neither.
    """
    return await sync_to_async(hit, thread_sensitive=False)(key, rate, now=now)


def client_ip(request) -> str:
    """The client address; ``X-Forwarded-For`` is trusted only behind a configured proxy."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"
