"""send_live_reminders: one notification and one email per registration, once."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from events import services
from notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def test_registrants_are_reminded_once_before_the_start(
    make_session, member, make_user, django_capture_on_commit_callbacks
):
    soon = make_session(title="Soon", starts_at=timezone.now() + timedelta(minutes=30))
    later = make_session(title="Later", starts_at=timezone.now() + timedelta(days=2))
    quiet = make_user("quiet")
    NotificationPreference.objects.create(user=quiet, kind="live_session", email=False)
    for session in (soon, later):
        services.registration_create(session=session, user=member)
    services.registration_create(session=soon, user=quiet)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_live_reminders", stdout=io.StringIO())
    notes = Notification.objects.filter(kind="live_session")
    assert sorted(n.recipient.username for n in notes) == ["member", "quiet"]
    assert all(n.target_title == "Soon" for n in notes)
    assert [m.to for m in mail.outbox] == [["member@example.com"]]  # quiet opted out of email
    assert "Soon" in mail.outbox[0].subject and f"/live/{soon.slug}/" in mail.outbox[0].body
    # Emailed already: the daily digest must not send it again.
    assert notes.get(recipient=member).emailed_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_live_reminders", stdout=io.StringIO())
    assert Notification.objects.filter(kind="live_session").count() == 2
    assert len(mail.outbox) == 1


def test_ended_sessions_are_not_reminded(make_session, member):
    session = make_session(starts_at=timezone.now() + timedelta(minutes=5))
    services.registration_create(session=session, user=member)
    session.status = "ended"
    session.save()
    call_command("send_live_reminders", stdout=io.StringIO())
    assert not Notification.objects.exists()
