"""Template helpers for tutorials."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from knowledge.blocks import sanitize_rich_text

register = template.Library()


@register.filter
def sanitized_richtext(value) -> str:
    """Rich text (a RichText value or HTML string) expanded and cleaned against the allowlist."""
    source = getattr(value, "source", value) or ""
    return mark_safe(sanitize_rich_text(str(source)))  # noqa: S308 - cleaned by nh3
