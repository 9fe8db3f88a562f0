"""Empty states for the sub-domain and resource pages' slots until other apps fill them.

The questions (community) and live sessions (events) apps register providers for
``subdomain_page`` and ``resource_page``; while none is installed, readers see
what will appear there instead of nothing.
"""

from __future__ import annotations

from core.slots import providers, register_slot


def _alone(slot: str) -> bool:
    return all(provider in _OWN for provider in providers(slot))


@register_slot("subdomain_page", order=100)
def subdomain_empty_state(request, *, subdomain, **kwargs):
    if not _alone("subdomain_page"):
        return None
    return "knowledge/slots/empty.html", {"slot_kind": "subdomain"}


@register_slot("resource_page", order=100)
def resource_empty_state(request, *, resource, version=None, **kwargs):
    if not _alone("resource_page"):
        return None
    return "knowledge/slots/empty.html", {"slot_kind": "resource"}


_OWN = {subdomain_empty_state, resource_empty_state}
