"""API permissions: token scopes and platform staff rights."""

from __future__ import annotations

from rest_framework import permissions

from accounts.models import AccessToken


def _token(request) -> AccessToken | None:
    return request.auth if isinstance(request.auth, AccessToken) else None


class TokenScopes(permissions.BasePermission):
    """Any token may read; writes need the ``write`` scope.

    Views may name a different scope for writes with ``write_scope`` (e.g.
    ``platform`` for catalogue management). Session users are not limited.
    """

    message = "This token does not have the scope this request needs."

    def has_permission(self, request, view) -> bool:
        token = _token(request)
        if token is None:
            return True
        if request.method in permissions.SAFE_METHODS:
            return True  # any valid token may read what is public
        return token.allows(getattr(view, "write_scope", AccessToken.SCOPE_WRITE))


class ReadOnlyOrAuthenticated(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated)


class IsPlatformStaffForObject(permissions.BasePermission):
    """Writes to a resource (or its versions) need staff of its platform, or an admin."""

    message = "Only staff of this resource's platform may change it."

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        platform = getattr(obj, "platform", None) or obj.resource.platform
        return request.user.is_superuser or platform.staff.filter(pk=request.user.pk).exists()
