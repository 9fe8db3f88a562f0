"""Live-session services: every change is stored, numbered, logged and fanned out after commit."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError

from events import selectors, services
from events.models import LiveEvent, LiveQuestion, LiveSession, LiveVote, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def fanned(monkeypatch):
    """Capture fan-out messages instead of sending them, with both views decoded."""
    sent = []

    def capture(session_id, message):
        staff = json.loads(message["staff_text"])
        public = json.loads(message["public_text"])
        assert staff.pop("seq") == public.pop("seq") == message["seq"]
        sent.append(
            {
                **message,
                "payload": staff,
                "public_payload": None if public["type"] == "tick" else public,
            }
        )

    monkeypatch.setattr(services, "fan_out", capture)
    return sent


def test_ask_logs_a_numbered_event_and_fans_out_only_after_commit(
    live_session, member, fanned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        question = services.question_ask(
            session=live_session, user=member, body="How do I **calibrate**?"
        )
    assert fanned == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert question.status == LiveQuestion.Status.APPROVED
    assert [m["seq"] for m in fanned] == [1]
    assert fanned[0]["payload"]["type"] == "question.new"
    assert "<strong>calibrate</strong>" in fanned[0]["payload"]["question"]["body_html"]
    live_session.refresh_from_db()
    assert live_session.sequence == 1
    assert LiveEvent.objects.get(session=live_session).seq == 1


def test_sequence_numbers_are_contiguous_across_kinds_of_change(
    live_session, member, host, fanned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        q = services.question_ask(session=live_session, user=member, body="One")
        services.question_vote(question=q, user=host)
        services.question_pin(question=q, user=host)
        services.question_answer(question=q, user=host, answer="Use the `calib` tool.")
        services.session_end(session=live_session, user=host)
    assert [m["seq"] for m in fanned] == [1, 2, 3, 4, 5]
    assert [m["payload"]["type"] for m in fanned] == [
        "question.new",
        "question.votes",
        "question.updated",
        "question.updated",
        "session.status",
    ]
    assert list(LiveEvent.objects.values_list("seq", flat=True)) == [1, 2, 3, 4, 5]


def test_markdown_is_sanitized(live_session, member):
    q = services.question_ask(
        session=live_session, user=member, body="<script>alert(1)</script>[x](javascript:alert(1))"
    )
    html = str(q.body_html)
    assert "<script" not in html and 'href="javascript' not in html


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_bad_question_bodies_are_rejected_and_nothing_is_logged(live_session, member, body):
    with pytest.raises(ValidationError):
        services.question_ask(session=live_session, user=member, body=body)
    assert not LiveQuestion.objects.exists()
    assert not LiveEvent.objects.exists()


def test_anonymous_and_signed_out_users_cannot_ask(live_session):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.question_ask(session=live_session, user=AnonymousUser(), body="Hi")


def test_ended_session_takes_no_questions_or_votes(make_session, member, host):
    session = make_session(status="live")
    q = services.question_ask(session=session, user=member, body="Before the end")
    services.session_end(session=session, user=host)
    with pytest.raises(ValidationError):
        services.question_ask(session=session, user=member, body="After the end")
    with pytest.raises(ValidationError):
        services.question_vote(question=q, user=host)


def test_one_vote_per_member_and_withdrawal(live_session, member, make_user, fanned):
    q = services.question_ask(session=live_session, user=member, body="Vote me")
    other = make_user("other")
    services.question_vote(question=q, user=other)
    services.question_vote(question=q, user=other)  # a second upvote changes nothing
    q.refresh_from_db()
    assert q.vote_count == 1 and LiveVote.objects.count() == 1
    services.question_vote(question=q, user=other, up=False)
    q.refresh_from_db()
    assert q.vote_count == 0 and not LiveVote.objects.exists()


def test_premoderated_questions_are_invisible_to_attendees_until_approved(
    make_session, member, make_user, host, fanned, django_capture_on_commit_callbacks
):
    session = make_session(status="live", premoderation=True)
    attendee = make_user("attendee")
    with django_capture_on_commit_callbacks(execute=True):
        q = services.question_ask(session=session, user=member, body="Pending?")
    assert q.status == LiveQuestion.Status.PENDING
    assert fanned[-1]["public_payload"] is None  # attendees get a bare tick
    assert fanned[-1]["audience_user_id"] == member.pk  # the asker sees it
    assert selectors.room_questions(session=session, user=attendee) == []
    assert selectors.room_questions(session=session, user=member) == [q]
    with pytest.raises(ValidationError):
        services.question_vote(question=q, user=attendee)
    with django_capture_on_commit_callbacks(execute=True):
        services.question_approve(question=q, user=host)
    assert fanned[-1]["public_payload"]["question"]["status"] == "approved"
    assert selectors.room_questions(session=session, user=attendee) == [q]


def test_hidden_question_is_removed_for_attendees(
    live_session, member, host, fanned, django_capture_on_commit_callbacks
):
    q = services.question_ask(session=live_session, user=member, body="Spam")
    with django_capture_on_commit_callbacks(execute=True):
        services.question_hide(question=q, user=host)
    assert fanned[-1]["public_payload"] == {"type": "question.removed", "id": q.pk}


def test_anonymous_questions_hide_the_author_from_attendees_only(
    live_session, member, fanned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.question_ask(session=live_session, user=member, body="Shy", anonymous=True)
    message = fanned[-1]
    assert message["public_payload"]["question"]["author"] is None
    assert message["payload"]["question"]["author"]["username"] == "member"


def test_only_hosts_session_moderators_and_site_moderators_moderate(
    live_session, member, make_user
):
    q = services.question_ask(session=live_session, user=member, body="Who may pin me?")
    stranger = make_user("stranger")
    for action in (services.question_hide, services.question_approve, services.question_pin):
        with pytest.raises(PermissionDenied):
            action(question=q, user=stranger)
    with pytest.raises(PermissionDenied):
        services.question_answer(question=q, user=member, answer="I answer myself")
    with pytest.raises(PermissionDenied):
        services.session_end(session=live_session, user=stranger)

    session_moderator = make_user("sessionmod")
    live_session.moderators.add(session_moderator)
    services.question_pin(question=q, user=session_moderator)

    site_moderator = make_user("sitemod")
    site_moderator.groups.add(Group.objects.get_or_create(name="Moderators")[0])
    services.question_hide(question=q, user=site_moderator)
    q.refresh_from_db()
    assert q.status == LiveQuestion.Status.HIDDEN and not q.pinned


def test_answer_notifies_the_asker(live_session, member, host, django_capture_on_commit_callbacks):
    from notifications.models import Notification

    q = services.question_ask(session=live_session, user=member, body="Is HD map open?")
    with django_capture_on_commit_callbacks(execute=True):
        services.question_answer(question=q, user=host, answer="Yes, under **Apache-2.0**.")
    q.refresh_from_db()
    assert q.status == LiveQuestion.Status.ANSWERED and q.answered_by == host
    note = Notification.objects.get(recipient=member)
    assert note.kind == "live_answer" and f"#q{q.pk}" in note.target_url


def test_status_transitions(make_session, host):
    session = make_session()
    with pytest.raises(ValidationError):
        services.session_archive(session=session, user=host)  # must end first
    session = services.session_start(session=session, user=host)
    assert session.status == LiveSession.Status.LIVE and session.started_at
    session = services.session_start(session=session, user=host)  # idempotent
    session = services.session_end(session=session, user=host)
    assert session.status == LiveSession.Status.ENDED
    session = services.session_archive(session=session, user=host)
    assert session.status == LiveSession.Status.ARCHIVED
    with pytest.raises(ValidationError):
        services.session_start(session=session, user=host)


def test_archived_session_questions_are_frozen(make_session, member, host):
    session = make_session(status="live")
    q = services.question_ask(session=session, user=member, body="Frozen?")
    services.session_end(session=session, user=host)
    services.question_answer(question=q, user=host, answer="Answered after the end is fine.")
    services.session_archive(session=session, user=host)
    with pytest.raises(ValidationError):
        services.question_hide(question=q, user=host)


def test_registration_is_idempotent_and_closes_after_the_end(make_session, member):
    session = make_session()
    services.registration_create(session=session, user=member)
    services.registration_create(session=session, user=member)
    assert Registration.objects.filter(session=session).count() == 1
    assert services.registration_cancel(session=session, user=member)
    session.status = "ended"
    session.save()
    with pytest.raises(ValidationError):
        services.registration_create(session=session, user=member)


def test_fan_out_failure_is_logged_not_raised(live_session, caplog):
    broken = mock.Mock()
    broken.group_send = mock.AsyncMock(side_effect=ConnectionError("redis down"))
    with mock.patch("events.services.get_channel_layer", return_value=broken):
        services.fan_out(live_session.pk, {"type": "live.event"})
    assert "clients will resync" in caplog.text


def test_events_since_replays_or_asks_for_a_snapshot(live_session, member, host):
    q = services.question_ask(session=live_session, user=member, body="A")
    services.question_vote(question=q, user=host)
    services.question_pin(question=q, user=host)
    events = selectors.events_since(session_id=live_session.pk, last_seq=1)
    assert [e.seq for e in events] == [2, 3]
    assert selectors.events_since(session_id=live_session.pk, last_seq=3) == []
    assert (
        selectors.events_since(session_id=live_session.pk, last_seq=99) is None
    )  # from the future
    LiveEvent.objects.filter(seq=2).delete()
    assert selectors.events_since(session_id=live_session.pk, last_seq=1) is None  # a hole


def test_frame_for_picks_the_view_per_connection():
    payload = {"type": "question.new", "question": {"author": {"username": "a"}}}
    public = {"type": "question.new", "question": {"author": None}}
    kwargs = {"seq": 7, "payload": payload, "public_payload": public, "audience_user_id": 5}
    assert selectors.frame_for(**kwargs, user_id=None, staff=True)["question"]["author"]
    assert selectors.frame_for(**kwargs, user_id=5, staff=False)["question"]["author"]
    assert selectors.frame_for(**kwargs, user_id=6, staff=False)["question"]["author"] is None
    hidden = {**kwargs, "public_payload": None}
    assert selectors.frame_for(**hidden, user_id=6, staff=False) == {"type": "tick", "seq": 7}
