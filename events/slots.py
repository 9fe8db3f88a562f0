"""Live sessions shown on other apps' pages (see core/slots.py)."""

from __future__ import annotations

from core.slots import register_slot
from events import selectors

SLOT_LIMIT = 5


@register_slot("home_page", order=30)
def home_sessions(request, **kwargs):
    live = list(selectors.sessions_live()[:SLOT_LIMIT])
    upcoming = list(selectors.sessions_upcoming()[:SLOT_LIMIT])
    if not live and not upcoming:
        return None
    return "events/slots/sessions.html", {"live_sessions": live, "upcoming_sessions": upcoming}


@register_slot("subdomain_page", order=30)
def subdomain_sessions(request, *, subdomain, **kwargs):
    live = list(selectors.sessions_live(subdomain=subdomain)[:SLOT_LIMIT])
    upcoming = list(selectors.sessions_upcoming(subdomain=subdomain)[:SLOT_LIMIT])
    if not live and not upcoming:
        return None
    return "events/slots/sessions.html", {
        "live_sessions": live,
        "upcoming_sessions": upcoming,
        "slot_subdomain": subdomain,
    }


@register_slot("resource_page", order=30)
def resource_sessions(request, *, resource, **kwargs):
    upcoming = list(selectors.sessions_upcoming(resource=resource)[:SLOT_LIMIT])
    live = list(selectors.sessions_live().filter(resources=resource)[:SLOT_LIMIT])
    past = list(selectors.sessions_past(resource=resource)[:SLOT_LIMIT])
    if not live and not upcoming and not past:
        return None
    return "events/slots/sessions.html", {
        "live_sessions": live,
        "upcoming_sessions": upcoming,
        "past_sessions": past,
    }
