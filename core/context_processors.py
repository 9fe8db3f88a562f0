"""Template context shared by every page: the sub-domain menu and site name."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

NAV_CACHE_SECONDS = 300


def _nav_subdomains() -> list[dict]:
    """Sub-domains for the header menu, cached per language (they change rarely)."""
    from knowledge.models import Subdomain

    language = get_language() or settings.LANGUAGE_CODE
    key = f"nav:subdomains:{language}"
    items = cache.get(key)
    if items is None:
        items = [
            {"slug": s.slug, "name": s.name, "url": s.get_absolute_url()}
            for s in Subdomain.objects.all()
        ]
        cache.set(key, items, NAV_CACHE_SECONDS)
    return items


def site(request) -> dict:
    return {
        "SITE_NAME": settings.WAGTAIL_SITE_NAME,
        "nav_subdomains": SimpleLazyObject(_nav_subdomains),
    }
