"""Reminders before a live session: an in-site notification and an email, once per registration."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from events.models import LiveSession, Registration
from notifications.models import Notification, NotificationPreference
from notifications.services import notify_many

logger = logging.getLogger(__name__)
KIND = "live_session"


def reminders_send(*, within: timedelta = timedelta(hours=1), stdout=None) -> int:
    """Remind every not-yet-reminded registrant of sessions starting within ``within``.

    Idempotent: each registration is stamped ``reminded_at`` in the transaction that
    creates its notification, so a second run reminds nobody twice. Returns how many.
    """
    now = timezone.now()
    sessions = LiveSession.objects.filter(
        status__in=[LiveSession.Status.SCHEDULED, LiveSession.Status.LIVE],
        starts_at__lte=now + within,
        ends_at__gt=now,
        registrations__reminded_at__isnull=True,
    ).distinct()
    total = 0
    for session in sessions.select_related("platform"):
        with transaction.atomic():
            registrations = list(
                Registration.objects.select_for_update(of=("self",))
                .filter(session=session, reminded_at__isnull=True)
                .select_related("user")
            )
            users = [r.user for r in registrations if r.user.is_active]
            with translation.override(settings.LANGUAGE_CODE):
                url = session.get_absolute_url()
            notify_many(
                recipients=users,
                kind=KIND,
                target_url=url,
                target_title=session.title,
                excerpt=f"{timezone.localtime(session.starts_at):%Y-%m-%d %H:%M}",
            )
            opted_out = set(
                NotificationPreference.objects.filter(
                    user__in=users, kind=KIND, email=False
                ).values_list("user_id", flat=True)
            )
            emailed = [u for u in users if u.email and u.pk not in opted_out]
            Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
                reminded_at=now
            )
            # The reminder is its own email: keep it out of the daily digest.
            Notification.objects.filter(
                recipient__in=emailed, kind=KIND, target_url=url, emailed_at__isnull=True
            ).update(emailed_at=now)
            transaction.on_commit(lambda s=session, e=emailed: _email(s, e))
        total += len(registrations)
        if stdout is not None:
            stdout.write(f"  {session.title}: {len(registrations)} reminded")
    return total


def _email(session: LiveSession, users) -> None:
    for user in users:
        try:
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "session": session,
                    "user": user,
                    "url": settings.SITE_URL + session.get_absolute_url(),
                    "ics_url": settings.SITE_URL + f"{session.get_absolute_url()}calendar.ics",
                }
                subject = (
                    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX
                    + render_to_string("events/email/reminder_subject.txt", context).strip()
                )
                body = render_to_string("events/email/reminder.txt", context)
            send_mail(subject, body, None, [user.email])
        except Exception:
            logger.exception("Could not email a live-session reminder to user %s", user.pk)
