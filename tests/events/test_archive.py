"""Archiving a session publishes its answered questions as accepted community threads."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import Question
from events import services
from events.models import LiveQuestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def ended_session(make_session, resource, member, make_user, host):
    session = make_session(status="live", title="Apollo perception office hours")
    session.resources.add(resource)
    shy = make_user("shy")
    answered = services.question_ask(
        session=session, user=member, body="How do I calibrate the **lidar** to the camera?"
    )
    services.question_answer(question=answered, user=host, answer="Use the extrinsics tool.")
    anonymous = services.question_ask(
        session=session, user=shy, body="Is the HD map data open?", anonymous=True
    )
    services.question_answer(question=anonymous, user=host, answer="Only the sample region.")
    services.question_ask(session=session, user=member, body="Never answered")
    spoken = services.question_ask(session=session, user=member, body="Answered aloud only")
    services.question_answer(question=spoken, user=host, answer="")
    hidden = services.question_ask(session=session, user=member, body="Spam spam spam")
    services.question_hide(question=hidden, user=host)
    return services.session_end(session=session, user=host)


def test_answered_questions_become_accepted_threads(ended_session, member, host, resource):
    session = services.session_archive(session=ended_session, user=host)
    assert session.archived_threads == 2
    threads = Question.objects.order_by("pk")
    assert threads.count() == 2

    named, anonymous = threads
    assert named.author == member
    assert named.title == "How do I calibrate the lidar to the camera?"
    assert f"/live/{session.slug}/" in named.body
    assert set(named.tags.values_list("name", flat=True)) == {"live-qa", "autonomous-driving"}
    assert list(named.resources.all()) == [resource]
    assert named.subdomain == session.subdomain
    accepted = named.accepted_answer
    assert accepted.author == host and "Use the extrinsics tool." in accepted.body

    assert anonymous.author == host  # the asker stays anonymous
    assert "shy" not in anonymous.body
    assert anonymous.accepted_answer.author == host

    archived = dict(
        LiveQuestion.objects.filter(archived_question_id__isnull=False).values_list(
            "body", "archived_question_id"
        )
    )
    assert archived == {
        "How do I calibrate the **lidar** to the camera?": named.pk,
        "Is the HD map data open?": anonymous.pk,
    }


def test_archiving_is_idempotent(ended_session, host):
    services.session_archive(session=ended_session, user=host)
    again = services.session_archive(session=ended_session, user=host)
    assert again.archived_threads == 0
    assert Question.objects.count() == 2


def test_a_failed_thread_is_left_for_a_retry(ended_session, host, monkeypatch):
    from events import archive

    real = archive.archive_question
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            from django.core.exceptions import ValidationError

            raise ValidationError("community refused")
        return real(**kwargs)

    monkeypatch.setattr(archive, "archive_question", flaky)
    assert services.session_archive(session=ended_session, user=host).archived_threads == 1
    assert services.session_archive(session=ended_session, user=host).archived_threads == 1
    assert Question.objects.count() == 2


def test_session_page_links_each_archived_question_to_its_thread(client, ended_session, host):
    client.force_login(host)
    response = client.post(
        reverse("events:session_status", args=[ended_session.slug]),
        {"action": "archive"},
        follow=True,
    )
    assert "2" in response.content.decode()  # "2 answered questions were published …"
    body = client.get(ended_session.get_absolute_url()).content.decode()
    for thread in Question.objects.all():
        assert reverse("community:question_detail", args=[thread.pk]) in body
