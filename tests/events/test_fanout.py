"""Process-local fan-out (events.fanout): one channel-layer listener per room and process.

These run on the in-memory channel layer with fake ASGI sends, so they need no
services; tests/events/test_consumer.py covers the same path end to end on Redis.
"""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from channels.layers import InMemoryChannelLayer

from events import fanout

GROUP = "live.1"


class Socket:
    """A fake ASGI send: records frames; ``stall()`` makes the next sends wait (back-pressure)."""

    def __init__(self) -> None:
        self.frames: list[str] = []
        self.writable = asyncio.Event()
        self.writable.set()
        self.error: Exception | None = None

    async def send(self, message: dict) -> None:
        await self.writable.wait()  # like uvicorn: returns at once unless paused
        if self.error is not None:
            raise self.error
        self.frames.append(message.get("text", message["type"]))

    def stall(self) -> None:
        self.writable.clear()

    def resume(self) -> None:
        self.writable.set()


def event(seq: int, audience: int | None = None) -> dict:
    return {
        "type": "live.event",
        "seq": seq,
        "audience_user_id": audience,
        "staff_text": f"staff {seq}",
        "public_text": f"public {seq}",
    }


async def settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


async def open_connection(layer, socket, *, staff=False, user_id=None, session_id=1):
    connection = fanout.Connection(socket.send, staff=staff, user_id=user_id)
    room = await fanout.join(layer, session_id, f"live.{session_id}", connection)
    connection.release()
    return room, connection


async def test_one_layer_message_per_room_reaches_every_connection_in_its_view():
    layer = InMemoryChannelLayer()
    guest, asker, host = Socket(), Socket(), Socket()
    room, _ = await open_connection(layer, guest)
    same_room, _ = await open_connection(layer, asker, user_id=7)
    await open_connection(layer, host, staff=True, user_id=1)
    assert room is same_room
    assert len(layer.groups[GROUP]) == 1  # the room listens, not each connection

    await layer.group_send(GROUP, event(1, audience=7))
    await layer.group_send(GROUP, {"type": "live.presence", "attendees": 3})
    await settle()
    presence = json.dumps({"type": "presence", "attendees": 3})
    assert guest.frames == ["public 1", presence]
    assert asker.frames == ["staff 1", presence]  # the asker sees their own question in full
    assert host.frames == ["staff 1", presence]


async def test_a_backed_up_client_holds_up_nobody_and_keeps_its_order():
    layer = InMemoryChannelLayer()
    slow, fast = Socket(), Socket()
    room, slow_connection = await open_connection(layer, slow)
    await open_connection(layer, fast)
    slow.stall()
    for seq in (1, 2):
        room.broadcast(event(seq))
    reply = asyncio.ensure_future(slow_connection.send({"type": "websocket.send", "text": "ack"}))
    await asyncio.sleep(0)  # the consumer's ack is queued now
    room.broadcast(event(3))
    await settle()
    assert fast.frames == ["public 1", "public 2", "public 3"]  # at once, not after the slow one
    assert slow.frames == [] and not reply.done()

    slow.resume()
    await settle()
    assert reply.done()
    assert slow.frames == ["public 1", "public 2", "ack", "public 3"]  # the order handed over
    room.broadcast(event(4))  # and back to sending straight away
    assert slow.frames[-1] == "public 4"


async def test_broadcasts_wait_while_the_consumer_is_busy():
    layer = InMemoryChannelLayer()
    socket = Socket()
    connection = fanout.Connection(socket.send, staff=False, user_id=None)
    room = await fanout.join(layer, 1, GROUP, connection)
    room.broadcast(event(1))  # before the hello: held back
    await connection.send({"type": "websocket.send", "text": "hello"})
    connection.release()
    connection.hold()  # answering a sync
    room.broadcast(event(2))
    await connection.send({"type": "websocket.send", "text": "snapshot"})
    connection.release()
    assert socket.frames == ["hello", "public 1", "snapshot", "public 2"]


async def test_a_vanished_client_is_dropped_quietly_and_others_still_get_frames(caplog):
    class Disconnected(Exception):
        pass

    layer = InMemoryChannelLayer()
    gone, broken, fine = Socket(), Socket(), Socket()
    room, gone_connection = await open_connection(layer, gone)
    await open_connection(layer, broken)
    await open_connection(layer, fine)
    gone.error = Disconnected()
    broken.error = ValueError("boom")
    with caplog.at_level(logging.ERROR, logger="events.fanout"):
        room.broadcast(event(1))
        room.broadcast(event(2))
    assert fine.frames == ["public 1", "public 2"]
    assert gone_connection.gone
    assert caplog.text.count("could not send") == 1  # the unexpected error, once; not the leaver


async def test_rooms_leave_the_group_when_their_last_connection_goes():
    layer = InMemoryChannelLayer()
    first, second = Socket(), Socket()
    room, a = await open_connection(layer, first)
    _, b = await open_connection(layer, second)
    other_room, c = await open_connection(layer, Socket(), session_id=2)
    await room.remove(a)
    assert GROUP in layer.groups and room in fanout.rooms().values()
    await room.remove(b)
    await settle()
    assert GROUP not in layer.groups or not layer.groups[GROUP]
    assert room not in fanout.rooms().values() and room.task.done()
    assert other_room in fanout.rooms().values()
    await other_room.remove(c)

    again, d = await open_connection(layer, first)  # a new audience: a fresh room
    assert again is not room
    await layer.group_send(GROUP, event(5))
    await settle()
    assert first.frames == ["public 5"]
    await again.remove(d)


