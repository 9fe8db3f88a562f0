"""A live room end to end: a host and two attendees in three browser contexts.

The site is served over ASGI by Daphne (HTTP and WebSockets) in a thread, with
the Redis channel layer, so this exercises the real client, consumer and fan-out.
"""

from __future__ import annotations

import socket
import threading
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def asgi_url(django_db_setup):
    """Daphne serving the project (static files included) on a free port, for this module."""
    from channels.routing import ProtocolTypeRouter
    from daphne.endpoints import build_endpoint_description_strings
    from daphne.server import Server
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application

    from config.asgi import application

    app = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(get_asgi_application()),
            "websocket": application.application_mapping["websocket"],
        }
    )
    port = _free_port()
    server = Server(
        application=app,
        endpoints=build_endpoint_description_strings(host="127.0.0.1", port=port),
        signal_handlers=False,
        verbosity=0,
    )
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def signed_in(browser, asgi_url):
    contexts = []

    def open_as(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(base_url=asgi_url, locale="en-US")
        context.set_default_timeout(10_000)
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": asgi_url}]
        )
        contexts.append(context)
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


def test_host_starts_attendees_ask_and_vote_host_answers_everyone_sees_it(signed_in, make_user):
    from playwright.sync_api import expect

    from events.models import LiveSession
    from knowledge.models import Platform, Subdomain

    subdomain = Subdomain.objects.create(
        slug="intelligent-voice", name_zh_hans="智能语音", name_zh_hant="智能語音", name_en="Voice"
    )
    platform = Platform.objects.create(
        slug="iflytek",
        subdomain=subdomain,
        name_zh_hans="科大讯飞",
        name_zh_hant="科大訊飛",
        name_en="iFLYTEK",
        year_designated=2017,
    )
    starts = timezone.now() + timedelta(minutes=5)
    session = LiveSession.objects.create(
        slug="asr-office-hours",
        title="ASR office hours",
        platform=platform,
        subdomain=subdomain,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
    )
    host_user, alice_user, bob_user = make_user("host"), make_user("alice"), make_user("bob")
    session.hosts.add(host_user)
    room_url = f"/en/live/{session.slug}/"

    host = signed_in(host_user)
    host.goto(room_url + "moderate/")
    host.wait_for_selector(".live-room.is-synced")
    host.get_by_role("button", name="Start the session").click()
    host.locator('[data-role="session-status"]', has_text="Live now").wait_for()

    alice, bob = signed_in(alice_user), signed_in(bob_user)
    for page in (alice, bob):
        page.goto(room_url)
        page.wait_for_selector(".live-room.is-synced")
        assert page.locator('[data-role="session-status"]').inner_text() == "Live now"

    alice.get_by_label("Your question").fill("Does streaming ASR support **hot words**?")
    alice.get_by_role("button", name="Ask", exact=True).click()
    question = bob.locator(".live-question", has_text="Does streaming ASR support hot words?")
    question.wait_for()
    assert question.locator("strong", has_text="hot words").count() == 1  # Markdown rendered
    expect(alice.get_by_label("Your question")).to_have_value("")  # acknowledged: box cleared

    question.get_by_role("button", name="votes; upvote this question").click()
    alice.locator(".live-question [data-role=votes]", has_text="1").wait_for()
    assert question.locator("button[aria-pressed=true]").count() == 1

    host_question = host.locator(".live-question", has_text="hot words")
    host_question.locator("summary", has_text="Answer").click()
    host_question.get_by_label("Written answer").fill("Yes: up to 200 hot words per app.")
    host_question.get_by_role("button", name="Mark answered").click()
    for page in (alice, bob):
        page.locator(".live-question__answer", has_text="up to 200 hot words").wait_for()
        assert page.locator("[data-role=status-answered]:visible").count() == 1
