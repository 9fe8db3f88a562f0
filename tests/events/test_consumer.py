"""The live room over WebSockets, against the Redis channel layer (as in production).

Clients connect through the real ASGI stack (origin check, session auth, URL
router) with a session cookie, exactly as a browser does.
"""

from __future__ import annotations

import asyncio
import functools
import json
import threading

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client, override_settings

from events.models import LiveQuestion

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

TIMEOUT = 5


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test gets a fresh Redis layer bound to its own event loop."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


def in_own_loop(test):
    """Run an async test in a fresh event loop on its own thread.

    The browser tests keep Playwright's loop running in the main thread for the
    whole session, so async tests cannot use it; a thread of their own can.
    """

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        outcome = {}

        async def scenario():
            try:
                await test(*args, **kwargs)
            finally:
                # Close the connection the consumer's worker thread opened.
                await database_sync_to_async(connections.close_all)()

        def target():
            try:
                asyncio.run(scenario())
            except BaseException as error:  # re-raised in the test's thread
                outcome["error"] = error

        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
        if "error" in outcome:
            raise outcome["error"]

    return wrapper


def _application():
    from config.asgi import application

    return application


@database_sync_to_async
def _cookie_for(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def connect(slug: str, user=None, *, origin: bytes = b"http://testserver", app=None):
    headers = [(b"origin", origin), (b"host", b"testserver")]
    if user is not None:
        headers.append((b"cookie", f"sessionid={await _cookie_for(user)}".encode()))
    communicator = WebsocketCommunicator(app or _application(), f"/ws/live/{slug}/", headers)
    connected, code = await communicator.connect(timeout=TIMEOUT)
    if connected:
        hello = await communicator.receive_json_from(timeout=TIMEOUT)
        assert hello["type"] == "hello"
        communicator.hello = hello
    return communicator, connected, code


async def receive(communicator, *types: str) -> dict:
    """The next frame of one of ``types``.

    Presence frames arrive whenever, and a client's own broadcast copy may come
    before or after its ack: skip those, but never an unexpected ack or error.
    """
    while True:
        frame = await communicator.receive_json_from(timeout=TIMEOUT)
        if frame["type"] in types or (not types and frame["type"] != "presence"):
            return frame
        if frame["type"] not in {"presence", "pong"} and "seq" not in frame:
            raise AssertionError(f"expected {types}, got {frame}")


async def snapshot(communicator, last_seq=None) -> dict:
    await communicator.send_json_to({"type": "sync", "last_seq": last_seq})
    return await receive(communicator, "snapshot")


@in_own_loop
async def test_two_attendees_see_each_others_question_and_vote(live_session, member, make_user):
    other = await database_sync_to_async(make_user)("other")
    alice, ok, _ = await connect(live_session.slug, member)
    bob, ok2, _ = await connect(live_session.slug, other)
    assert ok and ok2
    assert (await snapshot(alice))["questions"] == []
    await snapshot(bob)

    await alice.send_json_to({"type": "ask", "body": "Does Apollo run on **Orin**?", "ref": 1})
    ack = await receive(alice, "ack")
    assert ack["ref"] == 1 and ack["status"] == "approved"
    seen_by_bob = await receive(bob, "question.new")
    assert seen_by_bob["seq"] == 1
    assert "<strong>Orin</strong>" in seen_by_bob["question"]["body_html"]
    assert seen_by_bob["question"]["author"]["username"] == "member"
    assert (await receive(alice, "question.new"))["seq"] == 1

    question_id = ack["question_id"]
    await bob.send_json_to({"type": "vote", "question_id": question_id, "ref": "v"})
    assert (await receive(bob, "ack"))["vote_count"] == 1
    votes = await receive(alice, "question.votes")
    assert votes == {"type": "question.votes", "id": question_id, "vote_count": 1, "seq": 2}
    await alice.disconnect()
    await bob.disconnect()


@in_own_loop
async def test_reconnecting_client_gets_missed_events_then_a_snapshot_when_far_behind(
    live_session, member, host
):
    from events import services

    alice, *_ = await connect(live_session.slug, member)
    await snapshot(alice)
    await alice.send_json_to({"type": "ask", "body": "First"})
    await receive(alice, "ack")
    first = await receive(alice, "question.new")
    await alice.disconnect()

    # While Alice is away, the host pins and answers her question.
    question = await database_sync_to_async(LiveQuestion.objects.get)(pk=first["question"]["id"])
    await database_sync_to_async(services.question_pin)(question=question, user=host)
    await database_sync_to_async(services.question_answer)(
        question=question, user=host, answer="Yes."
    )

    alice, *_ = await connect(live_session.slug, member)
    await alice.send_json_to({"type": "sync", "last_seq": first["seq"]})
    replay = [await receive(alice, "question.updated") for _ in range(2)]
    assert [f["seq"] for f in replay] == [2, 3]
    assert replay[1]["question"]["status"] == "answered"
    synced = await receive(alice, "synced")
    assert synced == {"type": "synced", "seq": 3, "replayed": 2}

    # A number the server never issued (e.g. after a database restore): full snapshot.
    state = await snapshot(alice, last_seq=999)
    assert state["seq"] == 3
    assert state["questions"][0]["answer_html"].strip() == "<p>Yes.</p>"
    assert state["questions"][0]["pinned"] is True
    await alice.disconnect()


@in_own_loop
async def test_guests_may_watch_but_not_write(live_session):
    guest, ok, _ = await connect(live_session.slug)
    assert ok
    assert guest.hello["user"] is None and guest.hello["can_moderate"] is False
    await snapshot(guest)
    for frame in (
        {"type": "ask", "body": "Hi"},
        {"type": "vote", "question_id": 1},
        {"type": "hide", "question_id": 1},
    ):
        await guest.send_json_to(frame)
        error = await receive(guest, "error")
        assert error["code"] == "auth_required"
    await guest.disconnect()


@in_own_loop
async def test_attendees_cannot_moderate_and_hosts_can(live_session, member, host):
    alice, *_ = await connect(live_session.slug, member)
    hostc, *_ = await connect(live_session.slug, host)
    assert hostc.hello["can_moderate"] is True
    await snapshot(alice)
    await snapshot(hostc)
    await alice.send_json_to({"type": "ask", "body": "Pin me", "anonymous": True})
    question_id = (await receive(alice, "ack"))["question_id"]
    await receive(alice, "question.new")
    new_for_host = await receive(hostc, "question.new")
    assert new_for_host["question"]["author"]["username"] == "member"  # hosts see who asked

    for frame in ({"type": "pin", "question_id": question_id}, {"type": "end"}):
        await alice.send_json_to(frame)
        assert (await receive(alice, "error"))["code"] == "forbidden"

    await hostc.send_json_to({"type": "answer", "question_id": question_id, "answer": "Done"})
    assert (await receive(hostc, "ack"))["status"] == "answered"
    updated = await receive(alice, "question.updated")
    assert updated["question"]["status"] == "answered"
    await hostc.send_json_to({"type": "end", "ref": 9})
    assert (await receive(hostc, "ack"))["status"] == "ended"
    assert (await receive(alice, "session.status"))["session"]["status"] == "ended"
    await alice.disconnect()
    await hostc.disconnect()


@in_own_loop
async def test_attendees_never_learn_who_asked_anonymously(live_session, member, make_user):
    other = await database_sync_to_async(make_user)("other")
    alice, *_ = await connect(live_session.slug, member)
    bob, *_ = await connect(live_session.slug, other)
    await snapshot(alice)
    await snapshot(bob)
    await alice.send_json_to({"type": "ask", "body": "Secret", "anonymous": True})
    frame = await receive(bob, "question.new")
    assert frame["question"]["author"] is None and frame["question"]["anonymous"] is True
    assert "member" not in json.dumps(frame)
    state = await snapshot(bob)
    assert state["questions"][0]["author"] is None
    await alice.disconnect()
    await bob.disconnect()


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_message"),
        ('{"no": "type"}', "bad_message"),
        ('{"type": "launch_rockets"}', "unknown_type"),
        ('{"type": "vote", "question_id": "seven"}', "invalid"),
        ('{"type": "vote", "question_id": true}', "invalid"),
        ('{"type": "ask", "body": 42}', "invalid"),
        ('{"type": "ask", "body": "  "}', "invalid"),
        ('{"type": "ask", "body": "ok", "anonymous": "yes"}', "invalid"),
        ('{"type": "vote", "question_id": 999999}', "not_found"),
        ('{"type": "sync", "last_seq": -1}', "invalid"),
    ],
)
@in_own_loop
async def test_bad_input_gets_an_error_frame_and_the_connection_stays_usable(
    live_session, member, raw, code
):
    alice, *_ = await connect(live_session.slug, member)
    await alice.send_to(text_data=raw)
    error = await receive(alice, "error")
    assert error["code"] == code and error["message"]
    await alice.send_json_to({"type": "ping", "ref": 2})
    assert (await receive(alice, "pong"))["ref"] == 2
    await alice.disconnect()


