"""Helpers for content stored once per language (``name_zh_hans``, ``name_zh_hant``, ``name_en``)."""

from __future__ import annotations

from django.utils.translation import get_language

# Fallback order when a translation is missing: the reader's language, the
# other Chinese script, then English.
_FALLBACKS = {
    "zh_hans": ("zh_hans", "zh_hant", "en"),
    "zh_hant": ("zh_hant", "zh_hans", "en"),
    "en": ("en", "zh_hans", "zh_hant"),
}


def language_suffix(language: str | None = None) -> str:
    """``zh-hant`` → ``zh_hant``; anything unknown → ``zh_hans`` (the site default)."""
    code = (language or get_language() or "zh-hans").lower().replace("-", "_")
    if code.startswith("zh_hant") or code in {"zh_tw", "zh_hk", "zh_mo"}:
        return "zh_hant"
    if code.startswith("en"):
        return "en"
    return "zh_hans"


def localized(obj, field: str, language: str | None = None) -> str:
    """The value of ``<field>_<lang>`` on ``obj`` in the current language, with fallbacks."""
    for suffix in _FALLBACKS[language_suffix(language)]:
        value = getattr(obj, f"{field}_{suffix}", "")
        if value:
            return value
    return ""


class LocalizedFieldsMixin:
    """Adds ``obj.localized("name")`` to models with per-language columns."""

    def localized(self, field: str, language: str | None = None) -> str:
        return localized(self, field, language)
