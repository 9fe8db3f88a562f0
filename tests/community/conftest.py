"""Fixtures for the Q&A tests: members at useful reputation levels and a small catalogue."""

from __future__ import annotations

import itertools

import pytest

from community import services

_counter = itertools.count(1)


@pytest.fixture
def asker(make_user):
    return make_user("asker", reputation=200)


@pytest.fixture
def answerer(make_user):
    return make_user("answerer", reputation=200)


@pytest.fixture
def voter(make_user):
    return make_user("voter", reputation=500)


@pytest.fixture
def newbie(make_user):
    return make_user("newbie", reputation=1)


@pytest.fixture
def moderator(make_user):
    from django.contrib.auth.models import Group

    from accounts.roles import MODERATORS_GROUP

    user = make_user("mod", reputation=1)
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    user.groups.add(group)
    return user


@pytest.fixture
def subdomain(db):
    from knowledge.models import Platform, Subdomain

    subdomain = Subdomain.objects.create(
        slug="autonomous-driving",
        name_zh_hans="自动驾驶",
        name_zh_hant="自動駕駛",
        name_en="Autonomous driving",
    )
    Platform.objects.create(
        slug="baidu",
        subdomain=subdomain,
        name_zh_hans="百度",
        name_zh_hant="百度",
        name_en="Baidu",
        year_designated=2017,
    )
    return subdomain


@pytest.fixture
def resource(subdomain):
    from knowledge.models import OpenResource, ResourceVersion

    resource = OpenResource.objects.create(
        platform=subdomain.platforms.get(),
        slug="apollo",
        name="Apollo",
        kind="sdk",
    )
    ResourceVersion.objects.create(resource=resource, version="9.0")
    return resource


@pytest.fixture
def ask(asker):
    """Ask a valid question with unique text (so the duplicate block never trips)."""

    def make(author=None, tags=("python",), **fields):
        n = next(_counter)
        fields.setdefault("title", f"How do I build the perception module, case {n}?")
        fields.setdefault("body", f"I followed the guide but the build fails at step {n}. Why?")
        return services.question_ask(author=author or asker, tags=list(tags), **fields)

    return make


@pytest.fixture
def answer_to(answerer):
    def make(question, author=None, body=None):
        n = next(_counter)
        return services.answer_create(
            question=question,
            author=author or answerer,
            body=body or f"Install the toolchain first; this fixed it for me ({n}).",
        )

    return make


@pytest.fixture(autouse=True)
def relaxed_rate_limits(settings):
    """Most tests post quickly; rate-limit tests set HUIJU_RATE_LIMITS back themselves."""
    from community.conf import DEFAULT_RATE_LIMITS

    settings.HUIJU_RATE_LIMITS = {
        action: dict.fromkeys(tiers, "10000/s") for action, tiers in DEFAULT_RATE_LIMITS.items()
    }
