"""Template helpers for the Q&A pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with ``changes`` applied (``None`` removes a key), ``?``-prefixed."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else {}
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode() if params else ""
    return f"?{encoded}" if encoded else "?"


@register.filter
def vote_after(current: int, direction: int) -> int:
    """The value a vote button sends: pressing the active direction again retracts the vote."""
    return 0 if current == direction else direction
