"""Writes for live sessions: registration, questions, votes, moderation, session status.

Every change is saved first, numbered and logged as a ``LiveEvent`` in the same
transaction (the session row is locked, so numbers never repeat or skip), and
fanned out through the channel layer only after commit. A failed fan-out is
logged and costs nothing: clients catch up from the log when they resync.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.roles import is_moderator, is_platform_staff
from events import signals
from events.models import (
    MAX_ANSWER_LENGTH,
    MAX_QUESTION_LENGTH,
    LiveEvent,
    LivePresence,
    LiveQuestion,
    LiveSession,
    LiveVote,
    Registration,
)
from events.protocol import question_frames, session_view

logger = logging.getLogger(__name__)

PRESENCE_TIMEOUT = timedelta(seconds=90)


def group_name(session_id: int) -> str:
    """The channel-layer group every connection to a room joins."""
    return f"live.{session_id}"


# --- Permissions ------------------------------------------------------------------


def can_moderate(*, user, session: LiveSession) -> bool:
    """Hosts, the session's moderators and site moderators may moderate a room."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if is_moderator(user):
        return True
    return (
        session.hosts.filter(pk=user.pk).exists() or session.moderators.filter(pk=user.pk).exists()
    )


def _require_member(user) -> None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied(_("Sign in to take part."))
    if getattr(user, "is_suspended", False):
        raise PermissionDenied(_("Your account is suspended."))


def _require_moderator(user, session: LiveSession) -> None:
    _require_member(user)
    if not can_moderate(user=user, session=session):
        raise PermissionDenied(_("Only the hosts and moderators of this session may do that."))


# --- The event log and fan-out -------------------------------------------------------


def _lock(session: LiveSession) -> LiveSession:
    """Lock the session row for this transaction and return it fresh.

    Every write locks its session first, so this is also where the transaction's
    fan-out is registered: its on-commit hook runs before any registered later
    (search indexing, notifications), and broadcasts do not wait for them.
    """
    locked = LiveSession.objects.select_for_update().get(pk=session.pk)
    locked.pending_messages = []
    transaction.on_commit(lambda: _fan_out_all(locked.pk, locked.pending_messages))
    return locked


def _fan_out_all(session_id: int, messages: list[dict[str, Any]]) -> None:
    from events.fanout import end_turn

    for message in messages:
        fan_out(session_id, message)
    end_turn()  # in order now: the room's next write may go ahead (events.fanout.Room.write)


def _record(
    session: LiveSession,
    frame: dict[str, Any],
    public_frame: dict[str, Any] | None,
    *,
    audience_user_id: int | None = None,
) -> LiveEvent:
    """Number and log one change; fan it out after commit. Call with ``session`` locked."""
    session.sequence += 1
    LiveSession.objects.filter(pk=session.pk).update(sequence=session.sequence)
    event = LiveEvent.objects.create(
        session=session,
        seq=session.sequence,
        type=frame["type"],
        payload=frame,
        public_payload=public_frame,
        audience_user_id=audience_user_id,
    )
    message = event_message(event)
    pending = getattr(session, "pending_messages", None)
    if pending is not None:
        pending.append(message)  # sent by _lock's on-commit hook, before any other
    else:
        transaction.on_commit(lambda: fan_out(session.pk, message))
    return event


def event_message(event: LiveEvent) -> dict[str, Any]:
    """The channel-layer message for one logged event.

    Both views are serialized here, once, so a room of N connections costs N socket
    writes, not N JSON encodings; each consumer only picks which text to send.
    """
    from events.selectors import frame_for

    common = {
        "seq": event.seq,
        "payload": event.payload,
        "public_payload": event.public_payload,
        "audience_user_id": event.audience_user_id,
    }
    return {
        "type": "live.event",
        "seq": event.seq,
        "audience_user_id": event.audience_user_id,
        "staff_text": json.dumps(frame_for(**common, user_id=None, staff=True)),
        "public_text": json.dumps(frame_for(**common, user_id=None, staff=False)),
    }


def fan_out(session_id: int, message: dict[str, Any]) -> None:
    """Send to the room's group; never raises (the database already has the change).

    From a live-room consumer's database thread the message is handed to the event
    loop's publisher (events.fanout.Publisher) and this returns at once; elsewhere
    (HTTP views, commands) it is published before returning.
    """
    from events.fanout import current_publisher

    try:
        publisher = current_publisher.get()
        if publisher is not None and not publisher.loop.is_closed():
            publisher.submit(group_name(session_id), message)
            return
        layer = get_channel_layer()
        if layer is None:
            return
        async_to_sync(layer.group_send)(group_name(session_id), message)
    except Exception:
        logger.exception("Live fan-out failed for session %s; clients will resync", session_id)


