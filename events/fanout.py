"""Process-local fan-out of live-room broadcasts: one channel-layer listener per room.

Without this, every connection joined the room's group and had its own copy of
every broadcast delivered through the channel layer: a queue per connection, a
task wake-up, a decode and a dispatch each, which for a 1,000-client room is
1,000 trips through Channels per question or vote. Instead, each server process
keeps one :class:`Room` per live session with local connections. The room joins
the session's group with a single channel of its own, receives each broadcast
once, and writes the already-encoded text to each connection in one pass.

Guarantees kept (events/PROTOCOL.md):

- *No lost events.* A connection is registered with its room, whose group
  subscription is complete, before its client's ``sync`` is read, so every event
  is either in the reply (committed earlier) or delivered after it; both is a
  harmless duplicate the client drops by ``seq``.
- *Order.* One listener per room delivers broadcasts in the order it receives
  them, and a connection whose socket is backed up queues its frames in order.
- *Frames in the old order.* Broadcasts to a connection are held back while its
  consumer connects or answers a request, so they follow its ``hello``, its
  snapshot, its ack, as when each connection took its broadcasts in turn.
- *Isolation.* A slow or vanished client never holds up the others: a send that
  would wait (the server applies back-pressure) continues in a task of its own.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections import deque
from collections.abc import Coroutine
from contextvars import ContextVar
from typing import Any

logger = logging.getLogger(__name__)

SLICE = 200  # connections written between two yields to the event loop
_rooms: dict[tuple[Any, Any, int], Room] = {}
_publishers: dict[tuple[Any, Any], Publisher] = {}
_background: set[asyncio.Task] = set()
# The publisher of the event loop a consumer runs in; database work started from the
# consumer (``database_sync_to_async`` copies the context into its thread) sees it.
current_publisher: ContextVar[Publisher | None] = ContextVar("live_publisher", default=None)
# The room write in progress in this context (see Room.write); ended by its fan-out.
current_turn: ContextVar[WriteTurn | None] = ContextVar("live_write_turn", default=None)


SERVER_SEND = "huiju.server_send"


def with_server_send(app):
    """ASGI middleware: keep the server's own ``send`` in the scope (as ``SERVER_SEND``).

    Broadcast frames go straight to it. Channels' session middleware wraps ``send``
    to save the session on ``websocket.accept``; for ``websocket.send`` it only looks
    at the session (a lazy object) and passes the frame on, which, once per frame per
    connection, was a measurable share of a broadcast's cost.
    """

    async def middleware(scope, receive, send):
        return await app({**scope, SERVER_SEND: send}, receive, send)

    return middleware


def is_disconnect(error: BaseException) -> bool:
    """Sending to a client that has just gone away.

    Daphne raises autobahn's ``Disconnected``, uvicorn ``ClientDisconnected``;
    uvicorn also refuses frames after it has sent a close (a ``RuntimeError``).
    """
    name = type(error).__name__
    return name in {"Disconnected", "ClientDisconnected", "ConnectionClosed"} or (
        isinstance(error, RuntimeError) and "after sending 'websocket.close'" in str(error)
    )


class _Resume:
    """Await a coroutine that was started by hand and is suspended on ``waiting``."""

    def __init__(self, coro: Coroutine, waiting: Any) -> None:
        self.coro = coro
        self.waiting = waiting

    def __await__(self):
        coro, waiting = self.coro, self.waiting
        while True:
            try:
                value = yield waiting
            except BaseException as error:  # cancellation and the like reach the coroutine
                try:
                    waiting = coro.throw(error)
                except StopIteration as stop:
                    return stop.value
            else:
                try:
                    waiting = coro.send(value)
                except StopIteration as stop:
                    return stop.value


class Connection:
    """One connection as its room sees it: an ordered writer, and which view it reads.

    Every frame to the client goes through here, the consumer's own (``hello``,
    acks, snapshots) through :meth:`send` and broadcasts through :meth:`deliver`,
    so frames leave in the order they were handed over even when the client's
    socket is backed up.
    """

    def __init__(self, send, *, staff: bool, user_id: int | None, server_send=None) -> None:
        self._send = send  # the consumer's ASGI send (through the session middleware)
        self._server_send = server_send or send  # the server's own, for broadcasts
        self.staff = staff
        self.user_id = user_id
        self.gone = False
        # Broadcasts wait here while the consumer is busy (connecting, or answering a
        # request), so they follow its hello, ack or snapshot as they always have.
        self._held: list[str] | None = []
        # None while nothing is being written; else frames (and their senders' futures)
        # waiting behind a write in progress.
        self._backlog: deque[tuple[dict, asyncio.Future | None]] | None = None

    def deliver(self, text: str) -> None:
        """Send a broadcast without waiting for it.

        The ASGI send of Daphne and uvicorn completes without suspending unless the
        client's socket is backed up, so the common case costs no task at all; a send
        that would wait finishes in a task while later frames queue behind it.
        """
        if self.gone:
            return
        if self._held is not None:
            self._held.append(text)
            return
        message = {"type": "websocket.send", "text": text}
        if self._backlog is not None:
            self._backlog.append((message, None))
            return
        coro = self._server_send(message)
        if not asyncio.iscoroutine(coro):  # an ASGI send may return any awaitable
            coro = _awaiting(coro)
        try:
            waiting = coro.send(None)
        except StopIteration:
            return
        except Exception as error:
            self._failed(error)
            return
        self._backlog = deque()
        _spawn(self._drain(_Resume(coro, waiting)))

    def hold(self) -> None:
        """Keep broadcasts back until :meth:`release` (the consumer is busy)."""
        if self._held is None:
            self._held = []

    def release(self) -> None:
        """Send the broadcasts held back, in order; from now on send them as they come."""
        held, self._held = self._held, None
        for text in held or ():
            self.deliver(text)

    async def send(self, message: dict) -> None:
        """The consumer's ASGI send, in order with the broadcasts."""
        if self._backlog is not None:
            future = asyncio.get_running_loop().create_future()
            self._backlog.append((message, future))
            await future
            return
        self._backlog = deque()
        try:
            await self._send(message)
        except BaseException as error:
            self.gone = self.gone or is_disconnect(error)
            self._fail_backlog(error)
            raise
        if self._backlog:
            _spawn(self._drain(None))  # broadcasts queued while we wrote: not our job to wait
        else:
            self._backlog = None

    async def _drain(self, first) -> None:
        future = None
        try:
            if first is not None:
                await first
            while self._backlog:
                message, future = self._backlog.popleft()
                await (self._send if future is not None else self._server_send)(message)
                if future is not None and not future.done():
                    future.set_result(None)
                future = None
        except Exception as error:
            if future is not None and not future.done():
                future.set_exception(error)  # the consumer's own send: it handles the error
                self.gone = self.gone or is_disconnect(error)
            else:
                self._failed(error)
            self._fail_backlog(error)
        finally:
            self._backlog = None

    def _fail_backlog(self, error: BaseException) -> None:
        """The socket failed: waiting senders get the error, queued broadcasts are dropped."""
        backlog, self._backlog = self._backlog or deque(), None
        for _message, future in backlog:
            if future is not None and not future.done():
                if isinstance(error, Exception):
                    future.set_exception(error)
                else:
                    future.cancel()

    def _failed(self, error: Exception) -> None:
        self.gone = True  # nothing more goes to this socket; its consumer leaves the room
        if not is_disconnect(error):
            logger.error("Live fan-out could not send to a connection", exc_info=error)


