"""Template tags shared by every app."""

from __future__ import annotations

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from core.slots import providers

register = template.Library()


@register.simple_tag(takes_context=True)
def render_slot(context, name: str, **kwargs):
    """Render every provider registered for slot ``name`` (see core.slots)."""
    request = context.get("request")
    parts = []
    for provider in providers(name):
        result = provider(request, **kwargs)
        if result is None:
            continue
        template_name, extra = result
        parts.append(
            render_to_string(template_name, {**context.flatten(), **extra}, request=request)
        )
    return mark_safe("".join(parts))  # noqa: S308 - each part is a rendered, autoescaped template
