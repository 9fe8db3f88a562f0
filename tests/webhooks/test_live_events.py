"""live.registration, emitted when a member registers for a platform's live session."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from events import services as events
from events.models import LiveSession
from webhooks.models import WebhookEndpoint


@pytest.fixture
def session(platforms, make_user):
    starts = timezone.now() + timedelta(hours=2)
    platform = platforms["baidu"]
    return LiveSession.objects.create(
        slug="apollo-office-hours",
        title="Apollo office hours",
        description="Ask about Apollo.",
        platform=platform,
        subdomain=platform.subdomain,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )


@pytest.fixture
def hook(platforms):
    return WebhookEndpoint.objects.create(
        platform=platforms["baidu"],
        url="https://hooks.baidu.example/live",
        events=["live.registration"],
    )


def test_registering_queues_one_live_registration_for_the_host_platform(
    session, hook, make_user, django_capture_on_commit_callbacks
):
    attendee = make_user("attendee")
    with django_capture_on_commit_callbacks(execute=True):
        events.registration_create(session=session, user=attendee)
    delivery = hook.deliveries.get()
    assert delivery.event == "live.registration"
    data = delivery.payload["data"]
    assert data["session"]["title"] == "Apollo office hours"
    assert data["session"]["url"].endswith(session.get_absolute_url())
    assert data["registrations"] == 1

    # Registering again is idempotent and sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        events.registration_create(session=session, user=attendee)
    assert hook.deliveries.count() == 1


def test_other_platforms_and_unsubscribed_endpoints_hear_nothing(
    session, platforms, make_user, django_capture_on_commit_callbacks
):
    other = WebhookEndpoint.objects.create(
        platform=platforms["iflytek"],
        url="https://hooks.iflytek.example/live",
        events=["live.registration"],
    )
    unsubscribed = WebhookEndpoint.objects.create(
        platform=platforms["baidu"],
        url="https://hooks.baidu.example/qa",
        events=["answer.accepted"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        events.registration_create(session=session, user=make_user("attendee"))
    assert not other.deliveries.exists()
    assert not unsubscribed.deliveries.exists()
