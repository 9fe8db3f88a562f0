"""Who may do what beyond ordinary membership.

Moderators are the members of the ``Moderators`` group (Wagtail creates it; the
same group approves pages in the publishing workflow). Superusers are
moderators too. Platform staff are the users listed on a ``Platform``.
"""

from __future__ import annotations

MODERATORS_GROUP = "Moderators"


def is_moderator(user) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_huiju_is_moderator", None)
    if cached is None:
        cached = user.groups.filter(name=MODERATORS_GROUP).exists()
        user._huiju_is_moderator = cached
    return cached


def moderators():
    """Active moderators: members of the Moderators group and superusers."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    return (
        get_user_model()
        .objects.filter(Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True), is_active=True)
        .distinct()
    )


def is_platform_staff(user, platform=None) -> bool:
    """Whether ``user`` speaks for ``platform`` (or for any platform when it is None)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if platform is not None:
        return platform.staff.filter(pk=user.pk).exists()
    return user.platforms.exists()
