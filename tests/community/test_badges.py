"""Badges: awarded on commit by the events that earn them, once each, and the back-fill
(``manage.py award_badges``) arrives at exactly the same awards."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from community import moderation, services
from community.badges import BADGES, badges_backfill, badges_check
from community.models import BadgeAward
from notifications.models import Notification

pytestmark = pytest.mark.django_db

BODY = (
    "A long enough experience report about running the perception stack on an "
    "embedded board, with the commands that worked."
)


def awards() -> set[tuple[int, str]]:
    return set(BadgeAward.objects.values_list("user_id", "badge"))


def held(user) -> set[str]:
    return set(BadgeAward.objects.filter(user=user).values_list("badge", flat=True))


@pytest.fixture
def asker(make_user):
    """Members start at 1 and earn the rest through events (as the badges expect)."""
    return make_user("curious", reputation=1)


@pytest.fixture
def answerer(make_user):
    return make_user("helpful", reputation=1)


def activity(ask, answer_to, asker, answerer, make_user, settings, reviewer):
    """A small history touching every badge: asks, answers, acceptance, ten up-votes,
    an article, an edit of someone else's post and an approved suggested edit."""
    settings.HUIJU_PRIVILEGES = {"vote_up": 1, "edit_others": 150, "comment": 1}
    fans = [make_user(f"fan{i}", reputation=1) for i in range(10)]
    question = ask(author=asker)
    answer = answer_to(question, author=answerer)
    services.answer_accept(answer=answer, user=asker)
    article = services.article_create(
        author=answerer, title="What we learned", body=BODY, tags=["a"]
    )
    for fan in fans:
        services.vote_cast(user=fan, post=answer, value=1)
        services.vote_cast(user=fan, post=article, value=1)
    answerer.refresh_from_db()
    services.question_edit(  # answerer (215 by now) may edit others' posts
        question=question,
        editor=answerer,
        title=question.title,
        body=question.body + " (edited for clarity)",
        tags=["python"],
    )
    suggester = fans[0]
    suggestion = moderation.suggested_edit_create(
        author=suggester, post=answer, body=answer.body + " Also restart.", comment="adds a step"
    )
    moderation.suggested_edit_approve(reviewer=reviewer, suggestion=suggestion)
    return {"question": question, "answer": answer, "article": article, "suggester": suggester}


def test_incremental_awards_and_notifications(
    ask,
    answer_to,
    asker,
    answerer,
    make_user,
    settings,
    moderator,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        made = activity(ask, answer_to, asker, answerer, make_user, settings, moderator)
    assert held(asker) == {"student", "scholar"}
    assert held(answerer) == {
        "helper", "solver", "writer", "editor", "nice_answer", "nice_article", "rising_star",
    }  # fmt: skip
    assert held(made["suggester"]) == {"editor"}
    award = BadgeAward.objects.get(user=answerer, badge="nice_answer")
    assert award.target_url == made["answer"].get_absolute_url()
    note = Notification.objects.filter(recipient=answerer, kind="badge")
    assert note.count() == 7
    assert note.filter(target_url__endswith="#badge-writer").exists()


def test_backfill_equals_incremental_awarding(
    ask,
    answer_to,
    asker,
    answerer,
    make_user,
    settings,
    moderator,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        activity(ask, answer_to, asker, answerer, make_user, settings, moderator)
    incremental = awards()
    BadgeAward.objects.all().delete()
    assert badges_backfill() == len(incremental)
    assert awards() == incremental
    assert badges_backfill() == 0  # idempotent
    call_command("award_badges", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert awards() == incremental


def test_nothing_is_awarded_before_commit_or_twice(ask, asker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ask(author=asker)
    assert not BadgeAward.objects.exists()
    for callback in callbacks:
        callback()
    assert held(asker) == {"student"}
    assert badges_check(user_ids=[asker.pk]) == []  # already held: nothing new
    with pytest.raises(IntegrityError), transaction.atomic():
        BadgeAward.objects.create(user=asker, badge="student")


def test_deleted_posts_do_not_count_for_backfill(ask, asker, moderator):
    question = ask(author=asker)
    services.post_delete(post=question, user=moderator)
    badges_backfill()
    assert "student" not in held(asker)


def test_award_badges_command_shows_progress(ask, asker):
    from io import StringIO

    ask(author=asker)
    out = StringIO()
    call_command("award_badges", stdout=out)
    assert f"[1/{len(BADGES)}] student: 1 added" in out.getvalue()
    assert "1 award(s) added." in out.getvalue()


def test_badge_pages_and_profile(client, ask, asker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(author=asker)
    with translation.override("en"):
        listing = client.get(reverse("community:badge_list")).content.decode()
        detail = client.get(reverse("community:badge_detail", args=["student"])).content.decode()
        profile = client.get(asker.get_absolute_url()).content.decode()
        missing = client.get(reverse("community:badge_detail", args=["nope"]))
    assert 'id="badge-student"' in listing and "Asked a first question." in listing
    assert asker.display_name in detail
    assert 'id="badge-student"' in profile and "Student" in profile
    assert missing.status_code == 404


def test_badge_list_queries(client, make_user, django_assert_num_queries):
    for i in range(3):
        BadgeAward.objects.create(user=make_user(f"b{i}"), badge="student")
    client.get(reverse("community:badge_list"))
    with django_assert_num_queries(1):
        client.get(reverse("community:badge_list"))


def test_top_tags_rank_by_answer_score_then_count(ask, answer_to, make_user, moderator, client):
    from community.models import Answer
    from community.selectors import member_top_tags

    member = make_user("expert", reputation=1)
    for tags, score in [(["apollo", "cuda"], 5), (["apollo"], 3), (["asr"], 1), (["asr"], 1)]:
        answer = answer_to(ask(tags=tags), author=member)
        Answer.objects.filter(pk=answer.pk).update(score=score)
    hidden = answer_to(ask(tags=["spam"]), author=member)
    Answer.objects.filter(pk=hidden.pk).update(score=50)
    services.post_delete(post=hidden, user=moderator)
    top = member_top_tags(user=member)
    assert [(t.name, t.score, t.answers) for t in top] == [
        ("apollo", 8, 2),
        ("cuda", 5, 1),
        ("asr", 2, 2),
    ]
    with translation.override("en"):
        page = client.get(member.get_absolute_url()).content.decode()
    assert "score 8 · 2 answers" in page
