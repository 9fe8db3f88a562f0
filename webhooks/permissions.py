"""Who may manage a platform's webhooks: its staff, and site administrators."""

from __future__ import annotations

from accounts.roles import is_platform_staff


def can_manage_webhooks(user, platform) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or is_platform_staff(user, platform)