async def test_a_listener_survives_a_malformed_message(caplog):
    layer = InMemoryChannelLayer()
    socket = Socket()
    room, connection = await open_connection(layer, socket)
    with caplog.at_level(logging.ERROR, logger="events.fanout"):
        await layer.group_send(GROUP, {"type": "live.event"})  # no texts
        await layer.group_send(GROUP, event(1))
        await settle()
    assert socket.frames == ["public 1"]
    assert "could not fan out" in caplog.text
    await room.remove(connection)


async def test_resume_passes_results_and_cancellation_through():
    """_Resume continues a coroutine that was started by hand, as a task would."""
    future = asyncio.get_running_loop().create_future()

    async def waits():
        return await future + 1

    coro = waits()
    resumed = asyncio.ensure_future(_finish(coro, coro.send(None)))
    future.set_result(41)
    assert await resumed == 42

    blocked = asyncio.get_running_loop().create_future()

    async def waits_forever():
        await blocked

    coro = waits_forever()
    resumed = asyncio.ensure_future(_finish(coro, coro.send(None)))
    await settle()
    resumed.cancel()
    with pytest.raises(asyncio.CancelledError):
        await resumed
    assert blocked.cancelled()  # the cancellation reached the inner await


async def _finish(coro, waiting):
    return await fanout._Resume(coro, waiting)


async def test_a_big_room_is_written_in_slices_so_the_loop_serves_others_meanwhile(monkeypatch):
    monkeypatch.setattr(fanout, "SLICE", 2)
    layer = InMemoryChannelLayer()
    sockets = [Socket() for _ in range(5)]
    for socket in sockets:
        room, _ = await open_connection(layer, socket)
    seen = []

    async def probe():
        while sum(len(s.frames) for s in sockets) < 10:
            seen.append(sum(len(s.frames) for s in sockets))
            await asyncio.sleep(0)

    watcher = asyncio.ensure_future(probe())
    await layer.group_send(GROUP, event(1))
    await layer.group_send(GROUP, event(2))
    await asyncio.wait_for(watcher, 1)
    assert any(0 < count < 5 for count in seen)  # ran while the first broadcast was half out
    assert all(s.frames == ["public 1", "public 2"] for s in sockets)


@pytest.mark.django_db  # writes run under database_sync_to_async (connection clean-up)
async def test_room_writes_take_turns_that_end_at_their_fan_out():
    """The next write starts once the previous one's broadcasts are queued, not when it returns."""
    import threading
    import time

    layer = InMemoryChannelLayer()
    socket = Socket()
    room, connection = await open_connection(layer, socket)
    publisher = fanout.use_publisher(layer)
    first_hooks_done = threading.Event()
    order = []

    def first():
        order.append("first writes")
        publisher.submit(GROUP, event(1))
        fanout.end_turn()  # what services._fan_out_all does after commit
        time.sleep(0.2)  # later commit hooks (search indexing) still running
        first_hooks_done.set()
        return 1

    def second():
        order.append(f"second writes, first's hooks done: {first_hooks_done.is_set()}")
        publisher.submit(GROUP, event(2))
        fanout.end_turn()
        return 2

    one = asyncio.ensure_future(room.write(first))
    await asyncio.sleep(0.05)
    assert await room.write(second) == 2
    assert await one == 1
    assert order == ["first writes", "second writes, first's hooks done: False"]

    def fails():
        raise ValueError("no commit, no fan-out")

    with pytest.raises(ValueError):
        await room.write(fails)
    assert not room.write_lock.locked()  # the turn ends when the write returns, too
    await settle()
    assert socket.frames == ["public 1", "public 2"]  # published in seq order
    await room.remove(connection)


@pytest.mark.redis
async def test_each_server_process_gets_one_message_per_broadcast_over_redis(settings):
    """Two workers (two layer instances, as two processes have) share a room through Redis."""
    from channels_redis.pubsub import RedisPubSubChannelLayer

    config = {**settings.CHANNEL_LAYERS["default"]["CONFIG"], "prefix": "huiju-test-workers"}
    workers = [RedisPubSubChannelLayer(**config) for _ in range(2)]
    sockets = [[Socket(), Socket()], [Socket()]]
    rooms, connections = [], []
    for layer, worker_sockets in zip(workers, sockets, strict=True):
        for socket in worker_sockets:
            room, connection = await open_connection(layer, socket)
            connections.append((room, connection))
        rooms.append(room)
    assert rooms[0] is not rooms[1]
    received = []
    for room in rooms:  # count the messages each process's listener takes from Redis

        def deliver(message, original=room._deliver):
            received.append(message["seq"])
            return original(message)

        room._deliver = deliver
    try:
        await workers[0].group_send(GROUP, event(1))
        for _ in range(50):
            if all(s.frames for group in sockets for s in group):
                break
            await asyncio.sleep(0.05)
        assert [s.frames for group in sockets for s in group] == [["public 1"]] * 3
        assert sorted(received) == [1, 1]  # one Redis message per process, not per socket
    finally:
        for room, connection in connections:
            await room.remove(connection)
        for layer in workers:
            await layer.flush()
