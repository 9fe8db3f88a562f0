"""A "Webhooks" link for platform staff on their sub-domain and platform pages."""

from __future__ import annotations

from core.slots import register_slot
from webhooks.permissions import can_manage_webhooks


@register_slot("platform_page", order=90)
def platform_webhooks_link(request, *, platform, **kwargs):
    if request is None or not can_manage_webhooks(request.user, platform):
        return None
    return "webhooks/slots/manage_link.html", {"managed_platforms": [platform]}


@register_slot("subdomain_page", order=90)
def subdomain_webhooks_link(request, *, subdomain, **kwargs):
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return None
    platforms = list(subdomain.platforms.all())
    if not user.is_superuser:
        mine = set(
            user.platforms.filter(pk__in=[p.pk for p in platforms]).values_list("pk", flat=True)
        )
        platforms = [p for p in platforms if p.pk in mine]
    if not platforms:
        return None
    return "webhooks/slots/manage_link.html", {"managed_platforms": platforms}