# --- Registration ---------------------------------------------------------------------


def registration_create(*, session: LiveSession, user) -> Registration:
    """Register ``user`` for an upcoming or live session (idempotent)."""
    _require_member(user)
    if session.status not in {LiveSession.Status.SCHEDULED, LiveSession.Status.LIVE}:
        raise ValidationError(_("Registration is closed: this session has ended."))
    registration, created = Registration.objects.get_or_create(session=session, user=user)
    if created:
        transaction.on_commit(
            lambda: signals.registration_created.send(
                sender=Registration, registration=registration
            ),
            robust=True,
        )
    return registration


def registration_cancel(*, session: LiveSession, user) -> bool:
    """Withdraw a registration; returns whether there was one."""
    deleted, _ = Registration.objects.filter(session=session, user=user).delete()
    return bool(deleted)


# --- Questions ------------------------------------------------------------------------


def _clean_text(text: str, *, limit: int, required_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError(required_message)
    if len(text) > limit:
        raise ValidationError(
            _("Keep it under %(limit)d characters (this is %(length)d).")
            % {"limit": limit, "length": len(text)}
        )
    return text


@transaction.atomic
def question_ask(*, session: LiveSession, user, body: str, anonymous: bool = False) -> LiveQuestion:
    """Ask a question; it is pending when the session pre-moderates, else visible at once."""
    _require_member(user)
    body = _clean_text(
        body, limit=MAX_QUESTION_LENGTH, required_message=_("Write your question first.")
    )
    session = _lock(session)
    if not session.accepts_questions:
        raise ValidationError(_("This session no longer takes questions."))
    question = LiveQuestion.objects.create(
        session=session,
        author=user,
        body=body,
        anonymous=bool(anonymous),
        status=(
            LiveQuestion.Status.PENDING if session.premoderation else LiveQuestion.Status.APPROVED
        ),
    )
    frame, public = question_frames(question, "question.new")
    _record(session, frame, public, audience_user_id=user.pk)
    return question


@transaction.atomic
def question_vote(*, question: LiveQuestion, user, up: bool = True) -> LiveQuestion:
    """Upvote (or withdraw an upvote on) a visible question; one vote per member."""
    _require_member(user)
    session = _lock(question.session)
    question = LiveQuestion.objects.select_related("author__profile").get(pk=question.pk)
    if not session.accepts_questions:
        raise ValidationError(_("Voting has closed for this session."))
    if not question.is_visible:
        raise ValidationError(_("This question is not open for votes."))
    if up:
        try:
            with transaction.atomic():
                LiveVote.objects.create(question=question, user=user)
        except IntegrityError:
            return question  # already voted: nothing changes, nothing to announce
    elif not LiveVote.objects.filter(question=question, user=user).delete()[0]:
        return question
    question.vote_count = LiveVote.objects.filter(question=question).count()
    LiveQuestion.objects.filter(pk=question.pk).update(vote_count=question.vote_count)
    frame = {"type": "question.votes", "id": question.pk, "vote_count": question.vote_count}
    _record(session, frame, frame if question.is_visible else None)
    return question


def _moderated(question: LiveQuestion, user) -> tuple[LiveSession, LiveQuestion]:
    session = _lock(question.session)
    _require_moderator(user, session)
    if not session.is_open:
        raise ValidationError(_("This session is archived; its questions can no longer change."))
    question = LiveQuestion.objects.select_related("author__profile", "answered_by__profile").get(
        pk=question.pk
    )
    return session, question


def _announce(session: LiveSession, question: LiveQuestion) -> None:
    frame, public = question_frames(question, "question.updated")
    _record(session, frame, public, audience_user_id=question.author_id)


@transaction.atomic
def question_approve(*, question: LiveQuestion, user) -> LiveQuestion:
    """Show a pending (or hidden) question to everyone."""
    session, question = _moderated(question, user)
    question.status = (
        LiveQuestion.Status.ANSWERED if question.answered_at else LiveQuestion.Status.APPROVED
    )
    question.save(update_fields=["status", "updated_at"])
    _announce(session, question)
    return question


@transaction.atomic
def question_hide(*, question: LiveQuestion, user) -> LiveQuestion:
    """Hide a question from attendees (spam, off-topic, duplicate); its asker still sees it."""
    session, question = _moderated(question, user)
    question.status = LiveQuestion.Status.HIDDEN
    question.pinned = False
    question.save(update_fields=["status", "pinned", "updated_at"])
    _announce(session, question)
    return question


@transaction.atomic
def question_pin(*, question: LiveQuestion, user, pinned: bool = True) -> LiveQuestion:
    """Pin a visible question to the top of the room (or unpin it)."""
    session, question = _moderated(question, user)
    if pinned and not question.is_visible:
        raise ValidationError(_("Approve the question before pinning it."))
    question.pinned = pinned
    question.save(update_fields=["pinned", "updated_at"])
    _announce(session, question)
    return question


@transaction.atomic
def question_answer(*, question: LiveQuestion, user, answer: str = "") -> LiveQuestion:
    """Mark a question answered, with a written answer (Markdown) when there is one."""
    session, question = _moderated(question, user)
    answer = (answer or "").strip()
    if len(answer) > MAX_ANSWER_LENGTH:
        raise ValidationError(
            _("Keep it under %(limit)d characters (this is %(length)d).")
            % {"limit": MAX_ANSWER_LENGTH, "length": len(answer)}
        )
    question.status = LiveQuestion.Status.ANSWERED
    question.answer = answer
    question.answered_by = user
    question.answered_at = timezone.now()
    question.save(update_fields=["status", "answer", "answered_by", "answered_at", "updated_at"])
    _announce(session, question)
    transaction.on_commit(lambda: _notify_answered(question, user))
    return question


def _notify_answered(question: LiveQuestion, host) -> None:
    from notifications.services import notify

    try:
        notify(
            recipient=question.author,
            kind="live_answer",
            actor=host,
            target_url=question.session.get_absolute_url() + f"#q{question.pk}",
            target_title=question.session.title,
            excerpt=question.answer or question.body,
        )
    except Exception:
        logger.exception("Could not notify the asker of live question %s", question.pk)


# --- Session status -------------------------------------------------------------------


def _transition(
    session: LiveSession, user, *, allowed_from: set[str], to: str, stamp: str
) -> LiveSession:
    session = _lock(session)
    _require_moderator(user, session)
    if session.status == to:
        return session
    if session.status not in allowed_from:
        raise ValidationError(
            _("A session that is “%(status)s” cannot change like that.")
            % {"status": session.get_status_display()}
        )
    session.status = to
    setattr(session, stamp, timezone.now())
    session.save(update_fields=["status", stamp, "updated_at"])
    frame = {"type": "session.status", "session": session_view(session)}
    _record(session, frame, frame)
    return session


@transaction.atomic
def session_start(*, session: LiveSession, user) -> LiveSession:
    """Open the room: scheduled → live."""
    return _transition(
        session, user, allowed_from={LiveSession.Status.SCHEDULED}, to="live", stamp="started_at"
    )


@transaction.atomic
def session_end(*, session: LiveSession, user) -> LiveSession:
    """Close the room: no new questions or votes; hosts may still answer."""
    return _transition(
        session,
        user,
        allowed_from={LiveSession.Status.SCHEDULED, LiveSession.Status.LIVE},
        to="ended",
        stamp="ended_at",
    )


@transaction.atomic
def session_archive(*, session: LiveSession, user) -> LiveSession:
    """Freeze an ended session; its answered questions become community threads."""
    session = _transition(
        session, user, allowed_from={LiveSession.Status.ENDED}, to="archived", stamp="archived_at"
    )
    from events.archive import archive_to_community

    # Also on a repeated archive: publishes whatever an earlier attempt could not.
    session.archived_threads = archive_to_community(session=session)
    return session


# --- Presence ---------------------------------------------------------------------------


def presence_join(*, session_id: int, channel_name: str, user) -> None:
    LivePresence.objects.update_or_create(
        channel_name=channel_name,
        defaults={
            "session_id": session_id,
            "user": user if getattr(user, "is_authenticated", False) else None,
            "last_seen": timezone.now(),
        },
    )


def presence_touch(*, channel_name: str) -> None:
    LivePresence.objects.filter(channel_name=channel_name).update(last_seen=timezone.now())


def presence_leave(*, channel_name: str) -> None:
    LivePresence.objects.filter(channel_name=channel_name).delete()


def attendee_count(*, session_id: int) -> int:
    """Distinct members plus anonymous connections seen in the last 90 seconds."""
    counts = LivePresence.objects.filter(
        session_id=session_id, last_seen__gte=timezone.now() - PRESENCE_TIMEOUT
    ).aggregate(
        members=Count("user", distinct=True),
        guests=Count("pk", filter=Q(user__isnull=True)),
    )
    return counts["members"] + counts["guests"]


# --- Scheduling -----------------------------------------------------------------------

SLUG_LENGTH = 80
RESERVED_SLUGS = {"new"}  # /live/new/ is the scheduling page
EDITABLE_STATUSES = {LiveSession.Status.SCHEDULED, LiveSession.Status.LIVE}


def can_schedule(*, user, platform=None) -> bool:
    """Platform staff schedule sessions for their platforms; moderators for any."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(user, "is_suspended", False):
        return False
    return is_moderator(user) or is_platform_staff(user, platform)


def can_edit(*, user, session: LiveSession) -> bool:
    """Hosts of the session, staff of its platform and moderators, while it is not over."""
    if session.status not in EDITABLE_STATUSES:
        return False
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(user, "is_suspended", False):
        return False
    if is_moderator(user):
        return True
    # hosts are usually prefetched (selectors.session_for_page): no query for them
    if any(h.pk == user.pk for h in session.hosts.all()):
        return True
    return is_platform_staff(user, session.platform)


def _unique_slug(title: str) -> str:
    """An ASCII slug from the title, made unique; a random one when the title has no ASCII.

    ``allow_unicode`` stays off here: the events URLs use the ``slug`` path converter,
    which matches ASCII only, so a Chinese slug would make the session unreachable.
    """
    base = slugify(title)[: SLUG_LENGTH - 9].strip("-")
    if not base:
        base = f"live-{get_random_string(8, 'abcdefghijklmnopqrstuvwxyz0123456789')}"
    slug = base
    while slug in RESERVED_SLUGS or LiveSession.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}"
    return slug


def _check_schedule(
    *,
    platform,
    starts_at,
    ends_at,
    resources,
    stream_url: str,
    new: bool,
) -> None:
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The session must end after it starts."))
    if new and starts_at <= timezone.now():
        errors.setdefault("starts_at", []).append(_("A new session must start in the future."))
    if any(resource.platform_id != platform.pk for resource in resources):
        errors.setdefault("resources", []).append(
            _("Only the host platform's resources can be linked.")
        )
    if stream_url and not stream_url.lower().startswith("https://"):
        errors.setdefault("stream_url", []).append(_("The stream URL must start with https://."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def live_session_schedule(
    *,
    user,
    platform,
    title: str,
    starts_at,
    ends_at,
    description: str = "",
    resources=(),
    stream_url: str = "",
    premoderation: bool = False,
    cohosts=(),
    moderators=(),
) -> LiveSession:
    """Create a scheduled session on ``platform``; ``user`` becomes its first host."""
    _require_member(user)
    if not can_schedule(user=user, platform=platform):
        raise PermissionDenied(_("Only the staff of this platform may schedule its sessions."))
    resources = list(resources)
    _check_schedule(
        platform=platform,
        starts_at=starts_at,
        ends_at=ends_at,
        resources=resources,
        stream_url=stream_url,
        new=True,
    )
    session = LiveSession.objects.create(
        slug=_unique_slug(title),
        title=title,
        description=description,
        platform=platform,
        subdomain_id=platform.subdomain_id,
        starts_at=starts_at,
        ends_at=ends_at,
        stream_url=stream_url,
        premoderation=premoderation,
        status=LiveSession.Status.SCHEDULED,
    )
    session.hosts.set([user, *cohosts])
    session.moderators.set(list(moderators))
    session.resources.set(resources)
    return session


@transaction.atomic
def live_session_update(
    *,
    session: LiveSession,
    user,
    title: str,
    starts_at,
    ends_at,
    description: str = "",
    resources=(),
    stream_url: str = "",
    premoderation: bool = False,
    hosts=(),
    moderators=(),
) -> LiveSession:
    """Edit a scheduled or live session; open rooms get the new times and settings.

    The platform does not change. ``hosts`` is the full list of hosts (at least one).
    """
    _require_member(user)
    hosts = list(hosts)
    if not hosts:
        raise ValidationError({"hosts": [_("A session needs at least one host.")]})
    session = _lock(session)
    if session.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("A session that is “%(status)s” can no longer be edited.")
            % {"status": session.get_status_display()}
        )
    if not can_edit(user=user, session=session):
        raise PermissionDenied(_("Only the hosts and platform staff may edit this session."))
    resources = list(resources)
    _check_schedule(
        platform=session.platform,
        starts_at=starts_at,
        ends_at=ends_at,
        resources=resources,
        stream_url=stream_url,
        new=False,
    )
    session.title = title
    session.description = description
    session.starts_at = starts_at
    session.ends_at = ends_at
    session.stream_url = stream_url
    session.premoderation = premoderation
    session.save(
        update_fields=[
            "title",
            "description",
            "starts_at",
            "ends_at",
            "stream_url",
            "premoderation",
            "updated_at",
        ]
    )
    session.hosts.set(hosts)
    session.moderators.set(list(moderators))
    session.resources.set(resources)
    frame = {"type": "session.status", "session": session_view(session)}
    _record(session, frame, frame)
    return session
