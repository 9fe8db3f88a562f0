"""Concurrent votes on one post from many members lose no update (real PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from community import services
from community.models import ReputationEvent, Vote

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

VOTERS = 24


def run_together(jobs):
    """Start every job at once (a barrier) in its own thread and database connection."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def worker(job):
        try:
            barrier.wait()
            job()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    assert not errors, errors


def test_concurrent_votes_give_the_exact_score_and_reputation(make_user, settings):
    from community.conf import DEFAULT_RATE_LIMITS

    settings.HUIJU_RATE_LIMITS = {
        k: dict.fromkeys(v, "10000/s") for k, v in DEFAULT_RATE_LIMITS.items()
    }
    asker = make_user("asker", reputation=100)
    author = make_user("author", reputation=1)
    voters = [make_user(f"voter{i}", reputation=500) for i in range(VOTERS)]
    question = services.question_ask(
        author=asker,
        title="Concurrent votes on one answer",
        body="Many members vote on the same answer at the same moment.",
        tags=["test"],
    )
    answer = services.answer_create(
        question=question, author=author, body="An answer everyone votes on at once."
    )

    up = voters[: VOTERS * 3 // 4]
    down = voters[VOTERS * 3 // 4 :]
    run_together(
        [lambda v=v: services.vote_cast(user=v, post=answer, value=1) for v in up]
        + [lambda v=v: services.vote_cast(user=v, post=answer, value=-1) for v in down]
    )
    answer.refresh_from_db()
    author.refresh_from_db()
    assert answer.score == len(up) - len(down)
    assert author.reputation == 1 + 10 * len(up) - 2 * len(down)

    # Now everyone changes their mind at once: up-voters retract, down-voters switch to up.
    run_together(
        [lambda v=v: services.vote_cast(user=v, post=answer, value=0) for v in up]
        + [lambda v=v: services.vote_cast(user=v, post=answer, value=1) for v in down]
    )
    answer.refresh_from_db()
    author.refresh_from_db()
    assert answer.score == len(down) == Vote.objects.filter(answer=answer).count()
    assert author.reputation == 1 + 10 * len(down)
    assert ReputationEvent.objects.filter(user=author).count() == len(down)


def test_one_member_double_clicking_still_counts_once(make_user, settings):
    from community.conf import DEFAULT_RATE_LIMITS

    settings.HUIJU_RATE_LIMITS = {
        k: dict.fromkeys(v, "10000/s") for k, v in DEFAULT_RATE_LIMITS.items()
    }
    asker = make_user("asker2", reputation=100)
    voter = make_user("clicker", reputation=500)
    question = services.question_ask(
        author=asker,
        title="Double clicks on the vote button",
        body="The same member sends the same vote several times at once.",
        tags=["test"],
    )
    run_together([lambda: services.vote_cast(user=voter, post=question, value=1)] * 6)
    question.refresh_from_db()
    asker.refresh_from_db()
    assert question.score == 1 and Vote.objects.count() == 1
    assert asker.reputation == 100 + 10
