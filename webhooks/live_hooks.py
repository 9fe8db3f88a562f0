"""``live.registration``: a member registered for one of a platform's live sessions.

The events app sends ``registration_created`` from ``transaction.on_commit``; this
receiver only queues deliveries, and ``webhook_emit`` never raises into the request.
"""

from __future__ import annotations

from django.dispatch import receiver

from events import signals as events_signals
from events.models import Registration
from webhooks.payloads import _url, user_payload
from webhooks.services import webhook_emit


@receiver(
    events_signals.registration_created, sender=Registration, dispatch_uid="webhooks.live_reg"
)
def registration_emit(sender, registration: Registration, **kwargs) -> int:
    """Queue ``live.registration`` for the session's host platform."""
    session = registration.session

    def build() -> dict:
        return {
            "session": {
                "id": session.pk,
                "title": session.title,
                "url": _url(session),
                "starts_at": session.starts_at.isoformat(),
            },
            "attendee": user_payload(registration.user),
            "registrations": session.registrations.count(),
        }

    return webhook_emit(platform=session.platform_id, event="live.registration", payload=build)