@in_own_loop
async def test_oversized_messages_are_refused(live_session, member, settings):
    settings.HUIJU = {**settings.HUIJU, "MAX_WEBSOCKET_MESSAGE_BYTES": 512}
    alice, *_ = await connect(live_session.slug, member)
    await alice.send_json_to({"type": "ask", "body": "x" * 600})
    error = await receive(alice, "error")
    assert error["code"] == "too_large"
    assert not await database_sync_to_async(LiveQuestion.objects.exists)()
    await alice.send_to(bytes_data=b"\xff" * 100)  # binary garbage under the cap
    assert (await receive(alice, "error"))["code"] == "bad_json"
    await alice.disconnect()


@in_own_loop
async def test_floods_are_rate_limited_per_member(live_session, member, settings):
    settings.HUIJU = {**settings.HUIJU, "LIVE_RATES": {"ask": "2/m"}}
    alice, *_ = await connect(live_session.slug, member)
    for n in range(2):
        await alice.send_json_to({"type": "ask", "body": f"Question {n}"})
        await receive(alice, "ack")
    await alice.send_json_to({"type": "ask", "body": "One too many"})
    error = await receive(alice, "error")
    assert error["code"] == "rate_limited" and error["retry_after"] > 0
    # A second connection of the same member shares the limit.
    again, *_ = await connect(live_session.slug, member)
    await again.send_json_to({"type": "ask", "body": "Sneaky"})
    assert (await receive(again, "error"))["code"] == "rate_limited"
    assert await database_sync_to_async(LiveQuestion.objects.count)() == 2
    await alice.disconnect()
    await again.disconnect()


