"""Moderation pages: permissions (403 for members), forms without JavaScript, query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community import moderation, services
from community.models import Flag, ModerationAction, Revision, SuggestedEdit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Pages under /en/ so assertions read English (the default language is zh-hans)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def member(make_user):
    return make_user("member", reputation=100)


MODERATOR_PAGES = ["community:moderation_queue", "community:moderation_log"]


@pytest.mark.parametrize("name", MODERATOR_PAGES)
def test_moderator_pages_refuse_members(client, member, name):
    assert client.get(reverse(name)).status_code == 302  # anonymous: sign in first
    login(client, member)
    assert client.get(reverse(name)).status_code == 403


def test_member_cannot_suspend_or_resolve(client, member, ask, make_user):
    target = make_user("target")
    question = ask()
    login(client, member)
    url = reverse("community:member_suspend", args=[target.username])
    assert client.get(url).status_code == 403
    response = client.post(url, {"days": 3, "reason": "Because I can"})
    assert response.status_code == 403
    target.refresh_from_db()
    assert not target.is_suspended
    moderation.flag_create(reporter=member, post=question, reason="spam")
    response = client.post(
        reverse("community:flags_resolve", args=["question", question.pk]), {"decision": "delete"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert not question.is_deleted
    assert Flag.objects.get().status == Flag.Status.PENDING


def test_review_queue_needs_the_edit_privilege(client, member, moderator):
    login(client, member)
    assert client.get(reverse("community:review_queue")).status_code == 403
    login(client, moderator)
    assert client.get(reverse("community:review_queue")).status_code == 200


def test_flag_form_without_javascript(client, member, ask, answer_to):
    answer = answer_to(ask())
    login(client, member)
    url = reverse("community:flag", args=["answer", answer.pk])
    page = client.get(url)
    assert page.status_code == 200 and b'name="reason"' in page.content
    bad = client.post(url, {"reason": "other", "text": "short"})
    assert bad.status_code == 400
    assert b"short" in bad.content  # what was typed is kept
    response = client.post(url, {"reason": "spam"})
    assert response.status_code == 302
    assert Flag.objects.get().answer == answer


def test_thread_offers_flag_and_suggest_links(client, member, ask, answer_to):
    question = ask()
    answer = answer_to(question)
    login(client, member)
    html = client.get(question.get_absolute_url()).content.decode()
    assert reverse("community:flag", args=["answer", answer.pk]) in html
    assert reverse("community:suggest_edit", args=["answer", answer.pk]) in html
    assert reverse("community:flag", args=["question", question.pk]) in html


def test_moderator_resolves_flags_from_the_queue(client, moderator, member, ask, answer_to):
    question = ask()
    answer = answer_to(question)
    moderation.flag_create(reporter=member, post=answer, reason="spam")
    login(client, moderator)
    page = client.get(reverse("community:moderation_queue"))
    assert page.status_code == 200
    assert f'id="flagged-answer-{answer.pk}"'.encode() in page.content
    response = client.post(
        reverse("community:flags_resolve", args=["answer", answer.pk]),
        {"decision": "delete", "reason": "Spam link"},
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.is_deleted
    client.logout()
    assert (
        f'id="answer-{answer.pk}"'.encode() not in client.get(question.get_absolute_url()).content
    )
    login(client, moderator)
    log = client.get(reverse("community:moderation_log")).content.decode()
    assert "Spam link" in log
    assert "Deleted" in log


def test_close_view_records_votes_and_shows_the_duplicate_banner(client, make_user, ask):
    question, target = ask(), ask()
    voters = [make_user(f"cv{i}", reputation=3000) for i in range(3)]
    url = reverse("community:question_close", args=[question.pk])
    for voter in voters:
        login(client, voter)
        client.post(url, {"reason": "duplicate", "duplicate_of": target.pk})
        if voter is voters[0]:
            page = client.get(question.get_absolute_url()).content.decode()
            assert "Close votes: 1 of 3" in page
            assert "You voted to close this question." in page
    question.refresh_from_db()
    assert question.duplicate_of == target
    page = client.get(question.get_absolute_url()).content.decode()
    assert "This question already has an answer here" in page
    assert target.get_absolute_url() in page


def test_suspended_member_sees_why_and_cannot_post(client, moderator, member, ask):
    question = ask()
    login(client, moderator)
    url = reverse("community:member_suspend", args=[member.username])
    response = client.post(url, {"days": 2, "reason": "Posting spam links"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.is_suspended
    login(client, member)
    page = client.get(question.get_absolute_url()).content.decode()
    assert 'id="suspension-notice"' in page and "Posting spam links" in page
    response = client.post(
        reverse("community:answer_create", args=[question.pk]),
        {"body": "An answer written while suspended."},
    )
    assert response.status_code == 400
    assert "suspended until" in response.content.decode()
    assert not question.answers.exists()


def test_suggest_edit_and_review_through_the_pages(client, make_user, moderator, ask, answer_to):
    answer = answer_to(ask())
    suggester = make_user("suggester", reputation=50)
    login(client, suggester)
    url = reverse("community:suggest_edit", args=["answer", answer.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"body": answer.body + " Also restart.", "comment": "Add a step"})
    assert response.status_code == 302
    suggestion = SuggestedEdit.objects.get()
    login(client, moderator)
    page = client.get(reverse("community:review_queue")).content.decode()
    assert f'id="suggestion-{suggestion.pk}"' in page
    client.post(reverse("community:review_decide", args=[suggestion.pk]), {"decision": "approve"})
    answer.refresh_from_db()
    assert answer.body.endswith("Also restart.")
    assert Revision.objects.filter(answer=answer).order_by("-number")[0].author == suggester
    # A member who can edit is sent to the ordinary edit form instead.
    response = client.get(url)
    assert response.status_code == 302 and response.url.endswith(f"/answers/{answer.pk}/edit/")


# --- query counts at two sizes -----------------------------------------------------------------


def _flag_many(n, make_user, ask, answer_to):
    reporters = [make_user(f"r{n}_{i}", reputation=50) for i in range(3)]
    for i in range(n):
        question = ask()
        answer = answer_to(question)
        comment = services.comment_create(author=reporters[0], answer=answer, body=f"Remark {i}")
        moderation.flag_create(reporter=reporters[1], post=question, reason="low_quality")
        moderation.flag_create(reporter=reporters[2], post=answer, reason="other", text="x" * 12)
        moderation.flag_create(reporter=reporters[1], post=comment, reason="rude")


def test_flag_queue_query_count_is_constant(
    client, moderator, make_user, ask, answer_to, django_assert_num_queries
):
    login(client, moderator)
    url = reverse("community:moderation_queue")
    client.get(url)  # warm the session and moderator role
    _flag_many(2, make_user, ask, answer_to)
    with django_assert_num_queries(6) as small:
        assert client.get(url).status_code == 200
    _flag_many(8, make_user, ask, answer_to)
    with django_assert_num_queries(6) as large:
        response = client.get(url)
    assert response.content.count(b'class="card stack qa-flagged"') == 30
    assert len(small.captured_queries) == len(large.captured_queries)


def test_audit_log_and_review_queue_query_counts(
    client, moderator, make_user, ask, answer_to, django_assert_num_queries
):
    login(client, moderator)
    log_url, review_url = reverse("community:moderation_log"), reverse("community:review_queue")
    client.get(log_url)
    suggester = make_user("sugg", reputation=50)

    def grow(n):
        for _ in range(n):
            question = ask()
            answer = answer_to(question)
            services.question_lock(question=question, user=moderator, locked=True, reason="r")
            services.question_lock(question=question, user=moderator, locked=False)
            services.post_delete(post=answer, user=moderator)
            services.post_undelete(post=answer, user=moderator)
            moderation.suggested_edit_create(
                author=suggester, post=answer, body=answer.body + " (edited)", comment="Tidy up"
            )

    grow(2)
    counts = []
    for _size in (2, 6):
        with django_assert_num_queries(7) as log_queries:
            assert client.get(log_url).status_code == 200
        with django_assert_num_queries(6) as review_queries:
            assert client.get(review_url).status_code == 200
        counts.append((len(log_queries.captured_queries), len(review_queries.captured_queries)))
        grow(4)
    assert counts[0] == counts[1]
    assert ModerationAction.objects.count() == 4 * 10
