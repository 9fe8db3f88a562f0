"""API authentication: personal access tokens (``Authorization: Bearer hj_…``)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts.tokens import TOKEN_PREFIX, token_authenticate


class AccessTokenAuthentication(authentication.BaseAuthentication):
    """Authenticates a request by personal access token; ``request.auth`` is the token."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, credentials = header.partition(" ")
        if keyword.lower() not in {"bearer", "token"} or not credentials.startswith(TOKEN_PREFIX):
            return None
        token = token_authenticate(credentials.strip())
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        if token.user.is_suspended:
            raise exceptions.PermissionDenied("Your account is suspended.")
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class AccessTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.AccessTokenAuthentication"
    name = "accessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Personal access token created at /settings/tokens/ (hj_…).",
        }
