"""Frames of the live-room protocol (see events/PROTOCOL.md): how objects look on the wire.

Two views of a question exist: the staff view (hosts and moderators, and the
asker themself) always names the author; the public view hides the author of an
anonymous question. Both are plain JSON-compatible dicts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from events.models import LiveQuestion, LiveSession

PROTOCOL_VERSION = 1


def max_message_bytes() -> int:
    return int(settings.HUIJU.get("MAX_WEBSOCKET_MESSAGE_BYTES", 8192))


def _person(user) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"username": user.username, "name": user.display_name, "url": user.get_absolute_url()}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def question_view(question: LiveQuestion, *, staff: bool) -> dict[str, Any]:
    """A question as attendees (``staff=False``) or hosts and moderators see it."""
    show_author = staff or not question.anonymous
    view = {
        "id": question.pk,
        "body_html": str(question.body_html),
        "author": _person(question.author) if show_author else None,
        "anonymous": question.anonymous,
        "status": question.status,
        "pinned": question.pinned,
        "vote_count": question.vote_count,
        "answer_html": str(question.answer_html) if question.answer else "",
        "answered_by": _person(question.answered_by),
        "answered_at": _iso(question.answered_at),
        "created_at": _iso(question.created_at),
    }
    if staff:
        view["answer"] = question.answer  # Markdown source, for editing the answer
    return view


def session_view(session: LiveSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "slug": session.slug,
        "title": session.title,
        "status": session.status,
        "premoderation": session.premoderation,
        "starts_at": _iso(session.starts_at),
        "ends_at": _iso(session.ends_at),
        "started_at": _iso(session.started_at),
        "ended_at": _iso(session.ended_at),
    }


def question_frames(question: LiveQuestion, frame_type: str) -> tuple[dict, dict | None]:
    """(staff frame, public frame or None) for a new or changed question.

    Attendees never see pending or hidden questions: a question that leaves the
    visible set is announced to them as ``question.removed``.
    """
    staff = {"type": frame_type, "question": question_view(question, staff=True)}
    if question.is_visible:
        public = {"type": frame_type, "question": question_view(question, staff=False)}
    elif frame_type == "question.updated":
        public = {"type": "question.removed", "id": question.pk}
    else:
        public = None
    return staff, public


def error_frame(code: str, message: str, *, ref: Any = None, **extra) -> dict[str, Any]:
    frame = {"type": "error", "code": code, "message": message, **extra}
    if ref is not None:
        frame["ref"] = ref
    return frame
