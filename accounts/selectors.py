"""Read queries for accounts."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from accounts.models import User


def user_get_public(*, username: str) -> User:
    """An active member with their profile, or 404."""
    return get_object_or_404(
        User.objects.select_related("profile").filter(is_active=True), username=username
    )
