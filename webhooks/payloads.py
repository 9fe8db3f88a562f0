"""Building the ``data`` part of webhook payloads (see webhooks/events.py for the shapes).

Payloads carry public information only, with absolute URLs (``SITE_URL``), so a
receiver can link straight back to Huiju.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.text import Truncator

from core.i18n import localized
from core.markdown import markdown_to_text

EXCERPT_CHARS = 300


def absolute(path: str) -> str:
    return path if "://" in path else f"{settings.SITE_URL}{path}"


def _url(obj) -> str:
    """An object's URL without a language prefix: receivers get the default-language page."""
    with translation.override(settings.LANGUAGE_CODE):
        return absolute(obj.get_absolute_url())


def user_payload(user) -> dict[str, Any] | None:
    if user is None:
        return None
    return {
        "username": user.username,
        "display_name": user.display_name,
        "url": _url(user),
    }


def platform_payload(platform) -> dict[str, Any]:
    return {
        "slug": platform.slug,
        "name": localized(platform, "name", settings.LANGUAGE_CODE),
        "names": {
            "zh-hans": platform.name_zh_hans,
            "zh-hant": platform.name_zh_hant,
            "en": platform.name_en,
        },
    }


def resource_payload(resource, *, versions: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "slug": resource.slug,
        "name": resource.name,
        "kind": resource.kind,
        "url": _url(resource),
    }
    if versions:
        data["versions"] = [version.version for version in resource.versions.all()]
        data["tags"] = sorted(tag.name for tag in resource.tags.all())
        data["access"] = resource.access
        data["licence"] = resource.licence
        data["updated_at"] = resource.updated_at.isoformat()
    return data


def version_payload(version) -> dict[str, Any]:
    return {
        "version": version.version,
        "released_on": version.released_on.isoformat() if version.released_on else None,
        "notes": version.notes,
    }


def _excerpt(markdown: str) -> str:
    return Truncator(markdown_to_text(markdown)).chars(EXCERPT_CHARS)


def question_payload(question) -> dict[str, Any]:
    return {
        "id": question.pk,
        "title": question.title,
        "url": _url(question),
        "tags": [tag.name for tag in question.tags.all()],
        "subdomain": question.subdomain.slug if question.subdomain_id else None,
        "status": question.status,
        "author": user_payload(question.author),
        "excerpt": _excerpt(question.body),
        "created_at": question.created_at.isoformat(),
    }


def answer_payload(answer) -> dict[str, Any]:
    return {
        "id": answer.pk,
        "url": _url(answer),
        "author": user_payload(answer.author),
        "excerpt": _excerpt(answer.body),
        "created_at": answer.created_at.isoformat(),
    }
