"""The moderators' header link: the flag queue with its open-flag count.

Cheap on every page: nothing for anonymous visitors; for members, whether they
moderate comes from reputation or the request's cached role check, else from a
short-lived cache entry (one query per member per few minutes on a miss); the
count itself is cached until a flag is raised or handled.
"""

from __future__ import annotations

from django.core.cache import cache

from community import conf

ROLE_TTL = 300


def _role_key(user_id: int) -> str:
    return f"community:moderator:{user_id}"


def moderator_role_changed(user_id: int) -> None:
    cache.delete(_role_key(user_id))


def _moderates(user) -> bool:
    if not user.is_active or getattr(user, "is_suspended", False):
        return False
    if user.is_superuser or user.reputation >= conf.threshold("moderate"):
        return True
    cached = getattr(user, "_huiju_is_moderator", None)
    if cached is None:
        cached = cache.get(_role_key(user.pk))
    if cached is None:
        from accounts.roles import is_moderator

        cached = is_moderator(user)
        cache.set(_role_key(user.pk), cached, timeout=ROLE_TTL)
    return bool(cached)


def moderation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not _moderates(user):
        return {}
    from community.selectors_moderation import open_flag_count

    return {"open_flag_count": open_flag_count()}
