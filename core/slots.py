"""Named page slots that other apps fill, so apps stay decoupled.

A page in one app (say the knowledge app's sub-domain page) declares a slot:

    {% load huiju %}{% render_slot "subdomain_page" subdomain=subdomain %}

and any app registers what goes there, usually in ``AppConfig.ready``:

    from core.slots import register_slot

    @register_slot("subdomain_page", order=10)
    def newest_questions(request, *, subdomain, **kwargs):
        return "community/slots/subdomain_questions.html", {"questions": ...}

A provider returns ``(template_name, context)`` or ``None`` to render nothing.
Slots in use (keyword arguments in brackets):

- ``home_page`` (page)
- ``subdomain_page`` (subdomain)
- ``resource_page`` (resource, version)
- ``platform_page`` (platform)
- ``profile_page`` (member)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

SlotProvider = Callable[..., tuple[str, dict[str, Any]] | None]

_registry: dict[str, list[tuple[int, SlotProvider]]] = defaultdict(list)


def register_slot(name: str, *, order: int = 50) -> Callable[[SlotProvider], SlotProvider]:
    def decorator(provider: SlotProvider) -> SlotProvider:
        entries = _registry[name]
        if provider not in [p for _, p in entries]:
            entries.append((order, provider))
            entries.sort(key=lambda item: item[0])
        return provider

    return decorator


def providers(name: str) -> list[SlotProvider]:
    return [provider for _, provider in _registry.get(name, [])]
