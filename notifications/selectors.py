"""Reading notifications."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.kinds import all_kinds
from notifications.models import Notification, NotificationPreference


def inbox_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    items = Notification.objects.filter(recipient=user).select_related("actor__profile")
    if unread_only:
        items = items.filter(read_at__isnull=True)
    return items


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences_for(user) -> list[dict]:
    """Every kind with the member's effective (in_site, email) choice."""
    overrides = {pref.kind: pref for pref in NotificationPreference.objects.filter(user=user)}
    rows = []
    for kind in all_kinds():
        pref = overrides.get(kind.key)
        rows.append(
            {
                "kind": kind,
                "in_site": pref.in_site if pref else True,
                "email": pref.email if pref else kind.email_default,
            }
        )
    return rows
