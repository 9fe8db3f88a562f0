"""Moderators hear of flagged posts, suggesters of reviews; the header counts open flags."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from community import moderation
from community.models import Flag
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def flaggers(make_user):
    return [make_user(f"flagger{i}", reputation=100) for i in range(3)]


@pytest.fixture
def superuser(make_user):
    return make_user("root", is_superuser=True, is_staff=True)


def test_moderators_are_told_once_when_a_post_enters_the_queue(
    ask, flaggers, moderator, superuser, asker, django_capture_on_commit_callbacks
):
    question = ask()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.flag_create(
            reporter=flaggers[0], post=question, reason=Flag.Reason.OTHER, text="Looks copied."
        )
        moderation.flag_create(reporter=flaggers[1], post=question, reason=Flag.Reason.SPAM)
    notes = Notification.objects.filter(kind="flag")
    assert sorted(notes.values_list("recipient__username", flat=True)) == ["mod", "root"]
    note = notes.get(recipient=moderator)
    assert note.actor == flaggers[0] and note.target_title == question.title
    assert note.target_url.endswith(f"#flagged-question-{question.pk}")
    assert "Looks copied." in note.excerpt
    assert not Notification.objects.filter(kind="flag", recipient=asker).exists()


def test_a_moderator_flagging_is_not_told_of_their_own_flag(
    ask, moderator, django_capture_on_commit_callbacks
):
    question = ask()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.flag_create(reporter=moderator, post=question, reason=Flag.Reason.SPAM)
    assert not Notification.objects.filter(kind="flag").exists()


def test_a_handled_post_flagged_again_tells_moderators_again(
    ask, flaggers, moderator, django_capture_on_commit_callbacks
):
    question = ask()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.flag_create(reporter=flaggers[0], post=question, reason=Flag.Reason.SPAM)
        moderation.flags_resolve(moderator=moderator, post=question, helpful=False)
        moderation.flag_create(reporter=flaggers[1], post=question, reason=Flag.Reason.RUDE)
    assert Notification.objects.filter(kind="flag", recipient=moderator).count() == 2


@pytest.fixture
def suggestion(ask, answer_to, make_user):
    question = ask()
    answer = answer_to(question)
    suggester = make_user("suggester", reputation=20)
    return moderation.suggested_edit_create(
        author=suggester, post=answer, body=answer.body + " Then restart.", comment="adds a step"
    )


@pytest.mark.parametrize("approved", [True, False])
def test_suggesters_hear_the_review(
    suggestion, voter, approved, django_capture_on_commit_callbacks
):
    reviewer = voter
    reviewer.reputation = 3000
    reviewer.save()
    with django_capture_on_commit_callbacks(execute=True):
        if approved:
            moderation.suggested_edit_approve(reviewer=reviewer, suggestion=suggestion)
        else:
            moderation.suggested_edit_reject(
                reviewer=reviewer, suggestion=suggestion, comment="Changes the meaning."
            )
    kind = "suggested_edit_approved" if approved else "suggested_edit_rejected"
    note = Notification.objects.get(recipient=suggestion.author, kind=kind)
    assert note.actor == reviewer
    assert note.target_url == suggestion.post.get_absolute_url()
    if not approved:
        assert note.excerpt == "Changes the meaning."
    with translation.override("en"):
        assert note.message == (
            f"{reviewer.display_name} {'approved' if approved else 'rejected'} your suggested edit"
        )


def test_header_shows_moderators_the_open_flag_count(
    client, ask, flaggers, moderator, asker, django_capture_on_commit_callbacks
):
    question = ask()
    queue = reverse("community:moderation_queue")
    client.force_login(asker)
    assert queue not in client.get(reverse("community:question_list")).content.decode()
    client.force_login(moderator)
    page = client.get(reverse("community:question_list")).content.decode()
    assert f'href="{queue}" class="account-nav__flags"' in page
    with django_capture_on_commit_callbacks(execute=True):  # the count is cached till then
        moderation.flag_create(reporter=flaggers[0], post=question, reason=Flag.Reason.SPAM)
        moderation.flag_create(reporter=flaggers[1], post=question, reason=Flag.Reason.SPAM)
    with translation.override("en"):
        page = client.get(reverse("community:question_list")).content.decode()
    assert 'aria-label="2 open flags">2</span>' in page
    with django_capture_on_commit_callbacks(execute=True):
        moderation.flags_resolve(moderator=moderator, post=question, helpful=False)
    page = client.get(reverse("community:question_list")).content.decode()
    assert "open flags" not in page and 'account-nav__flags">' in page


def test_header_count_is_cached(client, moderator, django_assert_max_num_queries):
    """A moderator's pages pay for the role and the count once, then read the cache."""
    from community.context_processors import moderation as processor
    from community.selectors_moderation import open_flag_count

    client.force_login(moderator)
    client.get(reverse("community:tag_list"))
    request = type("R", (), {"user": moderator})()
    moderator.__dict__.pop("_huiju_is_moderator", None)
    with django_assert_max_num_queries(0):
        assert processor(request) == {"open_flag_count": open_flag_count()}


def test_role_cache_follows_group_changes(client, make_user):
    from django.contrib.auth.models import Group

    from accounts.roles import MODERATORS_GROUP

    member = make_user("soon_mod", reputation=1)
    client.force_login(member)
    queue = reverse("community:moderation_queue")
    assert queue not in client.get(reverse("community:tag_list")).content.decode()
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    member.groups.add(group)
    assert queue in client.get(reverse("community:tag_list")).content.decode()
    group.user_set.remove(member)
    assert queue not in client.get(reverse("community:tag_list")).content.decode()
