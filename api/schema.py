"""OpenAPI generation hooks."""


def only_public_api(endpoints):
    """Document /api/v1/ only (not the Wagtail admin's internal API)."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
