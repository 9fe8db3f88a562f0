"""The Q&A services: asking, answering, commenting, voting, accepting, edits and rollback."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community import services
from community.models import (
    Answer,
    Comment,
    PostStatus,
    Question,
    ReputationEvent,
    Revision,
    Tag,
    Vote,
)
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def refresh(*objects):
    for obj in objects:
        obj.refresh_from_db()


def test_ask_stores_sanitized_html_tags_revision_and_resource(
    asker, subdomain, resource, django_capture_on_commit_callbacks
):
    version = resource.versions.get()
    with django_capture_on_commit_callbacks(execute=True):
        question = services.question_ask(
            author=asker,
            title="  Apollo   感知模块如何编译？ ",
            body="Build fails:\n\n```python\nprint('hi')\n```\n<script>alert(1)</script>",
            tags=["Apollo", "C++", "apollo", "自动驾驶"],
            subdomain=subdomain,
            resources=[(resource, version)],
        )
    assert question.title == "Apollo 感知模块如何编译？"
    assert "<script>" not in question.body_html and "highlight" in question.body_html
    assert [t.name for t in question.tags.order_by("question_tags__position")] == [
        "apollo",
        "c++",
        "自动驾驶",
    ]
    assert Tag.objects.get(name="c++").slug == "c-plus-plus"
    assert Tag.objects.get(name="apollo").question_count == 1
    link = question.resource_links.get()
    assert (link.resource, link.version) == (resource, version)
    revision = question.revisions.get()
    assert (revision.number, revision.tags) == (1, ["apollo", "c++", "自动驾驶"])
    assert question.followers.filter(pk=asker.pk).exists()


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"title": "short"}, "title"),
        ({"body": "too short"}, "body"),
        ({"tags": []}, "tags"),
        ({"tags": ["a", "b", "c", "d", "e", "f"]}, "tags"),
        ({"tags": ["bad tag!"]}, "tags"),
    ],
)
def test_ask_rejects_bad_input_with_field_errors(asker, fields, error_field):
    data = {
        "title": "A perfectly reasonable title",
        "body": "A body long enough to be a real question.",
        "tags": ["python"],
    }
    data.update(fields)
    with pytest.raises(ValidationError) as error:
        services.question_ask(author=asker, **data)
    assert error_field in error.value.message_dict
    assert not Question.objects.exists()


def test_synonym_tags_map_to_their_canonical_tag(asker):
    canonical = Tag.objects.create(name="pytorch")
    Tag.objects.create(name="torch", canonical=canonical)
    question = services.question_ask(
        author=asker,
        title="Loading weights in torch fails",
        body="Loading the checkpoint raises a key error in the model.",
        tags=["torch"],
    )
    assert list(question.tags.values_list("name", flat=True)) == ["pytorch"]
    canonical.refresh_from_db()
    assert canonical.question_count == 1


def test_answer_updates_counts_and_notifies_asker_and_followers(
    ask, answer_to, make_user, django_capture_on_commit_callbacks
):
    question = ask()
    follower = make_user("follower")
    question.followers.add(follower)
    with django_capture_on_commit_callbacks(execute=True):
        answer = answer_to(question)
    refresh(question)
    assert question.answer_count == 1
    assert question.last_activity_by == answer.author
    assert Notification.objects.filter(recipient=question.author, kind="answer").count() == 1
    assert Notification.objects.filter(recipient=follower, kind="followed_question").count() == 1
    # (a first answer earns the Helper badge, which is the only notice the answerer gets)
    assert not Notification.objects.filter(recipient=answer.author).exclude(kind="badge").exists()


def test_mentions_and_followed_tags_are_notified(
    asker, make_user, django_capture_on_commit_callbacks
):
    fan = make_user("fan")
    mentioned = make_user("lin")
    Tag.objects.create(name="asr").followers.add(fan)
    with django_capture_on_commit_callbacks(execute=True):
        services.question_ask(
            author=asker,
            title="Streaming ASR latency is high",
            body="@lin do you know why streaming recognition lags two seconds?",
            tags=["asr"],
        )
    assert Notification.objects.get(recipient=fan).kind == "followed_tag"
    assert Notification.objects.get(recipient=mentioned).kind == "mention"


def test_comment_on_question_and_answer(ask, answer_to, voter, django_capture_on_commit_callbacks):
    question = ask()
    answer = answer_to(question)
    with django_capture_on_commit_callbacks(execute=True):
        on_question = services.comment_create(author=voter, question=question, body="Which OS?")
        services.comment_create(author=voter, answer=answer, body="Worked for me, thanks!")
    refresh(question, answer)
    assert (question.comment_count, answer.comment_count) == (1, 1)
    assert on_question.get_absolute_url().endswith(f"#comment-{on_question.pk}")
    assert Notification.objects.filter(kind="comment").count() == 2


def test_comment_needs_privilege_except_on_own_thread(ask, answer_to, newbie, asker):
    question = ask()
    answer = answer_to(question)
    with pytest.raises(PermissionDenied, match="50"):
        services.comment_create(author=newbie, question=question, body="Me too here")
    # The asker may always comment on answers to their question.
    low = asker
    low.reputation = 1
    low.save()
    services.comment_create(author=low, answer=answer, body="Could you explain step two?")
    assert Comment.objects.count() == 1


def test_vote_up_change_retract_and_reputation(ask, answer_to, voter):
    question = ask()
    answer = answer_to(question)
    author = answer.author
    start = author.reputation
    assert services.vote_cast(user=voter, post=answer, value=1).score == 1
    author.refresh_from_db()
    assert author.reputation == start + 10
    outcome = services.vote_cast(user=voter, post=answer, value=-1)
    assert (outcome.score, outcome.value) == (-1, -1)
    author.refresh_from_db()
    voter_before = voter.reputation
    voter.refresh_from_db()
    assert author.reputation == start - 2
    assert voter.reputation == voter_before - 1  # down-voting an answer costs the voter 1
    assert services.vote_cast(user=voter, post=answer, value=0).score == 0
    author.refresh_from_db()
    voter.refresh_from_db()
    assert (author.reputation, voter.reputation) == (start, voter_before)
    assert not Vote.objects.exists() and not ReputationEvent.objects.exists()


def test_same_vote_twice_is_a_no_op(ask, voter):
    question = ask()
    services.vote_cast(user=voter, post=question, value=1)
    assert services.vote_cast(user=voter, post=question, value=1).score == 1
    assert Vote.objects.count() == 1


def test_no_self_votes_and_privileges_for_voting(ask, asker, newbie, make_user):
    question = ask()
    with pytest.raises(ValidationError):
        services.vote_cast(user=asker, post=question, value=1)
    with pytest.raises(PermissionDenied):
        services.vote_cast(user=newbie, post=question, value=1)
    middling = make_user("middling", reputation=20)
    services.vote_cast(user=middling, post=question, value=1)
    with pytest.raises(PermissionDenied, match="125"):
        services.vote_cast(user=middling, post=question, value=-1)


def test_database_refuses_a_second_vote_row(ask, voter):
    from django.db import IntegrityError, transaction

    question = ask()
    Vote.objects.create(user=voter, question=question, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(user=voter, question=question, value=-1)


def test_accept_switch_and_unaccept(
    ask, answer_to, asker, make_user, django_capture_on_commit_callbacks
):
    question = ask()
    first = answer_to(question)
    second = answer_to(question, author=make_user("second", reputation=100))
    asker_start = asker.reputation
    with django_capture_on_commit_callbacks(execute=True):
        services.answer_accept(answer=first, user=asker)
    refresh(question, first, asker)
    assert question.accepted_answer == first and question.status == PostStatus.ANSWERED
    assert first.is_accepted and asker.reputation == asker_start + 2
    first.author.refresh_from_db()
    assert first.author.reputation == 200 + 15
    assert Notification.objects.filter(recipient=first.author, kind="accepted").exists()

    services.answer_accept(answer=second, user=asker)
    refresh(question, first, second, asker)
    first.author.refresh_from_db()
    second.author.refresh_from_db()
    assert question.accepted_answer == second
    assert not first.is_accepted and second.is_accepted
    assert first.author.reputation == 200 and second.author.reputation == 115
    assert asker.reputation == asker_start + 2

    services.answer_unaccept(answer=second, user=asker)
    refresh(question, asker)
    assert question.accepted_answer is None and question.status == PostStatus.OPEN
    assert asker.reputation == asker_start


def test_only_the_asker_accepts(ask, answer_to, voter):
    answer = answer_to(ask())
    with pytest.raises(PermissionDenied):
        services.answer_accept(answer=answer, user=voter)


def test_self_accept_earns_nothing(ask, asker, answer_to):
    question = ask()
    own = answer_to(question, author=asker)
    services.answer_accept(answer=own, user=asker)
    asker.refresh_from_db()
    assert asker.reputation == 200


def test_edit_keeps_revisions_and_rollback_restores(ask, asker, make_user):
    question = ask(tags=["python", "ocr"])
    editor = make_user("editor", reputation=5000)
    revision = services.question_edit(
        question=question,
        editor=editor,
        title="A clearer title for the OCR question",
        body=question.body + "\n\nEdit: added the stack trace.",
        tags=["python", "paddleocr"],
        comment="clarified",
    )
    assert revision.number == 2
    refresh(question)
    assert question.title == "A clearer title for the OCR question"
    assert question.edited_at is not None
    assert Tag.objects.get(name="ocr").question_count == 0
    assert Tag.objects.get(name="paddleocr").question_count == 1
    # Saving the same content again changes nothing.
    assert (
        services.question_edit(
            question=question,
            editor=editor,
            title=question.title,
            body=question.body,
            tags=["python", "paddleocr"],
        )
        is None
    )
    rollback = services.revision_rollback(revision=question.revisions.get(number=1), user=asker)
    refresh(question)
    assert rollback.number == 3 and rollback.rollback_of.number == 1
    assert rollback.comment == ""
    assert question.revisions.get(number=1).title == question.title
    assert sorted(question.tags.values_list("name", flat=True)) == ["ocr", "python"]


def test_editing_others_posts_needs_the_edit_privilege(ask, answer_to, voter):
    question = ask()
    answer = answer_to(question)
    with pytest.raises(PermissionDenied, match="2000"):
        services.answer_edit(answer=answer, editor=voter, body="Completely different answer.")
    revision = services.answer_edit(
        answer=answer, editor=answer.author, body="Install the toolchain first, then rebuild."
    )
    assert revision.number == 2
    assert Revision.objects.filter(answer=answer).count() == 2


def test_locked_question_refuses_answers_votes_and_edits(ask, answer_to, moderator, voter, asker):
    question = ask()
    services.question_lock(question=question, user=moderator, locked=True)
    with pytest.raises(PermissionDenied):
        answer_to(question)
    with pytest.raises(PermissionDenied):
        services.vote_cast(user=voter, post=question, value=1)
    with pytest.raises(PermissionDenied):
        services.question_edit(
            question=question,
            editor=asker,
            title=question.title,
            body="new body text here",
            tags=["x"],
        )
    with pytest.raises(PermissionDenied):
        services.question_lock(question=question, user=voter, locked=False)


def test_close_as_duplicate_and_reopen(ask, make_user):
    closer = make_user("closer", reputation=3000)
    original, copy = ask(), ask()
    with pytest.raises(ValidationError):
        services.question_close(question=copy, user=closer, reason="duplicate")
    services.question_close(question=copy, user=closer, reason="duplicate", duplicate_of=original)
    refresh(copy)
    assert copy.status == PostStatus.DUPLICATE and copy.duplicate_of == original
    services.question_reopen(question=copy, user=closer)
    refresh(copy)
    assert copy.status == PostStatus.OPEN and copy.duplicate_of is None
    with pytest.raises(PermissionDenied):
        services.question_close(question=copy, user=make_user("low"), reason="unclear")


def test_closed_question_takes_no_answers(ask, answer_to, moderator):
    question = ask()
    services.question_close(question=question, user=moderator, reason="off_topic")
    with pytest.raises(PermissionDenied):
        answer_to(question)


def test_soft_delete_and_undelete_keep_counters(ask, answer_to, asker, moderator):
    question = ask(tags=["python"])
    answer = answer_to(question)
    services.answer_accept(answer=answer, user=asker)
    services.post_delete(post=answer, user=moderator)
    refresh(question, answer)
    assert answer.is_deleted and answer.deleted_by == moderator
    assert question.answer_count == 0 and question.accepted_answer is None
    services.post_undelete(post=answer, user=moderator)
    refresh(question)
    assert question.answer_count == 1
    services.post_delete(post=question, user=moderator)
    assert Tag.objects.get(name="python").question_count == 0
    assert Answer.objects.filter(pk=answer.pk).exists()  # nothing is hard-deleted


def test_author_cannot_delete_an_answered_question(ask, answer_to, asker):
    question = ask()
    answer_to(question)
    with pytest.raises(PermissionDenied):
        services.post_delete(post=question, user=asker)


def test_signals_fire_after_commit(ask, django_capture_on_commit_callbacks):
    from community import signals

    seen = []

    def receiver(sender, instance, created, **kwargs):
        seen.append((sender, instance.pk, created))

    signals.post_saved.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            question = ask()
        assert seen == []
        for callback in callbacks:
            callback()
    finally:
        signals.post_saved.disconnect(receiver)
    assert (Question, question.pk, True) in seen


def test_view_is_counted_once_per_viewer(ask):
    question = ask()
    assert services.question_view(question=question, viewer_key="u1")
    assert not services.question_view(question=question, viewer_key="u1")
    assert services.question_view(question=question, viewer_key="u2")
    refresh(question)
    assert question.view_count == 2
