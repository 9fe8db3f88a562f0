"""Playwright fixtures: Debian's Chromium, headless, against pytest-django's live server.

``playwright install`` cannot download browsers here, so we launch the system
Chromium. Tests in this folder must be marked ``@pytest.mark.browser``; they
skip when Chromium is missing (and fail under CI=true, see tests/conftest.py).
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import CHROMIUM

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in
# test bodies are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Factory for isolated pages (each its own context: cookies, storage)."""
    contexts = []

    def make(locale: str = "zh-CN"):
        context = browser.new_context(base_url=live_server.url, locale=locale)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture(autouse=True)
def site_root(request):
    """Recreate Wagtail's page tree when a transactional test flushed the migration-made one."""
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from wagtail.models import Locale, Page, Site

    from knowledge.models import HomePage

    if Site.objects.filter(is_default_site=True).exists():
        return
    locale, _ = Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", locale=locale))
    home = HomePage(title="匯聚 Huiju", slug="home", locale=locale)
    root.add_child(instance=home)
    Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
