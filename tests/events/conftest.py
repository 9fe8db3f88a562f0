"""Fixtures for the live-session tests: a platform, its host, and sessions in every state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone


@pytest.fixture
def platform(db):
    from knowledge.models import Platform, Subdomain

    subdomain = Subdomain.objects.create(
        slug="autonomous-driving",
        name_zh_hans="自动驾驶",
        name_zh_hant="自動駕駛",
        name_en="Autonomous driving",
    )
    return Platform.objects.create(
        slug="baidu",
        subdomain=subdomain,
        name_zh_hans="百度",
        name_zh_hant="百度",
        name_en="Baidu",
        year_designated=2017,
    )


@pytest.fixture
def resource(platform):
    from knowledge.models import OpenResource

    return OpenResource.objects.create(
        platform=platform, slug="apollo", name="Apollo", kind="toolkit"
    )


@pytest.fixture
def host(make_user):
    return make_user("host")


@pytest.fixture
def make_session(platform, host):
    from events.models import LiveSession

    counter = {"n": 0}

    def make(**fields):
        counter["n"] += 1
        starts = fields.pop("starts_at", timezone.now() + timedelta(hours=2))
        session = LiveSession.objects.create(
            slug=fields.pop("slug", f"session-{counter['n']}"),
            title=fields.pop("title", f"Apollo office hours {counter['n']}"),
            description=fields.pop("description", "Ask about **Apollo** perception."),
            platform=platform,
            subdomain=platform.subdomain,
            starts_at=starts,
            ends_at=fields.pop("ends_at", starts + timedelta(hours=1)),
            **fields,
        )
        session.hosts.add(host)
        return session

    return make


@pytest.fixture
def live_session(make_session):
    return make_session(status="live", slug="apollo-live")
