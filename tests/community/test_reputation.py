"""Reputation: the incremental ledger equals a recomputation from scratch; privileges follow it."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from community import services
from community.models import ReputationEvent

pytestmark = pytest.mark.django_db


def snapshot(users):
    for user in users:
        user.refresh_from_db()
    return {user.username: user.reputation for user in users}


@pytest.fixture
def earned(make_user):
    """Members whose starting reputation is itself on the ledger (a moderator adjustment)."""

    def make(name, points):
        user = make_user(name)
        services.reputation_adjust(user=user, points=points - 1)
        return user

    return make


def _ask(author, n):
    return services.question_ask(
        author=author,
        title=f"Reputation test question number {n}",
        body=f"Body of the reputation test question {n}.",
        tags=["test"],
    )


def _answer(question, author, n):
    return services.answer_create(
        question=question, author=author, body=f"Answer {n} for the reputation test."
    )


def test_recompute_equals_incremental_values(earned):
    asker, answerer, other = earned("q_author", 60), earned("a_author", 60), earned("other", 100)
    voters = [earned(f"v{i}", 500) for i in range(4)]
    q1, q2 = _ask(asker, 1), _ask(other, 2)
    a1, a2 = _answer(q1, answerer, 1), _answer(q1, other, 2)
    a3 = _answer(q2, answerer, 3)
    for voter in voters:
        services.vote_cast(user=voter, post=q1, value=1)
        services.vote_cast(user=voter, post=a1, value=1)
        services.vote_cast(user=voter, post=a2, value=-1)
    services.vote_cast(user=voters[0], post=a1, value=-1)  # changed
    services.vote_cast(user=voters[1], post=q1, value=0)  # retracted
    services.vote_cast(user=asker, post=a3, value=1)
    services.vote_cast(user=voters[2], post=q2, value=-1)
    services.answer_accept(answer=a2, user=asker)
    services.answer_accept(answer=a1, user=asker)  # switched
    services.answer_accept(answer=a3, user=other)
    services.answer_unaccept(answer=a3, user=other)
    # A suggested edit approved by a reviewer earns its author reputation; one rejected does not.
    from community import moderation

    suggester, reviewer = earned("suggester", 20), earned("reviewer", 2500)
    approved = moderation.suggested_edit_create(
        author=suggester,
        post=a3,
        body="Answer 3 for the reputation test, clarified.",
        comment="Clarify",
    )
    moderation.suggested_edit_approve(reviewer=reviewer, suggestion=approved)
    rejected = moderation.suggested_edit_create(
        author=suggester,
        post=a3,
        body="Answer 3, rewritten badly by a suggester.",
        comment="Rewrite",
    )
    moderation.suggested_edit_reject(
        reviewer=reviewer, suggestion=rejected, comment="Changes meaning"
    )
    people = [asker, answerer, other, suggester, reviewer, *voters]
    incremental = snapshot(people)
    assert incremental["suggester"] == 20 + 2
    assert incremental["a_author"] == 60 + 10 * 3 - 2 + 10 + 15  # 3 up, 1 down, a3 up, accepted
    ledger_lines = ReputationEvent.objects.count()

    call_command("recompute_reputation", "--check")  # raises when anything differs
    call_command("recompute_reputation")
    assert snapshot(people) == incremental
    assert ReputationEvent.objects.count() == ledger_lines
    for user in people:
        assert user.reputation == 1 + sum(user.reputation_events.values_list("points", flat=True))


def test_recompute_repairs_a_drifted_reputation(earned):
    voter = earned("voter2", 500)
    answer = _answer(_ask(earned("asker2", 50), 3), earned("author2", 50), 4)
    services.vote_cast(user=voter, post=answer, value=1)
    author = answer.author
    author.refresh_from_db()
    right = author.reputation
    author.reputation = 99999
    author.save(update_fields=["reputation"])
    with pytest.raises(CommandError):
        call_command("recompute_reputation", "--check")
    call_command("recompute_reputation")
    author.refresh_from_db()
    assert author.reputation == right == 60


def test_reputation_unlocks_privileges(ask, answer_to, make_user, settings):
    settings.HUIJU_PRIVILEGES = {"vote_up": 15, "comment": 21}
    from community import permissions

    newcomer = make_user("newcomer", reputation=1)
    question = ask()
    assert not permissions.can_comment(newcomer, question)
    answer = answer_to(question, author=newcomer)
    for i in range(2):
        services.vote_cast(user=make_user(f"fan{i}", reputation=50), post=answer, value=1)
    newcomer.refresh_from_db()
    assert newcomer.reputation == 21
    assert permissions.can_comment(newcomer, question)
    assert permissions.has_privilege(newcomer, "vote_up")
    assert not permissions.has_privilege(newcomer, "vote_down")


def test_reputation_points_follow_settings(ask, answer_to, voter, settings):
    settings.HUIJU_REPUTATION = {"answer_upvoted": 7}
    answer = answer_to(ask())
    services.vote_cast(user=voter, post=answer, value=1)
    answer.author.refresh_from_db()
    assert answer.author.reputation == 200 + 7