@in_own_loop
async def test_foreign_origins_and_unknown_rooms_are_refused(live_session):
    from channels.auth import AuthMiddlewareStack
    from channels.routing import URLRouter
    from channels.security.websocket import AllowedHostsOriginValidator, OriginValidator

    from config.asgi import application
    from config.routing import websocket_urlpatterns

    assert isinstance(application.application_mapping["websocket"], OriginValidator)
    with override_settings(ALLOWED_HOSTS=["huiju.example.cn"]):
        app = AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
    _, ok, _ = await connect(live_session.slug, origin=b"https://evil.example", app=app)
    assert not ok
    good, ok, _ = await connect(live_session.slug, origin=b"https://huiju.example.cn", app=app)
    assert ok
    await good.disconnect()
    _, ok, code = await connect("no-such-session")
    assert not ok and code == 4404


@in_own_loop
async def test_presence_counts_attendees(live_session, member, make_user, settings):
    settings.HUIJU = {**settings.HUIJU, "LIVE_PRESENCE_INTERVAL": 0.2}
    other = await database_sync_to_async(make_user)("other")
    alice, *_ = await connect(live_session.slug, member)
    bob, *_ = await connect(live_session.slug, other)
    guest, *_ = await connect(live_session.slug)
    counts = []
    while not counts or counts[-1] != 3:
        counts.append((await alice.receive_json_from(timeout=TIMEOUT)).get("attendees"))
    await guest.disconnect()
    await bob.disconnect()
    while counts[-1] != 1:
        frame = await alice.receive_json_from(timeout=TIMEOUT)
        counts.append(frame.get("attendees", counts[-1]))
    state = await snapshot(alice)
    assert state["attendees"] == 1
    await alice.disconnect()


@in_own_loop
async def test_an_idle_connection_still_receives_events(live_session, member, host):
    """Regression: redis-py's 5 s read timeout used to kill consumers idle for 5 s."""
    from events import services

    alice, *_ = await connect(live_session.slug, member)
    await snapshot(alice)
    await asyncio.sleep(6.5)
    await database_sync_to_async(services.session_end)(session=live_session, user=host)
    assert (await receive(alice, "session.status"))["session"]["status"] == "ended"
    await alice.disconnect()