async def _awaiting(awaitable):
    return await awaitable


def _spawn(coro: Coroutine) -> asyncio.Task:
    task = asyncio.get_running_loop().create_task(coro)
    _background.add(task)
    task.add_done_callback(_background.discard)
    return task


class Room:
    """The connections to one live session in this process, and their one listener."""

    def __init__(self, layer, session_id: int, group: str, key) -> None:
        self.layer = layer
        self.session_id = session_id
        self.group = group
        self.key = key
        self.connections: dict[int, Connection] = {}
        self.channel: str | None = None
        self.ready = asyncio.get_running_loop().create_future()
        self.task: asyncio.Task | None = None
        self.write_lock = asyncio.Lock()

    async def _start(self) -> None:
        try:
            self.channel = await self.layer.new_channel("live-room.")
            await self.layer.group_add(self.group, self.channel)
        except Exception as error:
            _rooms.pop(self.key, None)
            if not self.ready.done():
                self.ready.set_exception(error)
                self.ready.exception()  # retrieved: whoever awaits it re-raises it
            raise
        self.ready.set_result(True)
        if _rooms.get(self.key) is not self:  # everyone left while we subscribed
            await self._leave_group()
            return
        self.task = _spawn(self._listen())

    async def _listen(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("Live room %s: channel layer receive failed", self.session_id)
                await asyncio.sleep(1)
                continue
            try:
                for _slice in self._deliver(message):
                    await asyncio.sleep(0)  # let requests and other rooms in between slices
            except Exception:
                logger.exception("Live room %s: could not fan out %r", self.session_id, message)

    def broadcast(self, message: dict) -> None:
        """Hand one channel-layer message to every connection, in one go."""
        for _slice in self._deliver(message):
            pass

    def _deliver(self, message: dict):
        """Deliver ``message``, pausing (yielding) after every ``SLICE`` connections.

        A pass over a thousand sockets takes tens of milliseconds; in slices, the
        event loop serves requests in between instead of after the whole pass.
        """
        kind = message.get("type")
        connections = list(self.connections.values())
        if kind == "live.event":
            audience = message.get("audience_user_id")
            staff_text, public_text = message["staff_text"], message["public_text"]
            for index, connection in enumerate(connections, 1):
                full = connection.staff or (audience is not None and audience == connection.user_id)
                connection.deliver(staff_text if full else public_text)
                if index % SLICE == 0:
                    yield
        elif kind == "live.presence":
            text = json.dumps({"type": "presence", "attendees": message["attendees"]})
            for index, connection in enumerate(connections, 1):
                connection.deliver(text)
                if index % SLICE == 0:
                    yield
        else:
            logger.warning("Live room %s: unknown message type %r", self.session_id, kind)

    async def write(self, function, *args):
        """Run the database write ``function(*args)`` in a worker thread, one at a time.

        Writes to a room are serialised in the database (the session row lock), and
        their broadcasts must leave in ``seq`` order. Each write takes a turn here
        and gives it up as soon as its fan-out is queued (``end_turn`` in the
        fan-out hook, which runs first after commit), so the next write starts while
        this one's later commit hooks (search indexing) finish in its own thread,
        instead of all of them queueing in one database thread.
        """
        from channels.db import database_sync_to_async

        await self.write_lock.acquire()
        turn = WriteTurn(self.write_lock, asyncio.get_running_loop())
        token = current_turn.set(turn)
        try:
            return await database_sync_to_async(
                function, thread_sensitive=False, executor=_write_executor()
            )(*args)
        finally:
            current_turn.reset(token)
            turn.end()

    def add(self, connection: Connection) -> None:
        self.connections[id(connection)] = connection

    async def remove(self, connection: Connection) -> None:
        connection.gone = True
        self.connections.pop(id(connection), None)
        if self.connections or _rooms.get(self.key) is not self:
            return
        del _rooms[self.key]  # a connection arriving from now on starts a fresh room
        if self.task is not None:
            self.task.cancel()
        if self.ready.done():
            await self._leave_group()

    async def _leave_group(self) -> None:
        if self.channel is None:
            return
        try:
            await self.layer.group_discard(self.group, self.channel)
        except Exception:
            logger.exception("Live room %s: could not leave the group", self.session_id)


async def join(layer, session_id: int, group: str, connection: Connection) -> Room:
    """Register ``connection`` with its room (created on first use), subscribed to the group.

    Broadcasts to the connection are held back until ``connection.release()``.
    """
    loop = asyncio.get_running_loop()
    for stale in [key for key in _rooms if key[0].is_closed()]:
        del _rooms[stale]  # rooms of finished event loops (tests run one loop each)
    key = (loop, layer, session_id)
    room = _rooms.get(key)
    if room is None:
        room = _rooms[key] = Room(layer, session_id, group, key)
        room.add(connection)
        await room._start()
    else:
        room.add(connection)
        await asyncio.shield(room.ready)
    return room


def rooms() -> dict[tuple[Any, Any, int], Room]:
    """The rooms of this process (for tests and diagnostics)."""
    return _rooms


class Publisher:
    """Publishes a thread's group messages on the event loop, in order, without waiting.

    A write in the database thread used to block on ``async_to_sync(group_send)``
    until the publish was done; while the event loop was busy writing a broadcast
    to a thousand sockets, that held up the one thread every write goes through.
    Now the thread hands the message over and returns; one task per loop publishes
    the messages in the order they were handed over, so events stay in ``seq`` order.
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, layer) -> None:
        self.loop = loop
        self.layer = layer
        self._queue: deque[tuple[str, dict]] = deque()
        self._task: asyncio.Task | None = None

    def submit(self, group: str, message: dict) -> None:
        """Queue ``message`` for ``group``; call from any thread."""
        self.loop.call_soon_threadsafe(self._enqueue, group, message)

    def _enqueue(self, group: str, message: dict) -> None:
        self._queue.append((group, message))
        if self._task is None:
            self._task = _spawn(self._run())

    async def _run(self) -> None:
        try:
            while self._queue:
                group, message = self._queue.popleft()
                try:
                    await self.layer.group_send(group, message)
                except Exception:
                    logger.exception("Live fan-out to %s failed; clients will resync", group)
        finally:
            self._task = None


def use_publisher(layer) -> Publisher:
    """Make database work started from the current task publish through this loop's publisher."""
    loop = asyncio.get_running_loop()
    for stale in [key for key in _publishers if key[0].is_closed()]:
        del _publishers[stale]
    publisher = _publishers.get((loop, layer))
    if publisher is None:
        publisher = _publishers[(loop, layer)] = Publisher(loop, layer)
    current_publisher.set(publisher)
    return publisher


class WriteTurn:
    """A room write's hold on the room's write lock, released once, from any thread."""

    def __init__(self, lock: asyncio.Lock, loop: asyncio.AbstractEventLoop) -> None:
        self._lock = lock
        self._loop = loop
        self._ended = False
        self._thread = threading.get_ident()

    def end(self) -> None:
        if threading.get_ident() == self._thread:
            self._end()
        else:
            self._loop.call_soon_threadsafe(self._end)

    def _end(self) -> None:
        if not self._ended:
            self._ended = True
            self._lock.release()


def end_turn() -> None:
    """Called once a write's broadcasts are queued: the room's next write may start."""
    turn = current_turn.get()
    if turn is not None:
        turn.end()


_executor = None


def _write_executor():
    """Threads for room writes (their own, so a crowd's presence updates never delay them)."""
    global _executor
    if _executor is None:
        from concurrent.futures import ThreadPoolExecutor

        _executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="live-write")
    return _executor
