"""Personal access tokens: create (shown once), authenticate, revoke."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.utils import timezone

from accounts.models import AccessToken, User

TOKEN_PREFIX = "hj_"  # noqa: S105 - a public marker, not a secret
MAX_ACTIVE_TOKENS = 20
LAST_USED_RESOLUTION = timedelta(minutes=5)


class TokenError(Exception):
    """A token could not be created."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(
    *, user: User, name: str, scopes: list[str], expires_in_days: int | None = 90
) -> tuple[AccessToken, str]:
    """Create a token; returns the row and the plaintext, which is never stored."""
    valid = {scope for scope, _label in AccessToken.SCOPES}
    scopes = sorted(set(scopes))
    if not scopes or not set(scopes) <= valid:
        raise TokenError("unknown or missing scopes")
    active = AccessToken.objects.filter(user=user, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise TokenError("too many active tokens")
    prefix = secrets.token_hex(4)
    plaintext = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    token = AccessToken.objects.create(
        user=user,
        name=name.strip()[:80] or "token",
        prefix=prefix,
        digest=_digest(plaintext),
        scopes=scopes,
        expires_at=expires_at,
    )
    return token, plaintext


def token_authenticate(plaintext: str) -> AccessToken | None:
    """The active token matching ``plaintext`` (with its active user), or None."""
    parts = (plaintext or "").split("_", 2)
    if len(parts) != 3 or f"{parts[0]}_" != TOKEN_PREFIX or len(parts[1]) != 8:
        return None
    token = (
        AccessToken.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(plaintext)):
        return None
    if not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_revoke(*, user: User, token_id: int) -> bool:
    """Revoke one of the member's tokens; returns whether one was revoked."""
    return bool(
        AccessToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    )
