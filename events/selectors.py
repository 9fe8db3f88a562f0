"""Reads for live sessions: listings, room state, snapshots and missed events."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from events.models import LiveEvent, LiveQuestion, LiveSession, LiveVote, Registration
from events.protocol import question_view, session_view

# A client further behind than this gets a snapshot instead of a replay.
MAX_REPLAY = 200


def _with_people(queryset: QuerySet[LiveSession]) -> QuerySet[LiveSession]:
    from accounts.models import User

    return queryset.select_related("platform", "subdomain").prefetch_related(
        Prefetch("hosts", queryset=User.objects.select_related("profile"))
    )


def sessions_live(*, subdomain=None) -> QuerySet[LiveSession]:
    qs = LiveSession.objects.filter(status=LiveSession.Status.LIVE)
    if subdomain is not None:
        qs = qs.filter(subdomain=subdomain)
    return _with_people(qs.order_by("starts_at"))


def sessions_upcoming(*, subdomain=None, resource=None) -> QuerySet[LiveSession]:
    qs = LiveSession.objects.filter(status=LiveSession.Status.SCHEDULED, ends_at__gt=timezone.now())
    if subdomain is not None:
        qs = qs.filter(subdomain=subdomain)
    if resource is not None:
        qs = qs.filter(resources=resource)
    return _with_people(qs.order_by("starts_at"))


def sessions_past(*, subdomain=None, resource=None) -> QuerySet[LiveSession]:
    qs = LiveSession.objects.filter(
        status__in=[LiveSession.Status.ENDED, LiveSession.Status.ARCHIVED]
    )
    if subdomain is not None:
        qs = qs.filter(subdomain=subdomain)
    if resource is not None:
        qs = qs.filter(resources=resource)
    return _with_people(qs.order_by("-starts_at"))


def session_for_page(*, slug: str) -> LiveSession:
    from accounts.models import User

    return (
        LiveSession.objects.select_related("platform", "subdomain")
        .prefetch_related(
            Prefetch("hosts", queryset=User.objects.select_related("profile")),
            "resources",
        )
        .get(slug=slug)
    )


def room_questions(*, session: LiveSession, user=None, staff: bool = False) -> list[LiveQuestion]:
    """Questions in display order: everyone's visible ones, plus the reader's own.

    Hosts and moderators (``staff``) see every question, pending and hidden ones too.
    """
    qs = LiveQuestion.objects.filter(session=session).select_related(
        "author__profile", "answered_by__profile"
    )
    if not staff:
        visible = Q(status__in=[LiveQuestion.Status.APPROVED, LiveQuestion.Status.ANSWERED])
        if getattr(user, "is_authenticated", False):
            visible |= Q(author=user)
        qs = qs.filter(visible)
    return list(qs.order_by("-pinned", "-vote_count", "created_at"))


def voted_question_ids(*, session: LiveSession, user) -> set[int]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        LiveVote.objects.filter(question__session=session, user=user).values_list(
            "question_id", flat=True
        )
    )


def is_registered(*, session: LiveSession, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Registration.objects.filter(session=session, user=user).exists()


def room_snapshot(
    *, session_id: int, user=None, staff: bool = False, attendees: int | None = None
) -> dict[str, Any]:
    """The full state of a room as one ``snapshot`` frame.

    The sequence number is read before the questions, so the state is at least as
    new as ``seq``; events after it re-apply harmlessly (they carry whole values).
    """
    session = LiveSession.objects.get(pk=session_id)
    questions = room_questions(session=session, user=user, staff=staff)
    own = getattr(user, "pk", None)
    return {
        "type": "snapshot",
        "seq": session.sequence,
        "session": session_view(session),
        "questions": [
            question_view(q, staff=staff or (own is not None and q.author_id == own))
            for q in questions
        ],
        "my_votes": sorted(voted_question_ids(session=session, user=user)),
        "attendees": attendees,
    }


def events_since(*, session_id: int, last_seq: int) -> list[LiveEvent] | None:
    """Logged events after ``last_seq``, or ``None`` when a snapshot is needed instead."""
    current = LiveSession.objects.filter(pk=session_id).values_list("sequence", flat=True).first()
    if current is None or last_seq < 0 or last_seq > current:
        return None
    if current - last_seq > MAX_REPLAY:
        return None
    events = list(
        LiveEvent.objects.filter(
            session_id=session_id, seq__gt=last_seq, seq__lte=current
        ).order_by("seq")
    )
    if len(events) != current - last_seq:  # log pruned or incomplete: start over
        return None
    return events


def frame_for(
    *, seq: int, payload: dict, public_payload: dict | None, audience_user_id, user_id, staff: bool
) -> dict[str, Any]:
    """What one connection receives for one event: full, public, or a bare ``tick``."""
    if staff or (user_id is not None and audience_user_id == user_id):
        return {**payload, "seq": seq}
    if public_payload is None:
        return {"type": "tick", "seq": seq}
    return {**public_payload, "seq": seq}
