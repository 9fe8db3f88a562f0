"""Live-session pages: listing, detail with registration and asking, moderation, .ics, slots."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events import services
from events.models import LiveQuestion, Registration

pytestmark = pytest.mark.django_db


def _sessions(make_session, n):
    for i in range(n):
        make_session(status="live" if i % 3 == 0 else "scheduled" if i % 3 == 1 else "ended")


@pytest.mark.parametrize("n", [3, 12])
def test_listing_queries_do_not_grow_with_sessions(
    client, make_session, n, django_assert_num_queries
):
    _sessions(make_session, n)
    with django_assert_num_queries(9):
        response = client.get(reverse("events:session_list"))
    assert response.status_code == 200
    assert response.content.decode().count('class="card live-card"') == n


def test_listing_groups_sessions_and_filters_by_subdomain(client, make_session):
    make_session(title="Now on air", status="live")
    make_session(title="Next week")
    make_session(
        title="Last month", status="archived", starts_at=timezone.now() - timedelta(days=30)
    )
    body = client.get(reverse("events:session_list")).content.decode()
    assert body.index("Now on air") < body.index("Next week") < body.index("Last month")
    body = client.get(reverse("events:session_list") + "?subdomain=nowhere").content.decode()
    assert "Now on air" in body  # unknown filter: everything


@pytest.mark.parametrize("n", [2, 10])
def test_detail_queries_do_not_grow_with_questions(
    client, live_session, make_user, n, django_assert_num_queries
):
    for i in range(n):
        services.question_ask(session=live_session, user=make_user(), body=f"Question {i}")
    viewer = make_user("viewer")
    client.force_login(viewer)
    with django_assert_num_queries(16):  # + is the viewer staff of the platform (Edit link)
        response = client.get(live_session.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count('<li class="live-question') == n + 1  # + the template


def test_detail_shows_questions_in_order_without_javascript(client, live_session, member, host):
    low = services.question_ask(session=live_session, user=member, body="Low question")
    high = services.question_ask(session=live_session, user=member, body="High question")
    services.question_vote(question=high, user=host)
    hidden = services.question_ask(session=live_session, user=member, body="Hidden question")
    services.question_hide(question=hidden, user=host)
    body = client.get(live_session.get_absolute_url()).content.decode()
    assert body.index("High question") < body.index("Low question")
    assert "Hidden question" not in body
    assert f'id="q{low.pk}"' in body
    assert 'src="/static/events/live.js"' in body


def test_ask_vote_and_register_with_plain_forms(client, live_session, member):
    client.force_login(member)
    url = live_session.get_absolute_url()
    response = client.post(
        reverse("events:question_ask", args=[live_session.slug]), {"body": "Plain **form**"}
    )
    question = LiveQuestion.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#q{question.pk}")
    client.post(reverse("events:question_vote", args=[live_session.slug, question.pk]), {"up": "1"})
    question.refresh_from_db()
    assert question.vote_count == 1
    client.post(
        reverse("events:session_register", args=[live_session.slug]), {"action": "register"}
    )
    assert Registration.objects.filter(user=member).exists()
    body = client.get(url).content.decode()
    assert 'aria-pressed="true"' in body


def test_a_rejected_question_keeps_what_was_typed(client, make_session, member):
    session = make_session(status="ended")
    client.force_login(member)
    response = client.post(
        reverse("events:question_ask", args=[session.slug]), {"body": "My long careful question"}
    )
    assert response.status_code == 400
    assert "My long careful question" in response.content.decode()


def test_writes_need_sign_in_and_csrf(live_session, member):
    from django.test import Client

    anonymous = Client()
    response = anonymous.post(
        reverse("events:question_ask", args=[live_session.slug]), {"body": "x"}
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(member)
    response = strict.post(reverse("events:question_ask", args=[live_session.slug]), {"body": "x"})
    assert response.status_code == 403
    assert not LiveQuestion.objects.exists()


def test_http_asks_are_rate_limited(client, live_session, member, settings):
    settings.HUIJU = {**settings.HUIJU, "LIVE_RATES": {"ask": "1/m"}}
    client.force_login(member)
    url = reverse("events:question_ask", args=[live_session.slug])
    client.post(url, {"body": "one"})
    response = client.post(url, {"body": "two"})
    assert response.status_code == 400
    assert LiveQuestion.objects.count() == 1


def test_moderation_page_and_actions_are_for_hosts_only(client, live_session, member, host):
    question = services.question_ask(session=live_session, user=member, body="Moderate me")
    moderate_url = reverse("events:moderate", args=[live_session.slug])
    action_url = reverse("events:question_moderate", args=[live_session.slug, question.pk])
    client.force_login(member)
    assert client.get(moderate_url).status_code == 403
    assert client.post(action_url, {"action": "hide"}).status_code == 403
    status_url = reverse("events:session_status", args=[live_session.slug])
    assert client.post(status_url, {"action": "end"}).status_code == 403

    client.force_login(host)
    assert client.get(moderate_url).status_code == 200
    client.post(action_url, {"action": "answer", "answer": "Answered **here**"})
    question.refresh_from_db()
    assert question.status == "answered" and question.answered_by == host
    client.post(status_url, {"action": "end"})
    live_session.refresh_from_db()
    assert live_session.status == "ended"


def test_ics_export(client, make_session):
    session = make_session(title="Apollo, perception; and more", description="Line one\n\nLine two")
    response = client.get(reverse("events:session_ics", args=[session.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Apollo\\, perception\\; and more" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert f"UID:live-session-{session.pk}@" in text


def test_ics_dates_are_utc(client, make_session):
    from datetime import UTC, datetime

    starts = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)
    session = make_session(starts_at=starts, ends_at=starts + timedelta(minutes=90))
    text = client.get(reverse("events:session_ics", args=[session.slug])).content.decode()
    assert "DTSTART:20261201T023000Z" in text and "DTEND:20261201T040000Z" in text


def test_unknown_session_is_404(client):
    assert client.get(reverse("events:session_detail", args=["nope"])).status_code == 404


def test_slots_show_upcoming_sessions(rf, make_session, platform, resource):
    from core.templatetags.huiju import render_slot

    session = make_session(title="Upcoming Apollo session")
    session.resources.add(resource)
    make_session(title="Old session", status="archived").resources.add(resource)
    request = rf.get("/")
    from django.template import Context

    context = Context({"request": request})
    assert "Upcoming Apollo session" in render_slot(context, "home_page", page=None)
    assert "Upcoming Apollo session" in render_slot(
        context, "subdomain_page", subdomain=platform.subdomain
    )
    html = render_slot(context, "resource_page", resource=resource, version=None)
    assert "Upcoming Apollo session" in html and "Old session" in html
