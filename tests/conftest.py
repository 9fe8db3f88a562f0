"""Shared fixtures and the rules for tests that need real services.

Under ``CI=true`` a missing service is a failure, not a skip: CI must exercise
PostgreSQL, Redis and Chromium. Locally the same tests skip with a reason.
"""

from __future__ import annotations

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import cache

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_configure(config):
    if IN_CI:
        missing = [name for name in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(name)]
        if missing:
            raise pytest.UsageError(f"CI=true needs real services; unset: {', '.join(missing)}")


def pytest_collection_modifyitems(config, items):
    """Browser tests run last. Their session-wide Playwright (sync API) keeps an event loop
    running in the main thread until the session ends, and native ``async def`` tests
    (pytest-asyncio) cannot start their own loop while it runs."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def pytest_runtest_setup(item):
    if item.get_closest_marker("postgres"):
        _require(
            settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
            "PostgreSQL not configured (DATABASE_URL)",
        )
    if item.get_closest_marker("redis"):
        _require(bool(settings.REDIS_URL), "Redis not configured (REDIS_URL)")
    if item.get_closest_marker("browser"):
        _require(
            bool(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)),
            f"Chromium not found at {CHROMIUM}",
        )
    if item.get_closest_marker("elasticsearch") and not settings.ELASTICSEARCH_URL:
        pytest.skip("ELASTICSEARCH_URL is not set")


@pytest.fixture(scope="session", autouse=True)
def _close_connections_after_each_request():
    """Threads serving requests in tests (live server, Daphne, Channels' database threads)
    close their connection when done, as with ``DATABASE_CONN_MAX_AGE=0``: kept open (the
    default 60 s), they outlive the tests and PostgreSQL refuses to drop the test database.
    """
    from django.db import connections

    database = connections.settings["default"]
    kept = database.get("CONN_MAX_AGE", 0)
    database["CONN_MAX_AGE"] = 0
    yield
    database["CONN_MAX_AGE"] = kept


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and cached fragments must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def password() -> str:
    return "correct horse battery staple"


@pytest.fixture
def make_user(db, password):
    """Create a member with a verified email who can sign in straight away."""
    from allauth.account.models import EmailAddress

    from accounts.models import User

    counter = {"n": 0}

    def make(username: str | None = None, **fields) -> User:
        counter["n"] += 1
        username = username or f"member{counter['n']}"
        email = fields.pop("email", f"{username}@example.com")
        user = User.objects.create_user(username=username, email=email, password=password, **fields)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def member(make_user):
    return make_user("member")


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client
