"""The live room over WebSockets: ``ws/live/<slug>/`` (protocol in events/PROTOCOL.md).

Reading needs no account; every write needs a signed-in member, and moderation
a host or moderator. Each incoming frame is size-checked, parsed, rate-limited
and validated; anything wrong gets an ``error`` frame and the connection stays
open. Writes go through ``events.services`` (database first, fan-out on commit).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from asgiref.sync import sync_to_async
from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from core.ratelimit import ahit
from events import fanout, selectors, services
from events.models import LiveQuestion, LiveSession
from events.protocol import PROTOCOL_VERSION, error_frame, max_message_bytes

logger = logging.getLogger(__name__)

DEFAULT_RATES = {
    "message": "30/10s",  # any frame, per member (or per connection for guests)
    "ask": "5/m",
    "vote": "60/m",
    "moderate": "300/m",
    "schedule": "10/h",  # new sessions scheduled per member (the /live/new/ page)
}
CLOSE_NOT_FOUND = 4404
_background: set[asyncio.Task] = set()


def _db(function):
    """Independent reads and presence writes run in a thread pool, not the one shared
    database thread, so a crowd joining at once is not served one connection at a time."""
    return database_sync_to_async(function, thread_sensitive=False)


def _cache(method):
    """A cache call in the thread pool (Django's async cache API queues in the database thread)."""
    return sync_to_async(method, thread_sensitive=False)


def rate(name: str) -> str:
    return {**DEFAULT_RATES, **settings.HUIJU.get("LIVE_RATES", {})}[name]


def presence_interval() -> float:
    return float(settings.HUIJU.get("LIVE_PRESENCE_INTERVAL", 1.0))


class ClientError(Exception):
    """A problem with what the client sent; becomes an ``error`` frame."""

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.extra = extra


def _int_field(content: dict, name: str) -> int:
    value = content.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ClientError("invalid", _("“%(field)s” must be a whole number.") % {"field": name})
    return value


def _bool_field(content: dict, name: str, default: bool) -> bool:
    value = content.get(name, default)
    if not isinstance(value, bool):
        raise ClientError("invalid", _("“%(field)s” must be true or false.") % {"field": name})
    return value


def _str_field(content: dict, name: str, *, required: bool = True) -> str:
    value = content.get(name, "" if not required else None)
    if not isinstance(value, str):
        raise ClientError("invalid", _("“%(field)s” must be text.") % {"field": name})
    return value


class LiveRoomConsumer(AsyncJsonWebsocketConsumer):
    """One attendee's connection to one room."""

    session_id: int | None = None
    staff: bool = False
    connection: fanout.Connection | None = None

    # --- Connection ---------------------------------------------------------------

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["slug"]
        self.user = self.scope.get("user")
        found = await _db(self._load_session)(slug)
        if found is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        session_id, self.staff = found
        # Broadcasts reach this connection through its room (events.fanout), which is
        # subscribed to the session's group before this client's sync is read, so the
        # reply and the broadcasts after it miss nothing. All frames, broadcasts and
        # the consumer's own, go through one ordered writer.
        self.connection = fanout.Connection(
            self.base_send,
            staff=self.staff,
            user_id=self._user_id(),
            server_send=self.scope.get(fanout.SERVER_SEND),
        )
        self.base_send = self.connection.send
        self.room = await fanout.join(
            self.channel_layer, session_id, services.group_name(session_id), self.connection
        )
        self.session_id = session_id
        fanout.use_publisher(self.channel_layer)  # this connection's writes publish from here
        try:
            await self.accept()
            await _db(services.presence_join)(
                session_id=self.session_id, channel_name=self.channel_name, user=self.user
            )
            await self._schedule_presence()
            await self.send_json(
                {
                    "type": "hello",
                    "protocol": PROTOCOL_VERSION,
                    "session_id": self.session_id,
                    "user": self._user_id(),
                    "can_moderate": self.staff,
                    "max_message_bytes": max_message_bytes(),
                }
            )
        except BaseException:
            await self.room.remove(self.connection)
            self.session_id = None
            raise
        self.connection.release()  # broadcasts follow the hello

    async def disconnect(self, code: int) -> None:
        if self.session_id is None:
            return
        await self.room.remove(self.connection)
        await _db(services.presence_leave)(channel_name=self.channel_name)
        await self._schedule_presence()

    def _load_session(self, slug: str) -> tuple[int, bool] | None:
        session = LiveSession.objects.filter(slug=slug).first()
        if session is None:
            return None
        return session.pk, services.can_moderate(user=self.user, session=session)

    def _user_id(self) -> int | None:
        return self.user.pk if getattr(self.user, "is_authenticated", False) else None

    # --- Incoming frames -------------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None):
        if self.connection is None:  # refused (unknown room): nothing to hold back
            await self._receive(text_data, bytes_data)
            return
        self.connection.hold()  # broadcasts follow this request's reply (ack, snapshot…)
        try:
            await self._receive(text_data, bytes_data)
        finally:
            self.connection.release()

    async def _receive(self, text_data: str | None, bytes_data: bytes | None) -> None:
        ref = None
        try:
            raw = text_data if text_data is not None else (bytes_data or b"")
            size = len(raw.encode() if isinstance(raw, str) else raw)
            if size > max_message_bytes():
                raise ClientError(
                    "too_large",
                    _("Message too large (%(size)d bytes; the limit is %(limit)d).")
                    % {"size": size, "limit": max_message_bytes()},
                )
            try:
                content = json.loads(raw)
            except (ValueError, UnicodeDecodeError) as error:
                raise ClientError("bad_json", _("That was not valid JSON.")) from error
            if not isinstance(content, dict) or not isinstance(content.get("type"), str):
                raise ClientError("bad_message", _("Send a JSON object with a “type”."))
            ref = content.get("ref")
            if ref is not None and not isinstance(ref, (str, int)):
                ref = None
                raise ClientError("invalid", _("“ref” must be text or a number."))
            handler = self.HANDLERS.get(content["type"])
            if handler is None:
                raise ClientError(
                    "unknown_type",
                    _("Unknown message type “%(type)s”.") % {"type": content["type"][:40]},
                )
            await self._limit("message")
            await handler(self, content, ref)
        except ClientError as error:
            await self._send_error(error_frame(error.code, error.message, ref=ref, **error.extra))
        except PermissionDenied as error:
            await self._send_error(error_frame("forbidden", str(error), ref=ref))
        except ValidationError as error:
            await self._send_error(error_frame("invalid", " ".join(error.messages), ref=ref))
        except (LiveQuestion.DoesNotExist, LiveSession.DoesNotExist):
            await self._send_error(
                error_frame("not_found", _("No such question in this session."), ref=ref)
            )
        except Exception as error:
            if fanout.is_disconnect(error):
                return  # the client left while we were answering; nothing to tell it
            logger.exception("Live room %s: unexpected error handling a frame", self.session_id)
            await self._send_error(
                error_frame("server_error", _("Something went wrong; please retry."), ref=ref)
            )

    async def _send_error(self, frame: dict) -> None:
        try:
            await self.send_json(frame)
        except Exception as error:
            if not fanout.is_disconnect(error):
                raise

    async def _limit(self, name: str) -> None:
        who = self._user_id() or self.channel_name
        result = await ahit(f"live:{name}:{who}", rate(name))
        if not result.allowed:
            raise ClientError(
                "rate_limited",
                _("Too many messages; wait %(seconds)d seconds.") % {"seconds": result.retry_after},
                retry_after=result.retry_after,
            )

    def _require_user(self) -> None:
        if self._user_id() is None:
            raise ClientError("auth_required", _("Sign in to take part."))

    def _require_staff(self) -> None:
        self._require_user()
        if not self.staff:
            raise ClientError(
                "forbidden", _("Only the hosts and moderators of this session may do that.")
            )

    async def _ack(self, ref, **fields) -> None:
        frame = {"type": "ack", **fields}
        if ref is not None:
            frame["ref"] = ref
        await self.send_json(frame)

    async def dispatch(self, message: dict) -> None:
        """Dispatch without Channels' per-message hop to the database thread.

        ``AsyncConsumer.dispatch`` runs ``close_old_connections`` in the single
        thread-sensitive thread before every message, so each incoming frame queued
        behind the room's writes once more. ORM work here always runs under
        ``database_sync_to_async``, which does the same clean-up itself.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    # --- Handlers ----------------------------------------------------------------------

    async def handle_ping(self, content: dict, ref) -> None:
        await _db(services.presence_touch)(channel_name=self.channel_name)
        await self.send_json({"type": "pong", **({"ref": ref} if ref is not None else {})})

    async def handle_sync(self, content: dict, ref) -> None:
        last_seq = content.get("last_seq")
        if last_seq is not None:
            last_seq = _int_field(content, "last_seq")
            events = await _db(selectors.events_since)(
                session_id=self.session_id, last_seq=last_seq
            )
            if events is not None:
                for event in events:
                    await self.send_json(
                        self._frame(
                            event.seq, event.payload, event.public_payload, event.audience_user_id
                        )
                    )
                await self.send_json(
                    {"type": "synced", "seq": last_seq + len(events), "replayed": len(events)}
                )
                return
        snapshot = await _db(self._snapshot)()
        await self.send_json(snapshot)

    def _snapshot(self) -> dict:
        return selectors.room_snapshot(
            session_id=self.session_id,
            user=self.user,
            staff=self.staff,
            attendees=services.attendee_count(session_id=self.session_id),
        )

    async def handle_ask(self, content: dict, ref) -> None:
        self._require_user()
        body = _str_field(content, "body")
        anonymous = _bool_field(content, "anonymous", False)
        await self._limit("ask")
        question = await self.room.write(self._ask, body, anonymous)
        await self._ack(ref, question_id=question.pk, status=question.status)

    def _ask(self, body: str, anonymous: bool) -> LiveQuestion:
        session = LiveSession.objects.get(pk=self.session_id)
        return services.question_ask(
            session=session, user=self.user, body=body, anonymous=anonymous
        )

    async def handle_vote(self, content: dict, ref) -> None:
        self._require_user()
        question_id = _int_field(content, "question_id")
        up = _bool_field(content, "up", True)
        await self._limit("vote")
        question = await self.room.write(self._vote, question_id, up)
        await self._ack(ref, question_id=question.pk, vote_count=question.vote_count, up=up)

    def _question(self, question_id: int) -> LiveQuestion:
        return LiveQuestion.objects.select_related("session").get(
            pk=question_id, session_id=self.session_id
        )

    def _vote(self, question_id: int, up: bool) -> LiveQuestion:
        return services.question_vote(question=self._question(question_id), user=self.user, up=up)

    async def _moderate(self, content: dict, ref, action) -> None:
        self._require_staff()
        question_id = _int_field(content, "question_id")
        await self._limit("moderate")
        question = await self.room.write(
            lambda: action(question=self._question(question_id), user=self.user)
        )
        await self._ack(ref, question_id=question.pk, status=question.status)

    async def handle_approve(self, content: dict, ref) -> None:
        await self._moderate(content, ref, services.question_approve)

    async def handle_hide(self, content: dict, ref) -> None:
        await self._moderate(content, ref, services.question_hide)

    async def handle_pin(self, content: dict, ref) -> None:
        pinned = _bool_field(content, "pinned", True)
        await self._moderate(
            content,
            ref,
            lambda question, user: services.question_pin(
                question=question, user=user, pinned=pinned
            ),
        )

    async def handle_answer(self, content: dict, ref) -> None:
        answer = _str_field(content, "answer", required=False)
        await self._moderate(
            content,
            ref,
            lambda question, user: services.question_answer(
                question=question, user=user, answer=answer
            ),
        )

    async def _status(self, content: dict, ref, action) -> None:
        self._require_staff()
        await self._limit("moderate")
        session = await self.room.write(
            lambda: action(session=LiveSession.objects.get(pk=self.session_id), user=self.user)
        )
        await self._ack(ref, status=session.status)

    async def handle_start(self, content: dict, ref) -> None:
        await self._status(content, ref, services.session_start)

    async def handle_end(self, content: dict, ref) -> None:
        await self._status(content, ref, services.session_end)

    HANDLERS = {
        "ping": handle_ping,
        "sync": handle_sync,
        "ask": handle_ask,
        "vote": handle_vote,
        "approve": handle_approve,
        "hide": handle_hide,
        "pin": handle_pin,
        "answer": handle_answer,
        "start": handle_start,
        "end": handle_end,
    }

    def _frame(self, seq, payload, public_payload, audience_user_id) -> dict:
        return selectors.frame_for(
            seq=seq,
            payload=payload,
            public_payload=public_payload,
            audience_user_id=audience_user_id,
            user_id=self._user_id(),
            staff=self.staff,
        )

    async def _schedule_presence(self) -> None:
        """Announce the attendee count at most once per interval per room (joins coalesce)."""
        interval = presence_interval()
        key = f"live:presence-pending:{self.session_id}"
        if not await _cache(cache.add)(key, 1, timeout=max(1, int(interval))):
            return
        task = asyncio.get_running_loop().create_task(
            _announce_presence(self.channel_layer, self.session_id, interval, key)
        )
        _background.add(task)
        task.add_done_callback(_background.discard)


async def _announce_presence(layer, session_id: int, delay: float, key: str) -> None:
    try:
        await asyncio.sleep(delay)
        await _cache(cache.delete)(key)
        count = await _db(services.attendee_count)(session_id=session_id)
        await layer.group_send(
            services.group_name(session_id), {"type": "live.presence", "attendees": count}
        )
    except Exception:
        logger.exception("Could not announce presence for live session %s", session_id)
