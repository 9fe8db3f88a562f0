"""Moderation services: flags, auto-hiding, the audit log, close/reopen votes and suspensions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community import moderation, services
from community.models import (
    Answer,
    CloseVote,
    Comment,
    Flag,
    ModerationAction,
    PostStatus,
    Question,
)

pytestmark = pytest.mark.django_db
Action = ModerationAction.Action


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the site default is Simplified Chinese)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def flaggers(make_user):
    return [make_user(f"flagger{i}", reputation=50) for i in range(4)]


def actions(**filters):
    return list(ModerationAction.objects.filter(**filters).values_list("action", flat=True))


# --- flags -------------------------------------------------------------------------------


def test_flag_an_answer_and_only_one_open_flag_per_member(ask, answer_to, flaggers):
    answer = answer_to(ask())
    flag = moderation.flag_create(reporter=flaggers[0], post=answer, reason="low_quality")
    assert flag.status == Flag.Status.PENDING and flag.answer == answer
    with pytest.raises(ValidationError, match="already flagged"):
        moderation.flag_create(reporter=flaggers[0], post=answer, reason="spam")
    # Once handled, the same member may flag it again.
    Flag.objects.filter(pk=flag.pk).update(status=Flag.Status.DECLINED)
    moderation.flag_create(reporter=flaggers[0], post=answer, reason="spam")


def test_flag_reasons_need_their_details(ask, flaggers):
    question, original = ask(), ask()
    with pytest.raises(ValidationError) as error:
        moderation.flag_create(reporter=flaggers[0], post=question, reason="duplicate")
    assert "duplicate_of" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        moderation.flag_create(reporter=flaggers[0], post=question, reason="other", text="bad")
    assert "text" in error.value.message_dict
    with pytest.raises(ValidationError):
        moderation.flag_create(reporter=flaggers[0], post=question, reason="nonsense")
    flag = moderation.flag_create(
        reporter=flaggers[0], post=question, reason="duplicate", duplicate_of=original
    )
    assert flag.duplicate_of == original
    other = moderation.flag_create(
        reporter=flaggers[1], post=question, reason="other", text="Contains a leaked API key."
    )
    assert other.text == "Contains a leaked API key."


def test_flag_needs_the_privilege_and_not_your_own_post(ask, asker, newbie, settings):
    question = ask()
    with pytest.raises(PermissionDenied, match="15 reputation"):
        moderation.flag_create(reporter=newbie, post=question, reason="spam")
    with pytest.raises(ValidationError, match="own post"):
        moderation.flag_create(reporter=asker, post=question, reason="spam")
    settings.HUIJU_PRIVILEGES = {"flag": 1}
    moderation.flag_create(reporter=newbie, post=question, reason="spam")


def test_flagging_is_rate_limited(ask, flaggers, settings):
    questions = [ask() for _ in range(3)]
    settings.HUIJU_RATE_LIMITS = {
        **settings.HUIJU_RATE_LIMITS,
        "flag": {"member": "2/m", "new": "2/m", "ip": "100/m"},
    }
    for question in questions[:2]:
        moderation.flag_create(reporter=flaggers[0], post=question, reason="spam")
    with pytest.raises(services.RateLimited):
        moderation.flag_create(reporter=flaggers[0], post=questions[2], reason="spam")


def test_spam_flags_reaching_the_threshold_hide_the_post(ask, answer_to, flaggers, moderator):
    question = ask()
    answer = answer_to(question)
    moderation.flag_create(reporter=flaggers[0], post=answer, reason="spam")
    moderation.flag_create(reporter=flaggers[1], post=answer, reason="low_quality")  # not counted
    moderation.flag_create(reporter=flaggers[2], post=answer, reason="rude")
    answer.refresh_from_db()
    assert not answer.is_deleted
    moderation.flag_create(reporter=flaggers[3], post=answer, reason="spam")
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.is_deleted and answer.deleted_by is None
    assert question.answer_count == 0
    assert actions(answer=answer) == [Action.AUTO_HIDDEN]
    assert ModerationAction.objects.get(answer=answer).actor is None

    # A moderator disagrees: the flags are declined and the answer is back.
    handled = moderation.flags_resolve(moderator=moderator, post=answer, helpful=False)
    assert handled == 4
    answer.refresh_from_db()
    question.refresh_from_db()
    assert not answer.is_deleted and question.answer_count == 1
    assert set(Flag.objects.values_list("status", flat=True)) == {Flag.Status.DECLINED}
    assert Flag.objects.filter(handled_by=moderator).count() == 4
    assert set(actions(answer=answer)) == {
        Action.AUTO_HIDDEN,
        Action.FLAG_DISMISSED,
        Action.UNDELETED,
    }


def test_auto_hide_threshold_follows_settings_and_works_for_comments(
    ask, asker, flaggers, settings
):
    settings.HUIJU_MODERATION = {"auto_hide_flags": 1}
    question = ask()
    comment = services.comment_create(author=asker, question=question, body="Buy cheap followers")
    moderation.flag_create(reporter=flaggers[0], post=comment, reason="spam")
    comment.refresh_from_db()
    question.refresh_from_db()
    assert comment.is_deleted and question.comment_count == 0


def test_helpful_flags_can_delete_the_post(ask, answer_to, flaggers, moderator):
    answer = answer_to(ask())
    moderation.flag_create(reporter=flaggers[0], post=answer, reason="spam")
    moderation.flags_resolve(
        moderator=moderator, post=answer, helpful=True, delete=True, reason="Link farm"
    )
    answer.refresh_from_db()
    assert answer.is_deleted and answer.deleted_by == moderator
    assert Flag.objects.get().status == Flag.Status.HELPFUL
    logged = ModerationAction.objects.filter(answer=answer, actor=moderator)
    assert {entry.action for entry in logged} == {Action.FLAG_HELPFUL, Action.DELETED}
    assert {entry.reason for entry in logged} == {"Link farm"}


def test_only_moderators_resolve_flags(ask, flaggers, make_user):
    question = ask()
    moderation.flag_create(reporter=flaggers[0], post=question, reason="spam")
    almost = make_user("almost", reputation=9999)
    with pytest.raises(PermissionDenied):
        moderation.flags_resolve(moderator=almost, post=question, helpful=False)
    assert Flag.objects.get().status == Flag.Status.PENDING
    assert not ModerationAction.objects.exists()


# --- audit of the existing moderator tools ------------------------------------------------


def test_lock_unlock_delete_undelete_close_reopen_are_audited(ask, answer_to, moderator):
    question = ask()
    answer = answer_to(question)
    services.question_lock(question=question, user=moderator, locked=True, reason="Heated")
    services.question_lock(question=question, user=moderator, locked=False)
    services.post_delete(post=answer, user=moderator, reason="Not an answer")
    services.post_undelete(post=answer, user=moderator)
    moderation.close_vote_cast(user=moderator, question=question, reason="off_topic")
    moderation.reopen_vote_cast(user=moderator, question=question)
    log = list(ModerationAction.objects.order_by("id").values_list("action", "actor", "reason"))
    assert log == [
        (Action.LOCKED, moderator.pk, "Heated"),
        (Action.UNLOCKED, moderator.pk, ""),
        (Action.DELETED, moderator.pk, "Not an answer"),
        (Action.UNDELETED, moderator.pk, ""),
        (Action.CLOSED, moderator.pk, "Off-topic"),
        (Action.REOPENED, moderator.pk, ""),
    ]


def test_authors_deleting_their_own_posts_are_not_moderator_actions(ask, asker):
    question = ask()
    services.post_delete(post=question, user=asker)
    comment_q = ask()
    comment = services.comment_create(author=asker, question=comment_q, body="My own remark")
    services.comment_delete(comment=comment, user=asker)
    assert not ModerationAction.objects.exists()


# --- close and reopen votes ---------------------------------------------------------------


@pytest.fixture
def closers(make_user):
    return [make_user(f"closer{i}", reputation=3000) for i in range(3)]


def test_three_votes_close_with_the_majority_reason(ask, closers):
    question = ask()
    assert not moderation.close_vote_cast(user=closers[0], question=question, reason="unclear")
    assert not moderation.close_vote_cast(user=closers[1], question=question, reason="too_broad")
    with pytest.raises(ValidationError, match="already voted"):
        moderation.close_vote_cast(user=closers[1], question=question, reason="unclear")
    question.refresh_from_db()
    assert question.status == PostStatus.OPEN
    assert moderation.close_vote_cast(user=closers[2], question=question, reason="unclear")
    question.refresh_from_db()
    assert question.status == PostStatus.CLOSED and question.close_reason == "unclear"
    assert question.closed_by == closers[2]
    assert not CloseVote.objects.filter(active=True).exists()


def test_duplicate_votes_link_the_most_named_target(ask, closers, settings):
    settings.HUIJU_MODERATION = {"close_votes": 2}
    question, target, other = ask(), ask(), ask()
    with pytest.raises(ValidationError):
        moderation.close_vote_cast(user=closers[0], question=question, reason="duplicate")
    with pytest.raises(ValidationError):
        moderation.close_vote_cast(
            user=closers[0], question=question, reason="duplicate", duplicate_of=question
        )
    moderation.close_vote_cast(
        user=closers[0], question=question, reason="duplicate", duplicate_of=target
    )
    assert moderation.close_vote_cast(
        user=closers[1], question=question, reason="duplicate", duplicate_of=target
    )
    question.refresh_from_db()
    assert question.status == PostStatus.DUPLICATE and question.duplicate_of == target
    del other


def test_a_moderator_vote_binds(ask, closers, moderator):
    question = ask()
    moderation.close_vote_cast(user=closers[0], question=question, reason="unclear")
    assert moderation.close_vote_cast(user=moderator, question=question, reason="off_topic")
    question.refresh_from_db()
    assert question.close_reason == "off_topic"
    assert not CloseVote.objects.filter(active=True).exists()


def test_reopen_votes(ask, closers, moderator):
    question = ask()
    moderation.close_vote_cast(user=moderator, question=question, reason="unclear")
    assert not moderation.reopen_vote_cast(user=closers[0], question=question)
    assert not moderation.reopen_vote_cast(user=closers[1], question=question)
    with pytest.raises(ValidationError):
        moderation.reopen_vote_cast(user=closers[1], question=question)
    assert moderation.reopen_vote_cast(user=closers[2], question=question)
    question.refresh_from_db()
    assert question.status == PostStatus.OPEN and not question.is_closed
    with pytest.raises(ValidationError):
        moderation.reopen_vote_cast(user=closers[0], question=question)


def test_close_votes_need_the_privilege(ask, make_user, settings):
    question = ask()
    member = make_user("member", reputation=2999)
    with pytest.raises(PermissionDenied, match="3000 reputation"):
        moderation.close_vote_cast(user=member, question=question, reason="unclear")
    settings.HUIJU_PRIVILEGES = {"close_reopen": 2000}
    moderation.close_vote_cast(user=member, question=question, reason="unclear")
    assert CloseVote.objects.filter(user=member).exists()


# --- suspensions --------------------------------------------------------------------------


@pytest.fixture
def suspended(make_user, moderator):
    member = make_user("troll", reputation=5000)
    moderation.member_suspend(moderator=moderator, member=member, days=3, reason="Repeated spam")
    member.refresh_from_db()
    return member


def test_suspension_is_audited_and_visible(suspended, moderator):
    assert suspended.is_suspended
    assert suspended.suspension_reason == "Repeated spam"
    entry = ModerationAction.objects.get(member=suspended)
    assert entry.action == Action.SUSPENDED and entry.actor == moderator
    assert "Repeated spam" in entry.reason


def test_suspended_members_cannot_write_anywhere(suspended, ask, answer_to, asker, make_user):
    question = ask()
    answer = answer_to(question)
    own = services.question_ask(
        author=make_user("x", reputation=100),
        title="A question asked before the suspension",
        body="Some body text long enough to post.",
        tags=["python"],
    )
    Question.objects.filter(pk=own.pk).update(author=suspended)
    own.refresh_from_db()
    attempts = {
        "ask": lambda: services.question_ask(
            author=suspended, title="A new question while suspended", body="x" * 40, tags=["a"]
        ),
        "answer": lambda: services.answer_create(
            question=question, author=suspended, body="An answer while suspended."
        ),
        "comment": lambda: services.comment_create(
            author=suspended, question=question, body="A comment while suspended"
        ),
        "vote": lambda: services.vote_cast(user=suspended, post=answer, value=1),
        "flag": lambda: moderation.flag_create(reporter=suspended, post=answer, reason="spam"),
        "edit": lambda: services.question_edit(
            question=own,
            editor=suspended,
            title=own.title,
            body=own.body + " more",
            tags=["python"],
        ),
        "close": lambda: moderation.close_vote_cast(
            user=suspended, question=question, reason="unclear"
        ),
        "suggest": lambda: moderation.suggested_edit_create(
            author=suspended, post=answer, body="Suggested while suspended", comment="Fix it"
        ),
    }
    for name, attempt in attempts.items():
        with pytest.raises(PermissionDenied) as error:
            attempt()
        assert "suspended until" in str(error.value), name
        assert "Repeated spam" in str(error.value), name
    assert Answer.objects.filter(author=suspended).count() == 0
    assert Comment.objects.filter(author=suspended).count() == 0
    assert not Flag.objects.exists()


def test_suspension_ends_by_itself(suspended, ask):
    question = ask()
    suspended.suspended_until = timezone.now() - timedelta(seconds=1)
    suspended.save(update_fields=["suspended_until"])
    assert not suspended.is_suspended
    services.answer_create(question=question, author=suspended, body="Back after my suspension.")


def test_lifting_a_suspension_and_who_may_suspend(suspended, moderator, make_user):
    with pytest.raises(PermissionDenied):
        moderation.member_suspend(
            moderator=make_user("plain", reputation=9000),
            member=suspended,
            days=1,
            reason="Not a moderator",
        )
    with pytest.raises(ValidationError):
        moderation.member_suspend(moderator=moderator, member=moderator, days=1, reason="self!")
    with pytest.raises(ValidationError) as error:
        moderation.member_suspend(moderator=moderator, member=suspended, days=0, reason="")
    assert set(error.value.message_dict) == {"days", "reason"}
    moderation.member_unsuspend(moderator=moderator, member=suspended)
    suspended.refresh_from_db()
    assert not suspended.is_suspended
    assert actions(member=suspended) == [Action.UNSUSPENDED, Action.SUSPENDED]
